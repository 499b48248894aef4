/**
 * LOAD DATA chunks whose lines all have the canonical shape (`load-shapes.ts`) skip the per-field
 * checks and are read with typed columns on the leaves. Through a real cluster: they store
 * exactly what INSERT stores, a chunk with one line out of shape takes the checked path with the
 * same outcome, and duplicate keys (within the load or against stored rows) and bad values
 * are skipped or adjusted with MariaDB's warnings, as a LOCAL load does.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const LOAD = "LOAD DATA LOCAL INFILE 'rows.tbl' INTO TABLE typed FIELDS TERMINATED BY ','";

describe('LOAD DATA typed chunks', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let file = Buffer.alloc(0);

  const load = async (lines: readonly string[]): Promise<number> => {
    file = Buffer.from(lines.map((line) => `${line}\n`).join(''));
    const [result] = await db.query<RowDataPacket[]>(LOAD);
    return (result as unknown as { affectedRows: number }).affectedRows;
  };

  const rows = async (table: string): Promise<unknown[]> => {
    const [result] = await db.query<RowDataPacket[]>(
      `SELECT id, line, price, flag, name, day, n FROM ${table} ORDER BY id, line`,
    );
    return result.map((row) => Object.values(row).map((value: unknown) => String(value)));
  };

  const count = async (): Promise<number> => {
    const [result] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM typed');
    return Number(result[0]?.n);
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'root',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      infileStreamFactory: () => Readable.from([file]),
    });
    await db.query('CREATE DATABASE typed PARTITIONS 4');
    await db.query('USE typed');
    for (const name of ['typed', 'exact']) {
      await db.query(
        `CREATE TABLE ${name} (id BIGINT NOT NULL, line INT NOT NULL, price DECIMAL(10,2) NOT NULL, ` +
          `flag CHAR(2), name VARCHAR(6) NOT NULL, day DATE, n SMALLINT UNSIGNED, ` +
          `PRIMARY KEY (id, line), SHARD KEY (id))`,
      );
    }
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const line = (id: number): string =>
    `${id},${id % 5},${id % 1000}.${id % 10},${id % 2 === 0 ? 'a ' : '\\N'},n${id % 997},` +
    `${id % 3 === 0 ? '\\N' : `2024-02-${String((id % 29) + 1).padStart(2, '0')}`},${id % 60000}`;
  const tuple = (id: number): string =>
    `(${id},${id % 5},${id % 1000}.${id % 10},${id % 2 === 0 ? "'a '" : 'NULL'},'n${id % 997}',` +
    `${id % 3 === 0 ? 'NULL' : `'2024-02-${String((id % 29) + 1).padStart(2, '0')}'`},${id % 60000})`;

  it('stores canonical and out-of-shape chunks exactly as INSERT does', async () => {
    const ids = Array.from({ length: 4000 }, (_, index) => index + 1);
    assert.equal(await load(ids.map(line)), ids.length);
    await db.query(`INSERT INTO exact VALUES ${ids.map(tuple).join(',')}`);
    // Out of shape (leading plus, three decimals, a long integer part): checked, then exact.
    const odd = [
      '90001,1,+5,b,x,2024-02-28,1',
      '90002,1,1.005,b,x,2024-02-28,1',
      '90003,1,00000000001.5,b,x,\\N,\\N',
    ];
    assert.equal(
      await load([...ids.map((id) => line(id + 10_000)), ...odd]),
      ids.length + odd.length,
    );
    await db.query(
      `INSERT INTO exact VALUES ${ids.map((id) => tuple(id + 10_000)).join(',')},` +
        "(90001,1,'+5','b','x','2024-02-28',1),(90002,1,'1.005','b','x','2024-02-28',1),(90003,1,'00000000001.5','b','x',NULL,NULL)",
    );
    assert.deepEqual(await rows('typed'), await rows('exact'));
  });

  it('skips duplicate keys and adjusts bad values with a warning, as LOCAL does', async () => {
    // LOCAL implies IGNORE (MariaDB, MySQL): a duplicate (within the load or against stored
    // rows) is skipped with 1062, a value that does not fit is stored adjusted with its warning.
    const before = await count();
    const fresh = Array.from({ length: 2000 }, (_, index) => line(index + 50_000));
    // The stored adjustment of a bad line: id 60000's day, n and name.
    const cases: [string[], number, string | undefined][] = [
      [[...fresh, line(50_001)], 1062, undefined],
      [[...fresh, line(1)], 1062, undefined],
      [[...fresh, '60000,1,1.5,a,x,2023-02-29,1'], 1265, '0000-00-00 1 x'],
      [[...fresh, '60000,1,1.5,a,x,2024-02-29,70000'], 1264, '2024-02-29 65535 x'],
      [[...fresh, '60000,1,1.5,a,toolong,2024-02-29,1'], 1265, '2024-02-29 1 toolon'],
    ];
    for (const [lines, code, adjusted] of cases) {
      const stored = adjusted === undefined ? 0 : 1;
      assert.equal(await load(lines), fresh.length + stored);
      const [warnings] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
      assert.deepEqual(
        warnings.map((shown) => Number(shown.Code)),
        [code],
      );
      assert.equal(await count(), before + fresh.length + stored);
      const [bad] = await db.query<RowDataPacket[]>(
        'SELECT day, n, name FROM typed WHERE id = 60000',
      );
      assert.deepEqual(
        bad.map((row) => `${String(row.day)} ${String(row.n)} ${String(row.name)}`),
        adjusted === undefined ? [] : [adjusted],
      );
      await db.query('DELETE FROM typed WHERE id BETWEEN 50000 AND 60000');
    }
  });
});
