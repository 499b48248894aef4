/**
 * The literal INSERT scanner (`parser/values-scan.ts`) against the parser path: for each text,
 * either the scanner declines (and the parser reports what it reports), or it gives the same
 * statement as the parser, with each item's value equal to what `simpleValue` (the INSERT
 * path's evaluation of a literal node) gives, DEFAULT as undefined, and the statement text
 * `parseScript` gives. Texts marked `fast` must take the scanner's path.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InsertStatement } from '../../src/parser/ast.js';
import { parseScript, parseStatement } from '../../src/parser/index.js';
import { scanLiteralInsert } from '../../src/parser/values-scan.js';
import { simpleValue } from '../../src/aggregator/constants.js';
import type { SqlValue } from '../../src/values.js';

/** What the parser path makes of the rows, or undefined when an item needs the engine. */
function parserRows(statement: InsertStatement): (SqlValue | undefined)[][] | undefined {
  if (statement.source.kind !== 'values') return undefined;
  const rows: (SqlValue | undefined)[][] = [];
  for (const row of statement.source.rows) {
    const values: (SqlValue | undefined)[] = [];
    for (const expr of row) {
      if (expr.kind === 'default' && expr.column === undefined) {
        values.push(undefined);
        continue;
      }
      const value = simpleValue(expr, []);
      if (value === undefined) return undefined;
      values.push(value);
    }
    rows.push(values);
  }
  return rows;
}

/** Checks one text; returns whether the scanner took it. */
function check(sql: string): boolean {
  const scanned = scanLiteralInsert(sql);
  let parsed: InsertStatement | undefined;
  let parseError: unknown;
  try {
    const statement = parseStatement(sql);
    if (statement.kind === 'insert') parsed = statement;
  } catch (error) {
    parseError = error;
  }
  if (scanned === undefined) return false;
  assert.equal(parseError, undefined, `scanner accepted a text the parser refuses: ${sql}`);
  assert.ok(parsed !== undefined, `scanner accepted a non-INSERT: ${sql}`);
  const expected = parserRows(parsed);
  assert.ok(expected !== undefined, `scanner accepted items the engine evaluates: ${sql}`);
  assert.equal(scanned.statement.source.kind, 'rows');
  if (scanned.statement.source.kind !== 'rows') return true;
  assert.deepStrictEqual(scanned.statement.source.rows, expected, sql);
  const { source: _scannedSource, ...scannedRest } = scanned.statement;
  const { source: _parsedSource, ...parsedRest } = parsed;
  assert.deepStrictEqual(scannedRest, parsedRest, sql);
  assert.equal(scanned.text, parseScript(sql)[0]?.text, sql);
  return true;
}

const FAST: readonly string[] = [
  `INSERT INTO t VALUES (1, 'a', 2.50, 1e3, 18446744073709551615)`,
  `insert into t values (1),(2) ,( 3 )`,
  `INSERT IGNORE INTO db.t (a, \`b c\`) VALUES (1, 2)`,
  `REPLACE INTO t VALUE (1, 2)`,
  `INSERT t VALUES (-1, -0, -2.5, -.5, .5, 1., -1e-3, 1E+2, 007, -9223372036854775808)`,
  `INSERT INTO t VALUES (99999999999999999999999999, -99999999999999999999999999)`,
  `INSERT INTO t VALUES ('it''s', "say ""hi""", 'a\\'b', 'c\\\\d', 'nul\\0x', '\\%\\_\\z\\n\\t\\r\\b\\Z')`,
  `INSERT INTO t VALUES ('', "", '"', "'")`,
  `INSERT INTO t VALUES (_utf8mb4'x', _binary 'y', N'z', n'w', _latin1"q")`,
  `INSERT INTO t VALUES (NULL, null, TRUE, false, DEFAULT, default)`,
  `INSERT INTO t VALUES (DATE '2020-01-31', TIME'10:00:00', TIMESTAMP "2020-01-01 00:00:00")`,
  `INSERT INTO t VALUES (1, 'x') /* one */, -- two\n (2, 'y') # three\n, (3, 'z');`,
  `INSERT INTO t VALUES (1);  `,
  `  INSERT INTO t VALUES (1)\n-- trailing comment`,
  `INSERT INTO t () VALUES ()`,
  `INSERT INTO t VALUES (), ()`,
  `INSERT INTO t(a)VALUES(1)`,
  `INSERT INTO t VALUES ('日本語', 'emoji 😀')`,
  `INSERT LOW_PRIORITY IGNORE INTO t VALUES (1)`,
  `INSERT INTO \`values\` VALUES (1)`,
];

