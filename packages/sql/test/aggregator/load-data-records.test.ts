/**
 * LOAD DATA records read as MariaDB 10.11 reads them, on both storage engines (a columnstore
 * load of every column takes the fast path, whose lines with too few or too many fields now go
 * to the exact parser):
 * - too few fields: 1261 per missing column, a NOT NULL column without DEFAULT at its implicit
 *   value; too many: 1262 (both were silent, and a missing NOT NULL field was refused);
 * - with ENCLOSED BY, the word NULL unquoted is NULL, quoted it is the text; `"\N"` is NULL;
 * - `\N` for a NOT NULL column with IGNORE stores the implicit default with 1263 (was 1048);
 * - LAST_INSERT_ID() is the first id the load generated (was 0);
 * - an error raised while the file is read is in SHOW WARNINGS (was empty);
 * - the Notes of lines the fast path hands back to the exact path are kept (were dropped).
 * The expected rows and warnings are what MariaDB answered to the same statements and files
 * through mysql2. Not copied: MariaDB leaves a missing field of a column with DEFAULT 7 at 0;
 * here it takes its DEFAULT, as MySQL's manual says.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('LOAD DATA records as MariaDB reads them', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let file = '';

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'root',
      infileStreamFactory: () => Readable.from([Buffer.from(file)]),
      typeCast: (field) => field.string('utf8'),
    });
    await db.query('CREATE DATABASE records PARTITIONS 2');
    await db.query('USE records');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> =>
    (await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true }))[0];

  /** The load's info line, its SHOW WARNINGS and the table's rows. */
  const load = async (
    table: string,
    sql: string,
    data: string,
  ): Promise<{ info: string; warnings: unknown[][]; rows: unknown[][] }> => {
    file = data;
    const [result] = await db.query(sql);
    return {
      info: (result as unknown as { info: string }).info,
      warnings: await rows('SHOW WARNINGS'),
      rows: await rows(`SELECT * FROM ${table} ORDER BY 1`),
    };
  };

  const missing = (row: number): unknown[] => [
    'Warning',
    '1261',
    `Row ${row} doesn't contain data for all columns`,
  ];

  for (const storage of ['COLUMNSTORE', 'ROWSTORE']) {
    const kind = storage.toLowerCase();

    it(`warns about records with too few or too many fields (${storage})`, async () => {
      const table = `short_${kind}`;
      await db.query(
        `CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(20), n INT, d DATE)`,
      );
      assert.deepEqual(
        await load(
          table,
          `LOAD DATA LOCAL INFILE 'f' INTO TABLE ${table} IGNORE 1 LINES`,
          'h1\th2\n1\ta\n2\tb\t7\t2024-01-01\textra\n3\tc\t8\t2024-01-02\n',
        ),
        {
          info: 'Records: 3  Deleted: 0  Skipped: 0  Warnings: 3',
          warnings: [
            missing(1),
            missing(1),
            [
              'Warning',
              '1262',
              'Row 2 was truncated; it contained more data than there were input columns',
            ],
          ],
          rows: [
            ['1', 'a', null, null],
            ['2', 'b', '7', '2024-01-01'],
            ['3', 'c', '8', '2024-01-02'],
          ],
        },
      );
    });

    it(`gives a missing NOT NULL field its implicit default (${storage})`, async () => {
      const table = `implicit_${kind}`;
      await db.query(
        `CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(5) NOT NULL, n INT NOT NULL, k INT)`,
      );
      assert.deepEqual(
        await load(
          table,
          `LOAD DATA LOCAL INFILE 'f' INTO TABLE ${table}`,
          '1\n2\tab\n3\tabc\t4\t5\n',
        ),
        {
          info: 'Records: 3  Deleted: 0  Skipped: 0  Warnings: 5',
          warnings: [missing(1), missing(1), missing(1), missing(2), missing(2)],
          rows: [
            ['1', '', '0', null],
            ['2', 'ab', '0', null],
            ['3', 'abc', '4', '5'],
          ],
        },
      );
    });

    it(`reads NULL words and \\N in enclosed fields (${storage})`, async () => {
      const table = `nulls_${kind}`;
      await db.query(
        `CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(5) NOT NULL, n INT NOT NULL, k INT)`,
      );
      const null1263 = (column: string, row: number): unknown[] => [
        'Warning',
        '1263',
        `Column set to default value; NULL supplied to NOT NULL column '${column}' at row ${row}`,
      ];
      assert.deepEqual(
        await load(
          table,
          `LOAD DATA LOCAL INFILE 'f' IGNORE INTO TABLE ${table} FIELDS TERMINATED BY ',' ENCLOSED BY '"'`,
          '1,NULL,NULL,NULL\n2,"NULL",\\N,"\\N"\n3,"x",5,NULL\n',
        ),
        {
          info: 'Records: 3  Deleted: 0  Skipped: 0  Warnings: 3',
          warnings: [null1263('name', 1), null1263('n', 1), null1263('n', 2)],
          rows: [
            ['1', '', '0', null],
            ['2', 'NULL', '0', null],
            ['3', 'x', '5', null],
          ],
        },
      );
    });
  }

  it('keeps the Notes of lines the fast path hands to the exact path', async () => {
    // One line: lines handed back are numbered in the order the leaves return them.
    await db.query(
      'CREATE TABLE noted (id INT PRIMARY KEY, s VARCHAR(5), dc DECIMAL(5,2), d DATE)',
    );
    assert.deepEqual(
      await load(
        'noted',
        `LOAD DATA LOCAL INFILE 'f' INTO TABLE noted`,
        '1\tabcde   \t1.005\t2024-01-01 10:00:00\n',
      ),
      {
        info: 'Records: 1  Deleted: 0  Skipped: 0  Warnings: 3',
        warnings: [
          ['Note', '1265', "Data truncated for column 's' at row 1"],
          ['Note', '1265', "Data truncated for column 'dc' at row 1"],
          ['Note', '1265', "Data truncated for column 'd' at row 1"],
        ],
        rows: [['1', 'abcde', '1.01', '2024-01-01']],
      },
    );
  });

  it('sets LAST_INSERT_ID() to the first id a load generates', async () => {
    await db.query('CREATE TABLE auto_ids (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20))');
    file = 'a\nb\n';
    await db.query(`LOAD DATA LOCAL INFILE 'f' INTO TABLE auto_ids (name)`);
    assert.deepEqual(await rows('SELECT id, name, LAST_INSERT_ID() FROM auto_ids ORDER BY id'), [
      ['1', 'a', '1'],
      ['2', 'b', '1'],
    ]);
  });

  it('leaves the error of a load in SHOW WARNINGS', async () => {
    await db.query('CREATE ROWSTORE TABLE unknown_target (id INT PRIMARY KEY, name VARCHAR(20))');
    file = '1\ta\n';
    await assert.rejects(
      db.query(`LOAD DATA LOCAL INFILE 'f' INTO TABLE unknown_target (id, nosuch)`),
      { errno: 1054 },
    );
    assert.deepEqual(await rows('SHOW WARNINGS'), [
      ['Error', '1054', "Unknown column 'nosuch' in 'field list'"],
    ]);
  });
});
