/**
 * TIMESTAMP's range, '1970-01-01 00:00:01' to '2038-01-19 03:14:07.999999' UTC, as MariaDB
 * 10.11 keeps it: INSERT and UPDATE past it are refused in strict mode with 1292 naming the
 * value as written, and store the zero date with 1264 otherwise; LOAD DATA LOCAL (IGNORE)
 * stores the zero date with 1264; the session's time zone moves the range. Both storages,
 * through mysql2; the answers are MariaDB's to the same statements.
 */
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { refusalOf } from '../support/refusals.js';

describe('TIMESTAMP range', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let file = Buffer.alloc(0);

  before(async () => {
    cluster = await startSqlCluster();
    db = await createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'root',
      infileStreamFactory: () => Readable.from([file]),
    });
    await db.query('CREATE DATABASE tsr');
    await db.query('USE tsr');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  };

  for (const kind of ['', 'ROWSTORE']) {
    it(`refuses or zeroes values past the range (${kind || 'COLUMNSTORE'})`, async () => {
      const t = `t_${(kind || 'columnstore').toLowerCase()}`;
      await db.query(`CREATE ${kind} TABLE ${t} (id INT PRIMARY KEY, t TIMESTAMP NULL)`);
      const incorrect = (value: string): [number, string] => [
        1292,
        `Incorrect datetime value: '${value}' for column \`tsr\`.\`${t}\`.\`t\` at row 1`,
      ];
      for (const value of ['2040-01-01', '1960-01-01 00:00:00', '1970-01-01 00:00:00'])
        assert.deepEqual(
          await refusalOf(db, `INSERT INTO ${t} VALUES (1, '${value}')`),
          incorrect(value),
        );
      assert.deepEqual(
        await refusalOf(db, `INSERT INTO ${t} VALUES (1, 20400101)`),
        incorrect('20400101'),
      );
      await db.query(
        `INSERT INTO ${t} VALUES (6, '2038-01-19 03:14:07'), (7, '1970-01-01 00:00:01')`,
      );
      assert.deepEqual(
        await refusalOf(db, `UPDATE ${t} SET t = '2039-01-01' WHERE id = 6`),
        incorrect('2039-01-01'),
      );
      await db.query("SET sql_mode = ''");
      try {
        await db.query(`INSERT INTO ${t} VALUES (5, '2040-01-01')`);
        assert.deepEqual(await rows('SHOW WARNINGS'), [
          ['Warning', 1264, "Out of range value for column 't' at row 1"],
        ]);
      } finally {
        await db.query('SET sql_mode = DEFAULT');
      }
      // An hour east of UTC, the range is an hour later.
      await db.query("SET time_zone = '+01:00'");
      try {
        await db.query(`INSERT INTO ${t} VALUES (8, '2038-01-19 04:14:07')`);
        assert.deepEqual(
          await refusalOf(db, `INSERT INTO ${t} VALUES (9, '2038-01-19 04:14:08')`),
          incorrect('2038-01-19 04:14:08'),
        );
        assert.deepEqual(
          await refusalOf(db, `INSERT INTO ${t} VALUES (10, '1970-01-01 01:00:00')`),
          incorrect('1970-01-01 01:00:00'),
        );
      } finally {
        await db.query('SET time_zone = DEFAULT');
      }
      file = Buffer.from(
        '11\t2040-01-01 00:00:00\n12\t2020-01-01 00:00:00\n13\t1960-05-05 00:00:00\n',
      );
      await db.query(`LOAD DATA LOCAL INFILE 'rows.tsv' INTO TABLE ${t}`);
      assert.deepEqual(await rows('SHOW WARNINGS'), [
        ['Warning', 1264, "Out of range value for column 't' at row 1"],
        ['Warning', 1264, "Out of range value for column 't' at row 3"],
      ]);
      assert.deepEqual(await rows(`SELECT id, CAST(t AS CHAR) FROM ${t} ORDER BY id`), [
        [5, '0000-00-00 00:00:00'],
        [6, '2038-01-19 03:14:07'],
        [7, '1970-01-01 00:00:01'],
        [8, '2038-01-19 03:14:07'],
        [11, '0000-00-00 00:00:00'],
        [12, '2020-01-01 00:00:00'],
        [13, '0000-00-00 00:00:00'],
      ]);
    });
  }
});
