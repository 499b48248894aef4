/**
 * The faster DuckDB forms of four translations give the answers of the forms they replace:
 * a case-insensitive LIKE with a literal pattern runs as `lower(x) LIKE lower(p)` (without
 * ESCAPE when the pattern holds no backslash, and x stripped of its COLLATE NOCASE) instead of
 * `x ILIKE p ESCAPE '\'`; a string column compared with constants (=, <>, IN) is trimmed only
 * when it ends with a space; a DATE compared with a DATE is not cast to TIMESTAMP; and an
 * integer beside a DECIMAL or DOUBLE operand is no longer widened to BIGINT first. Each case
 * runs the translation and the replaced form on a real DuckDB over the same rows.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parseStatement } from '../../src/parser/parse.js';
import type { Query } from '../../src/parser/ast-query.js';
import { translateQuery } from '../../src/dialect/index.js';
import type { ColumnMeta } from '../../src/values.js';

const COLUMNS: ColumnMeta[] = [
  { name: 's', type: 'varchar', length: 40, nullable: true },
  { name: 'd', type: 'decimal', precision: 15, scale: 2, nullable: true },
  { name: 'i', type: 'int', nullable: true },
  { name: 'f', type: 'double', nullable: true },
  { name: 'dt', type: 'date', nullable: true },
];

// Mixed case, non-ASCII letters whose lower case is another code point (Kelvin sign, dotted
// capital I, final sigma), ligatures, LIKE's own characters, and NULL.
const STRINGS = [
  'Special Requests',
  'special requests',
  'SPECIAL accounts REQUESTS',
  'İSTANBUL',
  'istanbul',
  '\u212Aelvin',
  'kelvin',
  'ΣΊΣΥΦΟΣ',
  'straße',
  'STRASSE',
  'ﬁle',
  'a_c',
  'A%C',
  'a\\c',
  '',
  null,
  // Trailing spaces (PAD SPACE: not counted by =, <>, IN) and other trailing blanks.
  'Special Requests  ',
  'istanbul ',
  ' kelvin',
  'a_c\t',
  ' ',
];

const PATTERNS = [
  '%special%requests%',
  '%SS%',
  'k%',
  'i%',
  'a_c',
  'A\\%C',
  'a\\\\c',
  '%ΣΟΣ',
  'fi%',
  '',
];

function asQuery(sql: string): Query {
  return parseStatement(sql) as Query;
}

function translate(sql: string): string {
  return translateQuery(asQuery(sql), {
    dialect: 'duckdb',
    resolve: {
      resolveTable: (_database, name) =>
        name === 't' ? { engineName: 't', columns: COLUMNS } : undefined,
    },
  }).sql;
}

function mysqlString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

function duckString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

describe('DuckDB forms of LIKE and integer arithmetic', () => {
  let instance: DuckDBInstance;
  let duck: DuckDBConnection;

  before(async () => {
    instance = await DuckDBInstance.create(':memory:');
    duck = await instance.connect();
    // Text columns as the partitions keep them.
    await duck.run(
      'CREATE TABLE t (s VARCHAR COLLATE NOCASE, d DECIMAL(15,2), i INTEGER, f DOUBLE, dt DATE)',
    );
    const rows = STRINGS.map(
      (s, index) =>
        `(${s === null ? 'NULL' : duckString(s)}, ${(index * 0.07).toFixed(2)}, ${
          index === 0 ? 2147483647 : index * 1000
        }, ${index / 8}, ${index === 3 ? 'NULL' : `DATE '1993-09-01' + INTERVAL ${index * 11} DAY`})`,
    );
    await duck.run(`INSERT INTO t VALUES ${rows.join(', ')}`);
  });
  after(() => {
    duck.closeSync();
    instance.closeSync();
  });

  async function column(sql: string): Promise<string[]> {
    const reader = await duck.runAndReadAll(sql);
    return reader.getRows().map((row) => String(row[0]));
  }

  it('translates a literal LIKE pattern to lower() without ESCAPE', () => {
    const sql = translate("SELECT s FROM t WHERE s NOT LIKE '%special%requests%'");
    // decode(encode(s)) is the text without the column's COLLATE NOCASE.
    assert.match(
      sql,
      /lower\(decode\(encode\("t"\."s"\)\)\) NOT LIKE lower\('%special%requests%'\)\)/,
    );
    assert.doesNotMatch(sql, /ILIKE|ESCAPE/);
  });

  it('keeps ESCAPE for a pattern with a backslash or an explicit escape', () => {
    assert.match(translate("SELECT s FROM t WHERE s LIKE 'a\\\\%c'"), /LIKE lower\(.*ESCAPE/);
    assert.match(translate("SELECT s FROM t WHERE s LIKE 'a|%c' ESCAPE '|'"), /ESCAPE '\|'/);
  });

  it('keeps ILIKE for a pattern that is not a literal', () => {
    assert.match(translate("SELECT s FROM t WHERE s LIKE concat(s, '%')"), / ILIKE .* ESCAPE/);
  });

  it('keeps a binary LIKE case-sensitive', () => {
    const sql = translate("SELECT s FROM t WHERE s LIKE BINARY 'Special%'");
    assert.doesNotMatch(sql, /ILIKE|lower\(/);
  });

  it('matches the rows ILIKE ... ESCAPE matched, for every pattern', async () => {
    for (const pattern of PATTERNS) {
      for (const not of ['', 'NOT ']) {
        const translated = translate(
          `SELECT s FROM t WHERE s ${not}LIKE ${mysqlString(pattern)} ORDER BY i`,
        );
        const replaced = `SELECT s FROM t WHERE s ${not}ILIKE ${duckString(pattern)} ESCAPE '\\' ORDER BY i`;
        assert.deepEqual(await column(translated), await column(replaced), `${not}LIKE ${pattern}`);
      }
    }
  });

  it('compares a column with constants as the trimmed column, without trimming each row', async () => {
    assert.match(translate("SELECT s FROM t WHERE s = 'kelvin'"), /ends_with\("t"\."s", ' '\)/);
    const constants = ['special requests', 'ISTANBUL ', 'kelvin', 'a_c', '', ' kelvin', 'straße'];
    const trimmed = (value: string): string => `(rtrim(${duckString(value)}, ' ') COLLATE NOCASE)`;
    const trimmedColumn = "(rtrim(s, ' ') COLLATE NOCASE)";
    for (const [index, value] of constants.entries()) {
      const other = constants[(index + 1) % constants.length] as string;
      const cases: [string, string][] = [
        [`s = ${mysqlString(value)}`, `${trimmedColumn} = ${trimmed(value)}`],
        [`${mysqlString(value)} <> s`, `${trimmedColumn} <> ${trimmed(value)}`],
        [
          `s IN (${mysqlString(value)}, ${mysqlString(other)})`,
          `${trimmedColumn} IN (${trimmed(value)}, ${trimmed(other)})`,
        ],
        [
          `s NOT IN (${mysqlString(value)}, ${mysqlString(other)})`,
          `${trimmedColumn} NOT IN (${trimmed(value)}, ${trimmed(other)})`,
        ],
      ];
      for (const [mysql, replaced] of cases) {
        assert.deepEqual(
          await column(translate(`SELECT s FROM t WHERE ${mysql} ORDER BY i`)),
          await column(`SELECT s FROM t WHERE ${replaced} ORDER BY i`),
          mysql,
        );
      }
    }
  });

  it('compares a DATE with a DATE as dates, the same rows as through TIMESTAMP', async () => {
    const filters = [
      "dt >= DATE '1993-10-01'",
      "dt < DATE '1993-10-01' + INTERVAL '3' MONTH",
      "dt >= DATE '1993-10-01' AND dt < DATE '1993-10-01' + INTERVAL '3' MONTH",
      "dt BETWEEN DATE '1993-10-12' AND DATE '1993-11-30'",
      "dt IN (DATE '1993-09-12', DATE '1993-10-06')",
      "dt <> DATE '1993-09-01'",
    ];
    const viaTimestamp = [
      "dt::TIMESTAMP >= TIMESTAMP '1993-10-01'",
      "dt::TIMESTAMP < TIMESTAMP '1994-01-01'",
      "dt::TIMESTAMP >= TIMESTAMP '1993-10-01' AND dt::TIMESTAMP < TIMESTAMP '1994-01-01'",
      "dt::TIMESTAMP BETWEEN TIMESTAMP '1993-10-12' AND TIMESTAMP '1993-11-30'",
      "dt::TIMESTAMP IN (TIMESTAMP '1993-09-12', TIMESTAMP '1993-10-06')",
      "dt::TIMESTAMP <> TIMESTAMP '1993-09-01'",
    ];
    for (const [index, filter] of filters.entries()) {
      const sql = translate(`SELECT s FROM t WHERE ${filter} ORDER BY i`);
      // The column stays bare, so DuckDB's zone maps on it still prune.
      assert.doesNotMatch(sql, /CAST\("t"\."dt" AS TIMESTAMP\)/, filter);
      const expected = await column(
        `SELECT s FROM t WHERE ${viaTimestamp[index] ?? ''} ORDER BY i`,
      );
      assert.ok(expected.length > 0, filter);
      assert.deepEqual(await column(sql), expected, filter);
    }
  });

  it('does not widen an integer beside a DECIMAL or a DOUBLE', () => {
    const decimal = translate('SELECT d * (1 - d) FROM t');
    assert.doesNotMatch(decimal, /AS BIGINT/);
    assert.match(decimal, /\(1 - "t"\."d"\)/);
    assert.doesNotMatch(translate('SELECT i + f FROM t'), /AS BIGINT/);
    // Integers with integers still compute in BIGINT.
    assert.match(translate('SELECT i + 1 FROM t'), /CAST\("t"\."i" AS BIGINT\) \+ 1/);
  });

  it('computes the same values as the widened forms', async () => {
    const cases: [string, string][] = [
      ['SELECT d * (1 - d) FROM t ORDER BY i', 'd * (CAST(1 AS BIGINT) - d)'],
      ['SELECT i - d FROM t ORDER BY i', 'CAST(i AS BIGINT) - d'],
      ['SELECT i * d FROM t ORDER BY i', 'CAST(i AS BIGINT) * d'],
      ['SELECT i + f FROM t ORDER BY i', 'CAST(i AS BIGINT) + f'],
      ['SELECT i + 1 FROM t ORDER BY i', 'CAST(i AS BIGINT) + 1'],
    ];
    for (const [mysql, widened] of cases) {
      const translated = translate(mysql);
      const expected = await column(`SELECT ${widened} FROM t ORDER BY i`);
      const got = await column(translated);
      assert.deepEqual(
        got.map((value) => Number(value)),
        expected.map((value) => Number(value)),
        mysql,
      );
    }
    // 2147483647 + 1 on an INT column is 2147483648, as in MySQL.
    const sums = await column(translate('SELECT i + 1 FROM t ORDER BY i'));
    assert.equal(sums.at(-1), '2147483648');
  });
});