const DECLINED: readonly string[] = [
  `INSERT INTO t VALUES (X'4142', 0x41, b'101', 0b1, B'1')`,
  `INSERT INTO t VALUES (0x41)`,
  `INSERT INTO t VALUES (1 + 2)`,
  `INSERT INTO t VALUES ('x' 'y')`,
  `INSERT INTO t VALUES ('x' "y")`,
  `INSERT INTO t VALUES (- 1)`,
  `INSERT INTO t VALUES (--1)`,
  `INSERT INTO t VALUES (+1)`,
  `INSERT INTO t VALUES (-'1')`,
  `INSERT INTO t VALUES (NOW())`,
  `INSERT INTO t VALUES (DEFAULT(a))`,
  `INSERT INTO t VALUES ROW(1), ROW(2)`,
  `INSERT INTO t VALUES ('a' COLLATE utf8mb4_bin)`,
  `INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 2`,
  `INSERT INTO t VALUES (1) AS new`,
  `INSERT INTO t VALUES (1); SELECT 1`,
  `INSERT INTO t VALUES (1);;`,
  `INSERT INTO t VALUES (1) /*! garbage */`,
  `/* lead */ INSERT INTO t VALUES (1)`,
  `INSERT INTO t SELECT 1`,
  `INSERT INTO t SET a = 1`,
  `INSERT INTO t VALUES (?)`,
  `INSERT INTO t VALUES (@a)`,
  `INSERT INTO t VALUES (1abc)`,
  `INSERT INTO t VALUES (1.2.3)`,
  `INSERT INTO t VALUES (_nosuchcharset'x')`,
  `INSERT INTO t VALUES (DATE N'2020-01-01')`,
  `INSERT INTO t VALUES (1e)`,
];

const MALFORMED: readonly string[] = [
  `INSERT INTO t VALUES (1`,
  `INSERT INTO t VALUES (1,)`,
  `INSERT INTO t VALUES (1) garbage`,
  `INSERT INTO t VALUES (1), `,
  `INSERT INTO t VALUES ('unterminated)`,
  `INSERT INTO t VALUES (1) /* open comment`,
  `INSERT INTO t VALUES (1)\n, (2) (3)`,
  `INSERT INTO select VALUES (1)`,
  `INSERT INTO t (a VALUES (1)`,
  `INSERT INTO t VALUES 1`,
  `INSERT INTO t VALUES (.)`,
  `INSERT INTO t VALUES ('a\\`,
];

describe('literal INSERT scanner', () => {
  it('gives the parser path statement and values for literal rows', () => {
    for (const sql of FAST) assert.equal(check(sql), true, `expected the fast path: ${sql}`);
  });

  it('declines engine-evaluated items, other clauses and other statements', () => {
    for (const sql of DECLINED) assert.equal(check(sql), false, `expected a fallback: ${sql}`);
  });

  it('declines malformed texts, which the parser reports', () => {
    for (const sql of MALFORMED) {
      assert.equal(check(sql), false, `expected a fallback: ${sql}`);
      assert.throws(() => parseStatement(sql), { errno: 1064 }, sql);
    }
  });

  it('agrees with the parser on random literal rows', () => {
    let seed = 12345;
    const next = (limit: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % limit;
    };
    const pieces = [
      () => String(next(1000)),
      () => `-${next(100)}`,
      () => `${next(100)}.${next(100)}`,
      () => `${next(9)}e${next(5)}`,
      () => `'${['a', "b''c", 'd\\ne', '\\\\', 'x\\0y', ' '][next(6)] as string}'`,
      () => ['NULL', 'TRUE', 'FALSE', 'DEFAULT'][next(4)] as string,
      () => `_utf8mb4'${next(10)}'`,
      () => `DATE '2020-0${1 + next(9)}-1${next(9)}'`,
      () => '0x1F',
      () => `${next(5)} + 1`,
    ];
    const spaces = [' ', '', '\n', ' /* c */ ', ' -- c\n', '#c\n'];
    let fast = 0;
    for (let text = 0; text < 300; text++) {
      const rows: string[] = [];
      const width = 1 + next(4);
      for (let row = 0; row < 1 + next(5); row++) {
        const items: string[] = [];
        for (let item = 0; item < width; item++)
          items.push(
            `${spaces[next(spaces.length)] as string}${(pieces[next(pieces.length)] as () => string)()}`,
          );
        rows.push(`(${items.join(',')})`);
      }
      const sql = `INSERT INTO t VALUES ${rows.join(spaces[next(spaces.length)] === '' ? ',' : ' , ')}`;
      if (check(sql)) fast++;
    }
    assert.ok(fast > 20, `only ${fast} random texts took the fast path`);
  });
});
