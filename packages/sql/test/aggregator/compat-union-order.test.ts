/**
 * UNION [ALL] without ORDER BY in the order MariaDB 10.11 answers it: part by part, each in
 * the order it reads its table (primary key, GROUP BY keys), and for UNION each row where it
 * first appears (case-insensitively for text). Expected rows were recorded from MariaDB
 * (InnoDB) with the same statements; the tables span four partitions and were written out of
 * key order.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const cases: [string, string][] = [
  ['SELECT a FROM ua UNION ALL SELECT b FROM ub', 'a;b;C;d;e;e;A;x;b;c'],
  ['SELECT a FROM ua UNION SELECT b FROM ub', 'a;b;C;d;e;x'],
  [
    'SELECT id, a FROM ua WHERE id > 2 UNION ALL SELECT id, b FROM ub WHERE id < 20',
    '3,C;4,d;5,e;5,e;10,A;15,x',
  ],
  // A DISTINCT union overrides every ALL to its left, not to its right.
  [
    'SELECT id FROM ua UNION ALL SELECT id FROM ub UNION SELECT n FROM ub',
    '1;2;3;4;5;10;15;20;30;null',
  ],
  [
    'SELECT id FROM ub UNION SELECT id FROM ua UNION ALL SELECT n FROM ub',
    '5;10;15;20;30;1;2;3;4;5;3;1;null;2',
  ],
  [
    'SELECT b, COUNT(*) FROM ub GROUP BY b DESC UNION ALL SELECT a, id FROM ua WHERE id < 3',
    'x,1;e,1;c,1;b,1;A,1;a,1;b,2',
  ],
  // A part's ORDER BY counts only with its LIMIT; a LIMIT alone takes the first rows by key.
  [
    '(SELECT a FROM ua ORDER BY a DESC) UNION ALL (SELECT b FROM ub ORDER BY b LIMIT 2)',
    'a;b;C;d;e;A;b',
  ],
  ['(SELECT a AS x FROM ua LIMIT 2) UNION ALL SELECT b FROM ub LIMIT 3', 'a;b;e'],
  ['SELECT a, id FROM ua UNION SELECT b, n FROM ub', 'a,1;b,2;C,3;d,4;e,5;A,3;x,1;b,null;c,2'],
  ['SELECT 3 UNION ALL SELECT 1 UNION ALL SELECT 2', '3;1;2'],
  ['SELECT n FROM ub UNION SELECT NULL UNION SELECT 1', '5;3;1;null;2'],
];

describe('implicit order of UNION', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<string> => {
    const [result] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return result
      .map((row) =>
        row.map((value) => String(value as unknown as string | number | null)).join(','),
      )
      .join(';');
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE uo PARTITIONS 4');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE'])
    it(`answers UNION [ALL] part by part in key order (${kind || 'COLUMNSTORE'})`, async () => {
      await db.query(`CREATE DATABASE uo_${kind || 'c'} PARTITIONS 4`);
      await db.query(`USE uo_${kind || 'c'}`);
      await db.query(`CREATE ${kind} TABLE ua (id INT PRIMARY KEY, a VARCHAR(5))`);
      await db.query(`CREATE ${kind} TABLE ub (id INT PRIMARY KEY, b VARCHAR(5), n INT)`);
      await db.query("INSERT INTO ua VALUES (5, 'e'), (1, 'a'), (3, 'C'), (2, 'b'), (4, 'd')");
      await db.query(
        "INSERT INTO ub (id, b) VALUES (30, 'c'), (10, 'A'), (20, 'b'), (5, 'e'), (15, 'x')",
      );
      await db.query('UPDATE ub SET n = IF(id = 20, NULL, id % 7)');
      for (const [sql, expected] of cases) assert.equal(await rows(sql), expected, sql);
    });

  it('keeps the shown columns, their names and a prepared statement', async () => {
    await db.query('USE uo');
    await db.query('CREATE TABLE pa (id INT PRIMARY KEY, v VARCHAR(5))');
    await db.query("INSERT INTO pa VALUES (3, 'c'), (1, 'a'), (2, 'b')");
    const [result, fields] = await db.execute<RowDataPacket[][]>(
      {
        sql: 'SELECT v, v FROM pa WHERE id > ? UNION ALL SELECT id, 1 + 1 FROM pa WHERE id < ?',
        rowsAsArray: true,
      },
      [1, 3],
    );
    assert.deepEqual(
      fields.map((field) => field.name),
      ['v', 'v'],
    );
    assert.deepEqual(result, [
      ['b', 'b'],
      ['c', 'c'],
      ['1', '2'],
      ['2', '2'],
    ]);
  });
});
