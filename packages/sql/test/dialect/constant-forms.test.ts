/**
 * Translations worked out before the engine sees them give the answers of the general forms
 * they skip: a DATE literal plus or minus a whole INTERVAL of days, weeks, months, quarters
 * or years is a DATE literal; SUBSTRING with constant positions from the start is the
 * engine's substr; a slice of a string column compared with constants is trimmed only when it
 * ends with a space. Each case runs on a real DuckDB against the general form, which the
 * translator still writes when the operand is a column.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parseStatement } from '../../src/parser/parse.js';
import type { Query } from '../../src/parser/ast-query.js';
import { translateQuery } from '../../src/dialect/index.js';
import type { ColumnMeta } from '../../src/values.js';

const COLUMNS: ColumnMeta[] = [
  { name: 'dt', type: 'date', nullable: true },
  { name: 's', type: 'varchar', length: 40, nullable: true },
  { name: 'n', type: 'int', nullable: true },
];

const DATES = [
  '2024-01-31',
  '2024-02-29',
  '2023-02-28',
  '1999-12-31',
  '2000-03-31',
  '1994-01-01',
  '1998-12-01',
  '0001-01-01',
  '9999-12-31',
];
const AMOUNTS = ['1', '-1', '0', '13', '90', "'1'", "'-90'", '400', '-2'];
const UNITS = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'];

const STRINGS = ['13-555-0101', 'ab', 'a ', ' 1', 'É1 x', '1', '', null, '13 ', 'Ab c'];

function translate(sql: string, dialect: 'duckdb' | 'sqlite' = 'duckdb'): string {
  return translateQuery(parseStatement(sql) as Query, {
    dialect,
    resolve: {
      resolveTable: (_database, name) =>
        name === 't' ? { engineName: 't', columns: COLUMNS } : undefined,
    },
  }).sql;
}

describe('constant forms worked out by the translator', () => {
  let instance: DuckDBInstance;
  let duck: DuckDBConnection;

  before(async () => {
    instance = await DuckDBInstance.create(':memory:');
    duck = await instance.connect();
    await duck.run('CREATE TABLE t (dt DATE, s VARCHAR COLLATE NOCASE, n INTEGER)');
    const rows = STRINGS.map((s, index) => `(NULL, ${s === null ? 'NULL' : `'${s}'`}, ${index})`);
    await duck.run(`INSERT INTO t VALUES ${rows.join(', ')}`);
  });
  after(() => {
    duck.closeSync();
    instance.closeSync();
  });

  async function values(sql: string): Promise<string[]> {
    const reader = await duck.runAndReadAll(sql);
    return reader.getRows().map((row) => String(row[0]));
  }

  it('writes a DATE literal moved by a whole interval as a DATE literal', () => {
    const sql = translate("SELECT n FROM t WHERE dt < DATE '1994-01-01' + INTERVAL '1' YEAR");
    assert.match(sql, /DATE '1995-01-01'/);
    assert.doesNotMatch(sql, /to_years|regexp_extract/);
    assert.match(translate("SELECT DATE_SUB(DATE '1998-12-01', INTERVAL 90 DAY)"), /'1998-09-02'/);
    assert.match(
      translate("SELECT DATE '2024-01-31' + INTERVAL 1 MONTH", 'sqlite'),
      /^SELECT '2024-02-29'/,
    );
    // A fraction, an expression or a DATETIME is left to the engine.
    assert.match(translate("SELECT DATE '2024-01-31' + INTERVAL 1.5 DAY"), /to_days/);
    assert.match(translate("SELECT DATE '2024-01-31' + INTERVAL n DAY FROM t"), /to_days/);
    assert.match(translate("SELECT TIMESTAMP '2024-01-31 10:00:00' + INTERVAL 1 DAY"), /to_days/);
  });

  it('moves the date as the general form does, month ends and range ends included', async () => {
    await duck.run('CREATE TEMP TABLE one_date (dt DATE)');
    for (const date of DATES) {
      await duck.run('DELETE FROM one_date');
      await duck.run(`INSERT INTO one_date VALUES (DATE '${date}')`);
      for (const unit of UNITS) {
        for (const amount of AMOUNTS) {
          for (const [name, sign] of [
            ['DATE_ADD', '+'],
            ['DATE_SUB', '-'],
          ] as const) {
            const folded = translate(`SELECT ${name}(DATE '${date}', INTERVAL ${amount} ${unit})`);
            const general = translate(
              `SELECT dt ${sign} INTERVAL ${amount} ${unit} FROM t`,
            ).replace(/FROM "t" AS "t"/, 'FROM one_date AS "t"');
            const label = `${name}(${date}, ${amount} ${unit})`;
            assert.deepEqual(await values(folded), await values(general), label);
          }
        }
      }
    }
  });

  it('takes a slice with constant positions as substr, with the general form answers', async () => {
    const sql = translate('SELECT SUBSTRING(s, 1, 2) FROM t');
    assert.match(sql, /^SELECT substr\("t"\."s", 1, 2\)/);
    assert.doesNotMatch(sql, /CASE/);
    const slices = ['1, 2', '2', '3, 1', '1, 100', '5, 2', '2147483647, 1'];
    for (const slice of slices) {
      const folded = translate(`SELECT SUBSTRING(s, ${slice}) FROM t ORDER BY n`);
      // A position read from a column takes the general form.
      const [position, length] = slice.split(', ');
      const general = translate(
        `SELECT SUBSTRING(s, n - n + ${position ?? ''}${length === undefined ? '' : `, ${length}`}) FROM t ORDER BY n`,
      );
      assert.match(general, /CASE/);
      assert.deepEqual(await values(folded), await values(general), slice);
    }
    // Zero, negative and non-literal positions keep the general form.
    assert.match(translate('SELECT SUBSTRING(s, 0, 2) FROM t'), /CASE/);
    assert.match(translate('SELECT SUBSTRING(s, -2) FROM t'), /CASE/);
    assert.match(translate('SELECT SUBSTRING(s, 1, 0) FROM t'), /CASE/);
  });

  it('compares a slice with constants without trimming each row, as the trimmed slice', async () => {
    const lists = ["'13', '1'", "'ab', 'É1'", "'a', ''", "'AB'"];
    for (const list of lists) {
      for (const not of ['', 'NOT ']) {
        const mysql = `SELECT n FROM t WHERE SUBSTRING(s, 1, 2) ${not}IN (${list}) ORDER BY n`;
        const sql = translate(mysql);
        assert.match(sql, /ends_with\(substr\("t"\."s", 1, 2\), ' '\)/);
        assert.doesNotMatch(sql, /rtrim\('/);
        const trimmed = list
          .split(', ')
          .map((item) => `(rtrim(${item}, ' ') COLLATE NOCASE)`)
          .join(', ');
        const replaced = `SELECT n FROM t WHERE (rtrim(substr(s, 1, 2), ' ') COLLATE NOCASE) ${not}IN (${trimmed}) ORDER BY n`;
        assert.deepEqual(await values(sql), await values(replaced), mysql);
      }
    }
  });
});
