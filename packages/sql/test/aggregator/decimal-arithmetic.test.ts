/**
 * DECIMAL arithmetic is exact on both storages, as in MariaDB: `p + q = 0.3` holds for 0.1 and
 * 0.2, products and quotients compare, group and join on their exact values. The rowstore's
 * engine computes in doubles (0.1 + 0.2 is 0.30000000000000004 there), so its results are
 * rounded to their DECIMAL scale. Every expected answer is MariaDB 10.11's to the same
 * statements over the same rows (InnoDB, through mysql2).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const ROWS = '(1, 0.10, 0.2), (2, 0.20, 0.1), (3, 0.30, 1.0005), (4, 19.99, 3), (5, 1.15, 2.675)';

describe('DECIMAL arithmetic is exact', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rowsOf = async (sql: string): Promise<unknown[][]> => {
    const [rows] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return rows;
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE decimals PARTITIONS 4');
    await db.query('USE decimals');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['COLUMNSTORE', 'ROWSTORE']) {
    it(`compares, groups and joins on exact results (${kind})`, async () => {
      const x = `x_${kind.toLowerCase()}`;
      await db.query(
        `CREATE ${kind} TABLE ${x} (id INT PRIMARY KEY, p DECIMAL(10,2), q DECIMAL(15,4))`,
      );
      await db.query(`INSERT INTO ${x} VALUES ${ROWS}`);
      assert.deepEqual(await rowsOf(`SELECT id FROM ${x} WHERE p + q = 0.3 ORDER BY id`), [
        ['1'],
        ['2'],
      ]);
      assert.deepEqual(await rowsOf(`SELECT id FROM ${x} WHERE p = 0.1 + 0.2`), [['3']]);
      assert.deepEqual(
        await rowsOf(`SELECT id, p * 1.1 = 0.11, p * q = 0.02, p - q = -0.1 FROM ${x} ORDER BY id`),
        [
          ['1', '1', '1', '1'],
          ['2', '0', '1', '0'],
          ['3', '0', '0', '0'],
          ['4', '0', '0', '0'],
          ['5', '0', '0', '0'],
        ],
      );
      assert.deepEqual(await rowsOf(`SELECT p * q, COUNT(*) FROM ${x} GROUP BY p * q ORDER BY 1`), [
        ['0.020000', '2'],
        ['0.300150', '1'],
        ['3.076250', '1'],
        ['59.970000', '1'],
      ]);
      assert.deepEqual(
        await rowsOf(`SELECT a.id, b.id FROM ${x} a JOIN ${x} b ON a.p + 0.1 = b.p ORDER BY 1`),
        [
          ['1', '2'],
          ['2', '3'],
        ],
      );
      await db.query(`UPDATE ${x} SET q = q * 3 WHERE id = 3`);
      assert.deepEqual(await rowsOf(`SELECT q, q = 3.0015, p / q FROM ${x} WHERE id = 3`), [
        ['3.0015', '1', '0.099950'],
      ]);
    });
  }
});
