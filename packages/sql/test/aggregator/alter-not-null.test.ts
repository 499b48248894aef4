/**
 * ALTER TABLE … MODIFY/CHANGE COLUMN to NOT NULL over stored NULLs, on both storages and over
 * several partitions: strict mode refuses it before any change (1265), otherwise the NULLs
 * become the implicit default with a 1265 warning per row. The outcomes are MariaDB 10.11's
 * for the same statements (compared side by side); row numbers count per partition here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('ALTER TABLE to NOT NULL over stored NULLs', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE not_null PARTITIONS 3');
    await db.query('USE not_null');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  async function rows(sql: string): Promise<unknown[][]> {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  }

  for (const kind of ['', 'ROWSTORE']) {
    it(`refuses in strict mode and fills otherwise (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `filled_${kind.toLowerCase() || 'column'}`;
      await db.query("SET sql_mode = 'STRICT_TRANS_TABLES'");
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, s VARCHAR(10), i INT, t TIME, d DATE)`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 'a', 1, '01:00:00', '2024-01-01'),
           (2, NULL, NULL, NULL, NULL), (3, NULL, 3, NULL, NULL), (4, 'd', 4, '04:00:00', NULL)`,
      );
      await assert.rejects(
        db.query(`ALTER TABLE ${table} MODIFY COLUMN s VARCHAR(20) NOT NULL DEFAULT ''`),
        { errno: 1265, sqlState: '01000', message: /^Data truncated for column 's' at row \d+$/ },
      );
      // Nothing changed: the column is still nullable, and a NULL can still be written.
      assert.deepEqual((await rows(`SHOW COLUMNS FROM ${table} LIKE 's'`))[0]?.[2], 'YES');
      await db.query(`UPDATE ${table} SET s = NULL WHERE id = 4`);

      await db.query("SET sql_mode = ''");
      await db.query(`ALTER TABLE ${table} MODIFY COLUMN s VARCHAR(20) NOT NULL`);
      assert.deepEqual(
        (await rows('SHOW WARNINGS')).map((w) => [w[0], w[1]]),
        [
          ['Warning', 1265],
          ['Warning', 1265],
          ['Warning', 1265],
        ],
      );
      await db.query(`ALTER TABLE ${table} MODIFY COLUMN i INT NOT NULL, CHANGE t t TIME NOT NULL`);
      // A DATE would take the zero date: refused in every mode.
      await assert.rejects(db.query(`ALTER TABLE ${table} MODIFY COLUMN d DATE NOT NULL`), {
        errno: 1265,
      });
      assert.deepEqual(await rows(`SELECT id, s, i, CAST(t AS CHAR) FROM ${table} ORDER BY id`), [
        [1, 'a', 1, '01:00:00'],
        [2, '', 0, '00:00:00'],
        [3, '', 3, '00:00:00'],
        [4, '', 4, '04:00:00'],
      ]);
      assert.deepEqual(
        (await rows(`SHOW COLUMNS FROM ${table}`)).map((row) => [row[0], row[2]]),
        [
          ['id', 'NO'],
          ['s', 'NO'],
          ['i', 'NO'],
          ['t', 'NO'],
          ['d', 'YES'],
        ],
      );
      // The columns hold no NULL now, so a unique key over them can be built.
      await db.query(`ALTER TABLE ${table} ADD UNIQUE KEY us (id, s)`);
      await db.query('SET sql_mode = DEFAULT');
    });
  }
});
