/**
 * ALTER TABLE … RENAME INDEX | KEY and the AUTO_INCREMENT key rule, as MariaDB 10.11 answers
 * them (recorded from it): keys and unique keys take their new names (SHOW INDEX), a name in
 * use is 1061, an unknown key 1176; dropping the last key an AUTO_INCREMENT column starts is
 * 1075 and changes nothing. Rowstore tables keep a usable SQLite index under the new name.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { refusalOf } from '../support/refusals.js';

describe('ALTER TABLE RENAME INDEX', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const refusal = (sql: string): Promise<[unknown, unknown]> => refusalOf(db, sql);

  before(async () => {
    cluster = await startSqlCluster();
    db = await cluster.connect();
    await db.query('CREATE DATABASE renamed PARTITIONS 2');
    await db.query('USE renamed');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`renames keys and refuses as MariaDB does (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `k_${(kind || 'columnstore').toLowerCase()}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, a INT, b VARCHAR(10), KEY ka (a), UNIQUE KEY ub (id, b))`,
      );
      await db.query(`ALTER TABLE ${table} RENAME KEY ka TO kb, RENAME INDEX ub TO uc`);
      const [keys] = await db.query<RowDataPacket[]>(`SHOW INDEX FROM ${table}`);
      assert.deepEqual(
        keys.map((key) => [String(key.Key_name), String(key.Column_name)]),
        [
          ['PRIMARY', 'id'],
          ['uc', 'id'],
          ['uc', 'b'],
          ['kb', 'a'],
        ],
      );
      assert.deepEqual(await refusal(`ALTER TABLE ${table} RENAME INDEX kb TO uc`), [
        1061,
        "Duplicate key name 'uc'",
      ]);
      assert.deepEqual(await refusal(`ALTER TABLE ${table} RENAME INDEX nope TO x`), [
        1176,
        `Key 'nope' doesn't exist in table '${table}'`,
      ]);
      await db.query(`INSERT INTO ${table} VALUES (1, 2, 'x'), (2, 2, 'y'), (3, 4, 'z')`);
      const [rows] = await db.query<RowDataPacket[]>(
        `SELECT id FROM ${table} WHERE a = 2 ORDER BY id`,
      );
      assert.deepEqual(
        rows.map((row) => Number(row.id)),
        [1, 2],
      );
      // The unique key still holds under its new name.
      assert.equal((await refusal(`INSERT INTO ${table} VALUES (1, 5, 'x')`))[0], 1062);
    });

    it(`keeps a key for an AUTO_INCREMENT column (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `auto_${(kind || 'columnstore').toLowerCase()}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT AUTO_INCREMENT PRIMARY KEY, v INT)`);
      const wrongAutoKey: [number, string] = [
        1075,
        'Incorrect table definition; there can be only one auto column and it must be defined as a key',
      ];
      assert.deepEqual(await refusal(`ALTER TABLE ${table} DROP PRIMARY KEY`), wrongAutoKey);
      await db.query(`INSERT INTO ${table} (v) VALUES (7)`);
      const [rows] = await db.query<RowDataPacket[]>(`SELECT id, v FROM ${table}`);
      assert.deepEqual(
        rows.map((row) => [Number(row.id), Number(row.v)]),
        [[1, 7]],
      );
    });
  }
});
