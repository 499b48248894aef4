/**
 * Values computed on the leaves (`SET a = a * 100`, INSERT … SELECT) must fit their column
 * as values sent by clients do: MariaDB 10.11 in strict mode answers `UPDATE t SET a = a * 100`
 * on a TINYINT holding 100 with ERROR 1264 (22003) "Out of range value for column 'a' at row 1"
 * and changes no row. Both storage engines, through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('computed values out of their column range', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  };
  const refused = async (sql: string): Promise<{ errno: unknown; message: unknown }> => {
    const error: unknown = await db.query(sql).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof Error, `${sql} was accepted`);
    const { errno, message } = error as Error & { errno?: unknown };
    return { errno, message };
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE ranges PARTITIONS 4');
    await db.query('USE ranges');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE']) {
    const label = kind || 'COLUMNSTORE';
    const table = `small_${label.toLowerCase()}`;

    it(`refuses an UPDATE that computes a value out of range and changes nothing (${label})`, async () => {
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, a TINYINT, s SMALLINT UNSIGNED)`,
      );
      await db.query(`INSERT INTO ${table} VALUES (1, 1, 10), (2, 100, 20), (3, NULL, 30)`);
      assert.deepEqual(await refused(`UPDATE ${table} SET a = a * 100`), {
        errno: 1264,
        message: "Out of range value for column 'a' at row 1",
      });
      assert.deepEqual(await rows(`SELECT id, a, s FROM ${table} ORDER BY id`), [
        [1, 1, 10],
        [2, 100, 20],
        [3, null, 30],
      ]);
      // Within range the same kind of statement goes through.
      await db.query(`UPDATE ${table} SET a = a + 27 WHERE id = 2`);
      assert.deepEqual(await rows(`SELECT a FROM ${table} WHERE id = 2`), [[127]]);
    });

    it(`refuses INSERT … SELECT of values out of range (${label})`, async () => {
      const error = await refused(`INSERT INTO ${table} SELECT id + 10, a * 2, s FROM ${table}`);
      assert.equal(error.errno, 1264);
      assert.deepEqual(await rows(`SELECT COUNT(*) FROM ${table}`), [[3]]);
    });
  }
});
