/**
 * Warnings from expressions of constants: division by zero (1365) and strings read as
 * numbers (1292), in SELECT, DO and SET, counted in the OK/EOF packet, SHOW WARNINGS, SHOW
 * COUNT(*) WARNINGS and @@warning_count; which statements keep or clear the previous list; and
 * INSERT/UPDATE of such values refused in strict mode. Every expected value, warning list and
 * error is what MariaDB 10.11 (default sql_mode) answered to the same statements through
 * mysql2 and the `mariadb` CLI.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const run = promisify(execFile);
const DIVISION = ['Warning', 1365, 'Division by 0'];

function truncated(type: string, text: string, level = 'Warning'): unknown[] {
  return [level, 1292, `Truncated incorrect ${type} value: '${text}'`];
}

describe('warnings from expressions', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE warn PARTITIONS 4');
    await db.query('USE warn');
    await db.query('CREATE TABLE t (id INT PRIMARY KEY, a INT, d DECIMAL(5,2))');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown[][];
  };
  const warnings = (): Promise<unknown[][]> => rows('SHOW WARNINGS');
  const count = async (): Promise<[number, number, number]> => {
    const [shown] = await rows('SHOW COUNT(*) WARNINGS');
    const [variables] = await rows('SELECT @@warning_count, @@error_count');
    return [Number(shown?.[0]), Number(variables?.[0]), Number(variables?.[1])];
  };
  const errno = async (sql: string): Promise<[number | undefined, string | undefined]> => {
    try {
      await db.query(sql);
      return [undefined, undefined];
    } catch (error) {
      const failure = error as { errno?: number; message?: string };
      return [failure.errno, failure.message];
    }
  };

  it('SELECT 1/0, MOD and DIV by zero: NULL with 1365', async () => {
    assert.deepEqual(await rows('SELECT 1/0'), [[null]]);
    assert.deepEqual(await warnings(), [DIVISION]);
    assert.deepEqual(await count(), [1, 1, 0]);
    assert.deepEqual(await rows('SELECT 5 MOD 0, 1 DIV 0, 5 % 0, 1/(2-2), MOD(5, 0)'), [
      [null, null, null, null, null],
    ]);
    assert.deepEqual(await warnings(), [DIVISION, DIVISION, DIVISION, DIVISION, DIVISION]);
    // A NULL dividend is no division; a DECIMAL sum stops at its NULL left operand.
    assert.deepEqual(await rows('SELECT NULL/0, 0/0, NULL MOD 0'), [[null, null, null]]);
    assert.deepEqual(await warnings(), [DIVISION]);
    await rows('SELECT 1/0 + 1/0');
    assert.deepEqual(await warnings(), [DIVISION]);
  });

  it('CAST of text that is no date or time: NULL with 1292; a cut date warns "Truncated"', async () => {
    // MariaDB's answers: rows and SHOW WARNINGS.
    const cases: [string, unknown, unknown[][]][] = [
      [
        "CAST('2024-02-30' AS DATE)",
        null,
        [['Warning', 1292, "Incorrect datetime value: '2024-02-30'"]],
      ],
      ["CAST('abc' AS DATETIME)", null, [['Warning', 1292, "Incorrect datetime value: 'abc'"]]],
      ["CAST('25:61:00' AS TIME)", null, [['Warning', 1292, "Incorrect time value: '25:61:00'"]]],
      [
        "CAST('2024-01-05x' AS DATETIME)",
        '2024-01-05 00:00:00',
        [['Warning', 1292, "Truncated incorrect date value: '2024-01-05x'"]],
      ],
      [
        "CAST('10:11:12x' AS TIME)",
        '10:11:12',
        [['Warning', 1292, "Truncated incorrect time value: '10:11:12x'"]],
      ],
      ["CAST('24-01-05' AS DATE)", '2024-01-05', []],
    ];
    for (const [expr, value, expected] of cases) {
      // A statement reading a table clears the list first (one without keeps it).
      await rows('SELECT COUNT(*) FROM t');
      const [[got]] = (await rows(`SELECT CAST(${expr} AS CHAR)`)) as [[unknown]];
      assert.equal(got, value, expr);
      assert.deepEqual(await warnings(), expected, expr);
    }
  });

  it('IF, CASE, COALESCE and AND evaluate only the branch they take', async () => {
    // A statement that reads a table clears the list first.
    await rows('SELECT COUNT(*) FROM t');
    await rows(
      'SELECT IF(0, 1/0, 2), CASE WHEN 0 THEN 1/0 ELSE 1 END, COALESCE(1, 1/0), 0 AND 1/0, IF(1, 2, 1/0)',
    );
    assert.deepEqual(await warnings(), []);
    assert.deepEqual(await rows('SELECT 1 WHERE 1/0 IS NULL'), [[1]]);
    assert.deepEqual(await warnings(), [DIVISION]);
  });

  it('strings read as numbers: 1292 with the type MariaDB names', async () => {
    assert.deepEqual(await rows("SELECT CAST('abc' AS SIGNED) = 0, '12abc' + 0"), [[1, 12]]);
    assert.deepEqual(await warnings(), [truncated('INTEGER', 'abc'), truncated('DOUBLE', '12abc')]);
    assert.deepEqual(await rows("SELECT CAST('1x' AS DECIMAL(5,2))"), [['1.00']]);
    assert.deepEqual(await warnings(), [truncated('DECIMAL', '1x')]);
    await rows("SELECT 'abc' = 0, 'abc' = 1.5, 'x' DIV 1, 5 MOD '2x', -'abc', ABS('abc')");
    assert.deepEqual(await warnings(), [
      truncated('DECIMAL', 'abc'),
      truncated('DOUBLE', 'abc'),
      truncated('DECIMAL', 'x'),
      truncated('DOUBLE', '2x'),
      truncated('DOUBLE', 'abc'),
      truncated('DOUBLE', 'abc'),
    ]);
    // Trailing spaces are a Note; leading spaces and a whole number are fine.
    await rows(
      "SELECT CAST(' 12' AS SIGNED), CAST('12 ' AS SIGNED), '12 ' + 0, CAST('' AS SIGNED)",
    );
    assert.deepEqual(await warnings(), [
      truncated('INTEGER', '12 ', 'Note'),
      truncated('DOUBLE', '12 ', 'Note'),
      truncated('INTEGER', ''),
    ]);
    // CAST reads the integer a string starts with (MariaDB's values, not 1000 and -13).
    assert.deepEqual(await rows("SELECT CAST('1e3' AS SIGNED), CAST(' -12.9x' AS SIGNED)"), [
      [1, -12],
    ]);
    assert.deepEqual(await warnings(), [
      truncated('INTEGER', '1e3'),
      truncated('INTEGER', ' -12.9x'),
    ]);
    await rows("SELECT CAST('1.5' AS SIGNED), CAST('-1' AS UNSIGNED), 1 + '1x' + 'y'");
    assert.deepEqual(await warnings(), [
      truncated('INTEGER', '1.5'),
      ['Note', 1105, "Cast to unsigned converted negative integer to it's positive complement"],
      truncated('DOUBLE', '1x'),
      truncated('DOUBLE', 'y'),
    ]);
  });

  it('a statement without tables keeps the list; one reading a table clears it', async () => {
    await rows('SELECT 1/0');
    for (const sql of ['SELECT 1', 'SET @x = 1', 'USE warn', 'DO 1', 'SELECT @@warning_count']) {
      await db.query(sql);
      assert.deepEqual(await warnings(), [DIVISION], sql);
    }
    await db.query('BEGIN');
    await db.query('COMMIT');
    assert.deepEqual(await count(), [1, 1, 0]);
    await rows("SHOW VARIABLES LIKE 'x'");
    assert.deepEqual(await count(), [0, 0, 0]);
    await rows('SELECT 1/0');
    await rows('SELECT COUNT(*) FROM t');
    assert.deepEqual(await warnings(), []);
  });

  it('DO and SET count their warnings in the OK packet', async () => {
    const [done] = await db.query<ResultSetHeader>('DO 1/0');
    assert.equal(done.warningStatus, 1);
    const [set] = await db.query<ResultSetHeader>('SET @y = 1/0');
    assert.equal(set.warningStatus, 1);
    assert.deepEqual(await warnings(), [DIVISION]);
    assert.deepEqual(await rows('SELECT @y'), [[null]]);
  });

  it('the EOF packet of a result set carries the count (mariadb CLI)', async () => {
    const { stdout } = await run('mariadb', [
      '-h',
      '127.0.0.1',
      '-P',
      String(cluster.port),
      '-u',
      'root',
      '--table',
      '-vvv',
      '-e',
      "SELECT 1/0; SELECT CAST('abc' AS SIGNED) + '1x'; SELECT 2",
    ]);
    assert.match(stdout, /1 row in set, 1 warning/);
    assert.match(stdout, /1 row in set, 2 warnings/);
    assert.match(stdout, /1 row in set \(/);
  });

  it('INSERT and UPDATE of such values: errors in strict mode, warnings without', async () => {
    assert.deepEqual(await errno('INSERT INTO t VALUES (1, 1/0, 0)'), [1365, 'Division by 0']);
    assert.deepEqual(await errno('INSERT INTO t VALUES (2, 5 MOD 0, 0)'), [1365, 'Division by 0']);
    assert.deepEqual(await errno("INSERT INTO t VALUES (3, CAST('abc' AS SIGNED), 0)"), [
      1292,
      "Truncated incorrect INTEGER value: 'abc'",
    ]);
    assert.deepEqual(await errno("INSERT INTO t VALUES (4, '12abc' + 0, 0)"), [
      1292,
      "Truncated incorrect DOUBLE value: '12abc'",
    ]);
    assert.deepEqual(await errno("INSERT INTO t VALUES (5, 1, CAST('1x' AS DECIMAL(5,2)))"), [
      1292,
      "Truncated incorrect DECIMAL value: '1x'",
    ]);
    assert.deepEqual(await errno('INSERT INTO t SELECT 7, 1/0, 0'), [1365, 'Division by 0']);
    await db.query('INSERT INTO t VALUES (6, NULL, 0)');
    assert.deepEqual(await errno('UPDATE t SET a = 1/0 WHERE id = 6'), [1365, 'Division by 0']);
    assert.deepEqual(await errno('UPDATE t SET a = 1 DIV 0 WHERE id = 6'), [1365, 'Division by 0']);
    assert.deepEqual(await rows('SELECT id, a FROM t ORDER BY id'), [[6, null]]);
    // Strict mode without ERROR_FOR_DIVISION_BY_ZERO stores NULL silently.
    await db.query("SET sql_mode = 'STRICT_TRANS_TABLES'");
    const [strict] = await db.query<ResultSetHeader>('INSERT INTO t VALUES (8, 1/0, 0)');
    assert.equal(strict.warningStatus, 0);
    await db.query("SET sql_mode = 'ERROR_FOR_DIVISION_BY_ZERO'");
    const [lenient] = await db.query<ResultSetHeader>("INSERT INTO t VALUES (9, 1/0, '12abc' + 0)");
    assert.equal(lenient.warningStatus, 2);
    assert.deepEqual(await warnings(), [DIVISION, truncated('DOUBLE', '12abc')]);
    await db.query('SET sql_mode = DEFAULT');
    assert.deepEqual(await rows('SELECT id, a, d FROM t ORDER BY id'), [
      [6, null, '0.00'],
      [8, null, '0.00'],
      [9, null, '12.00'],
    ]);
  });

  for (const kind of ['COLUMNSTORE', 'ROWSTORE'])
    it(`keeps the warnings raised before an error, the error last (${kind})`, async () => {
      const table = `before_${kind.toLowerCase()}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, n TINYINT, s VARCHAR(3))`);
      await db.query(`INSERT INTO ${table} VALUES (1, 1, 'a')`);
      await db.query("SET sql_mode = ''");
      try {
        // Texts as MariaDB 10.11 lists them for the same statements.
        assert.deepEqual(
          await errno(`INSERT INTO ${table} VALUES (4, 1000, 'abcdef'), (1, 2, 'y')`),
          [1062, "Duplicate entry '1' for key 'PRIMARY'"],
        );
        assert.deepEqual(await warnings(), [
          ['Warning', 1264, "Out of range value for column 'n' at row 1"],
          ['Warning', 1265, "Data truncated for column 's' at row 1"],
          ['Error', 1062, "Duplicate entry '1' for key 'PRIMARY'"],
        ]);
        assert.deepEqual(await count(), [3, 3, 1]);
        // Two rows of one key in the statement itself.
        assert.deepEqual(await errno(`INSERT INTO ${table} (id, n) VALUES (5, 'abc'), (5, 1)`), [
          1062,
          "Duplicate entry '5' for key 'PRIMARY'",
        ]);
        assert.deepEqual(await warnings(), [
          [
            'Warning',
            1366,
            `Incorrect integer value: 'abc' for column \`warn\`.\`${table}\`.\`n\` at row 1`,
          ],
          ['Error', 1062, "Duplicate entry '5' for key 'PRIMARY'"],
        ]);
        assert.deepEqual(await rows(`SELECT id FROM ${table} ORDER BY id`), [[1]]);
      } finally {
        await db.query('SET sql_mode = DEFAULT');
      }
    });
});
