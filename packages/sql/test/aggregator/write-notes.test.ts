/**
 * Values stored with a part dropped, in every sql_mode, as MariaDB 10.11 stores them, on both
 * storage engines: the time of a datetime in a DATE column (NOW() too), the date of a datetime
 * in a TIME column, spaces after a number, and spaces past a VARCHAR's length each give Note
 * 1265 "Data truncated" (there was none), and the spaces are cut where the value was refused
 * (1406) in strict mode. INSERT and UPDATE with a constant; the expected rows and warnings are
 * what MariaDB answered to the same statements through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('Notes for values stored with a part dropped', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE notes PARTITIONS 2');
    await db.query('USE notes');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> =>
    (await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true }))[0];

  /** The statement's warning count and SHOW WARNINGS. */
  const warnings = async (sql: string): Promise<[number, unknown[][]]> => {
    const [result] = await db.query<ResultSetHeader>(sql);
    return [result.warningStatus, await rows('SHOW WARNINGS')];
  };

  const note = (column: string): unknown[] => [
    'Note',
    '1265',
    `Data truncated for column '${column}' at row 1`,
  ];

  for (const storage of ['COLUMNSTORE', 'ROWSTORE']) {
    it(`notes what INSERT and UPDATE drop (${storage})`, async () => {
      const table = `w_${storage.toLowerCase()}`;
      await db.query(
        `CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY, d DATE, n INT, s VARCHAR(5), tm TIME)`,
      );
      const insert = (values: string): Promise<[number, unknown[][]]> =>
        warnings(`INSERT INTO ${table} ${values}`);
      assert.deepEqual(await insert('(id, d) VALUES (1, NOW())'), [1, [note('d')]]);
      assert.deepEqual(await insert(`(id, d) VALUES (2, '2024-01-01 10:00:00')`), [1, [note('d')]]);
      assert.deepEqual(await insert(`(id, d) VALUES (3, '2024-01-01 00:00:00')`), [0, []]);
      assert.deepEqual(await insert('(id, d) VALUES (4, 20240101103000)'), [1, [note('d')]]);
      assert.deepEqual(await insert(`(id, tm) VALUES (5, '2024-01-01 10:00:00')`), [
        1,
        [note('tm')],
      ]);
      assert.deepEqual(await insert(`(id, n) VALUES (6, ' 7 ')`), [1, [note('n')]]);
      assert.deepEqual(await insert(`(id, s) VALUES (7, 'abc  ')`), [0, []]);
      assert.deepEqual(await insert(`(id, s) VALUES (8, 'abcde   ')`), [1, [note('s')]]);
      await assert.rejects(db.query(`INSERT INTO ${table} (id, s) VALUES (9, 'abcdef ')`), {
        errno: 1406,
      });
      assert.deepEqual(
        await warnings(`UPDATE ${table} SET d = '2024-02-02 11:00:00' WHERE id = 1`),
        [1, [note('d')]],
      );
      assert.deepEqual(await warnings(`UPDATE ${table} SET s = 'xyz    ' WHERE id = 7`), [
        1,
        [note('s')],
      ]);
      assert.deepEqual(
        await rows(
          `SELECT id, d, n, CONCAT('[', s, ']'), tm FROM ${table} WHERE id <> 1 ORDER BY id`,
        ),
        [
          ['2', '2024-01-01', null, null, null],
          ['3', '2024-01-01', null, null, null],
          ['4', '2024-01-01', null, null, null],
          ['5', null, null, null, '10:00:00'],
          ['6', null, '7', null, null],
          ['7', null, null, '[xyz  ]', null],
          ['8', null, null, '[abcde]', null],
        ],
      );
      assert.deepEqual(await rows(`SELECT d FROM ${table} WHERE id = 1`), [['2024-02-02']]);
    });
  }
});
