/**
 * DOUBLE and FLOAT values in text — result rows, CONCAT, CAST AS CHAR, LENGTH, GROUP_CONCAT —
 * and CAST AS FLOAT, and FLOAT compared with other numbers (in double precision), on both
 * storage engines, over 4 partitions. Every expected text is MariaDB
 * 10.11's answer to the same statements over the same rows (a throwaway server; the `mariadb`
 * client and mysql2 for the column definitions), written in
 * as it printed them: positional from 1e-15 up to 1e15 and for numbers with a fraction, else
 * exponents without '+'; FLOAT to 6 significant digits.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const ROWS =
  '(1,1e15,1e15),(2,1e14,1e14),(3,1.2345678901234567e-10,1.2345678e-10),(4,1e-16,1e-16),(5,1e-15,1e-15),(6,123456789012345678,1234567),(7,0.1,0.1),(8,1e38,3e38),(9,3.14159265,3.14159265),(10,-0.00001234567,-0.00001234567),(11,1000000000000000.2,16777216),(12,NULL,NULL)';

const VALUES: readonly (readonly [string, string | null, string | null])[] = [
  ['1', '1e15', '1e15'],
  ['2', '100000000000000', '100000000000000'],
  ['3', '0.00000000012345678901234568', '0.000000000123457'],
  ['4', '1e-16', '1e-16'],
  ['5', '0.000000000000001', '0.000000000000001'],
  ['6', '1.2345678901234568e17', '1234570'],
  ['7', '0.1', '0.1'],
  ['8', '1e38', '3e38'],
  ['9', '3.14159265', '3.14159'],
  ['10', '-0.00001234567', '-0.0000123457'],
  ['11', '1000000000000000.2', '16777200'],
  ['12', null, null],
];

describe('DOUBLE and FLOAT text as MariaDB writes it', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rowsOf = async (sql: string): Promise<unknown[][]> => {
    const [rows] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return rows;
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE doubles PARTITIONS 4');
    await db.query('USE doubles');
    for (const kind of ['COLUMNSTORE', 'ROWSTORE']) {
      const table = `t_${kind.toLowerCase()}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, d DOUBLE, f FLOAT)`);
      await db.query(`INSERT INTO ${table} VALUES ${ROWS}`);
    }
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const table of ['t_columnstore', 't_rowstore']) {
    it(`sends column values as MariaDB (${table})`, async () => {
      assert.deepEqual(await rowsOf(`SELECT id, d, f FROM ${table} ORDER BY id`), VALUES);
    });

    it(`converts them to strings as MariaDB (${table})`, async () => {
      const expected = VALUES.map(([id, d, f]) => [id, d, f, f, d === null ? null : `${d.length}`]);
      assert.deepEqual(
        await rowsOf(
          `SELECT id, CONCAT(d), CONCAT(f), CAST(f AS CHAR), LENGTH(d) FROM ${table} ORDER BY id`,
        ),
        expected,
      );
    });

    it(`prints PERCENT_RANK and CUME_DIST with MariaDB's 10 decimals (${table})`, async () => {
      const [rows, fields] = await db.query<RowDataPacket[][]>({
        sql: `SELECT id, PERCENT_RANK() OVER (ORDER BY d), CUME_DIST() OVER (ORDER BY d) FROM ${table} WHERE id IN (3, 7, 9, 12) ORDER BY id`,
        rowsAsArray: true,
      });
      assert.deepEqual(rows, [
        ['3', '0.3333333333', '0.5000000000'],
        ['7', '0.6666666667', '0.7500000000'],
        ['9', '1.0000000000', '1.0000000000'],
        ['12', '0.0000000000', '0.2500000000'],
      ]);
      assert.deepEqual(
        fields
          .slice(1)
          .map((field) => `${field.columnType}/${field.columnLength}/${field.decimals}`),
        ['5/17/10', '5/17/10'],
      );
    });

    it(`sizes their text columns as MariaDB (${table})`, async () => {
      const [, fields] = await db.query<RowDataPacket[][]>({
        sql: `SELECT CONCAT(d), CONCAT(f), CAST(d AS CHAR), CAST(f AS CHAR), CONCAT(d * 2), CONCAT(f + 0) FROM ${table} WHERE id = 9`,
        rowsAsArray: true,
      });
      // A DOUBLE column is 22 characters wide, a FLOAT column 12, a computed DOUBLE 23.
      assert.deepEqual(
        fields.map((field) => field.columnLength),
        [88, 48, 88, 48, 92, 92],
      );
    });

    it(`casts to FLOAT as MariaDB (${table})`, async () => {
      assert.deepEqual(
        await rowsOf(
          `SELECT CAST(d AS FLOAT), CAST(f AS FLOAT) + 0, CONCAT(CAST(d AS FLOAT)) FROM ${table} WHERE id IN (1, 6, 9, 12) ORDER BY id`,
        ),
        [
          ['1e15', '999999986991104', '1e15'],
          ['1.23457e17', '1234567', '1.23457e17'],
          ['3.14159', '3.1415927410125732', '3.14159'],
          [null, null, null],
        ],
      );
    });

    it(`joins them in GROUP_CONCAT as MariaDB (${table})`, async () => {
      const list = (column: number): string =>
        VALUES.flatMap((row) => (row[column] === null ? [] : [row[column]])).join(',');
      assert.deepEqual(
        await rowsOf(
          `SELECT GROUP_CONCAT(d ORDER BY id), GROUP_CONCAT(f ORDER BY id) FROM ${table}`,
        ),
        [[list(1), list(2)]],
      );
    });
  }

  it('casts constants to FLOAT as MariaDB: single precision, clamped, type 4 of length 12', async () => {
    const [rows, fields] = await db.query<RowDataPacket[][]>({
      sql: "SELECT CAST(3.14159265 AS FLOAT), CAST('2.5' AS FLOAT), CAST(3.14159265 AS FLOAT) + 0, CAST(1e39 AS FLOAT), CAST(NULL AS FLOAT), CAST(-1e39 AS FLOAT), CAST('abc' AS FLOAT)",
      rowsAsArray: true,
    });
    assert.deepEqual(rows, [
      ['3.14159', '2.5', '3.1415927410125732', '3.40282e38', null, '-3.40282e38', '0'],
    ]);
    assert.deepEqual(
      fields.map((field) => `${field.columnType}/${field.columnLength}/${field.decimals}`),
      ['4/12/31', '4/12/31', '5/23/31', '4/12/31', '4/12/31', '4/12/31', '4/12/31'],
    );
  });

  it('writes computed DOUBLE values as MariaDB', async () => {
    assert.deepEqual(
      await rowsOf(
        'SELECT CONCAT(1e15), CONCAT(1e-7), CAST(1e-7 AS CHAR), CONCAT(-1.5e-7), CONCAT(-0e0), CONCAT(1e16), CONCAT(1e-16), CONCAT(123.25e0), CONCAT(-1234567890123456.8e0), 1e15, 1e-15 * 1.5, 2e0/3e5',
      ),
      [
        [
          '1e15',
          '0.0000001',
          '0.0000001',
          '-0.00000015',
          '0',
          '1e16',
          '1e-16',
          '123.25',
          '-1234567890123456.8',
          '1e15',
          '0.0000000000000015000000000000001',
          '0.000006666666666666667',
        ],
      ],
    );
  });

  for (const table of ['t_columnstore', 't_rowstore']) {
    it(`compares FLOAT with other numbers in double precision, as MariaDB (${table})`, async () => {
      // FLOAT 0.1 is 0.100000001490116: not equal to the DECIMAL 0.1, and greater than it.
      assert.deepEqual(await rowsOf(`SELECT id FROM ${table} WHERE f = 0.1`), []);
      assert.deepEqual(
        await rowsOf(`SELECT id FROM ${table} WHERE f = 16777216 OR f = 1234567 ORDER BY id`),
        [['6'], ['11']],
      );
      assert.deepEqual(
        await rowsOf(
          `SELECT id, f > 0.1, f < 0.1, f = d, f IN (0.1, 3.14159265), f BETWEEN 0.1 AND 0.2, f = 0.1e0 FROM ${table} WHERE id IN (7, 9, 12) ORDER BY id`,
        ),
        [
          ['7', '1', '0', '0', '0', '1', '0'],
          ['9', '1', '0', '0', '0', '0', '0'],
          ['12', null, null, null, null, null, null],
        ],
      );
      assert.deepEqual(await rowsOf(`SELECT COUNT(*) FROM ${table} WHERE f > 0.1`), [['7']]);
      assert.deepEqual(
        await rowsOf(`SELECT id FROM ${table} WHERE f IN (0.1, 16777216, 3.14159265)`),
        [['11']],
      );
      assert.deepEqual(await rowsOf(`SELECT id FROM ${table} WHERE f = CAST(0.1 AS FLOAT)`), [
        ['7'],
      ]);
    });
  }
});
