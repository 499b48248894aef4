/**
 * Golden tests: every query in golden/*.slt is translated for DuckDB and SQLite, run on the real
 * engines over the fixture tables, and compared with the rows and column types a real MariaDB
 * returned (regenerate with EXO_GOLDEN_REGENERATE=1; needs mariadbd and mariadb-install-db).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseStatement } from '../../src/parser/parse.js';
import type { Query } from '../../src/parser/ast-query.js';
import { canTranslate, translateQuery, type Dialect } from '../../src/dialect/index.js';
import type { ColumnMeta } from '../../src/values.js';
import { resolver, setupStatements } from './support/fixtures.js';
import { openEngines, runDuckdb, runSqlite, type Engines } from './support/engines.js';
import { formatGolden, parseGolden, type GoldenQuery } from './support/slt.js';
import { startMariaDb } from './support/mariadb.js';

const directory = fileURLToPath(new URL('../../../test/dialect/golden/', import.meta.url));
const files = readdirSync(directory)
  .filter((f) => f.endsWith('.slt'))
  .sort();
const now = '2024-05-06 07:08:09';

function letter(column: ColumnMeta): string {
  switch (column.type) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'bool':
      return 'I';
    case 'decimal':
      return 'D';
    case 'double':
    case 'float':
      return 'F';
    case 'date':
      return 'A';
    case 'datetime':
    case 'timestamp':
      return 'S';
    case 'time':
      return 'M';
    case 'blob':
    case 'char':
    case 'json':
    case 'null':
    case 'text':
    case 'varchar':
      return 'T';
  }
}

function asQuery(sql: string): Query {
  const statement = parseStatement(sql) as { kind: string };
  if (statement.kind !== 'select' && statement.kind !== 'setOperation' && statement.kind !== 'with')
    throw new Error(`not a query: ${sql}`);
  return statement as Query;
}

/** Floating-point results may differ in the last digits between engines' algorithms. */
function sameRows(actual: readonly string[], expected: readonly string[], types: string): boolean {
  if (actual.length !== expected.length) return false;
  return actual.every((row, r) => {
    const a = row.split('\t');
    const e = (expected[r] ?? '').split('\t');
    return (
      a.length === e.length &&
      a.every(
        (cell, c) =>
          cell === e[c] ||
          (types[c] === 'F' &&
            Math.abs(Number(cell) - Number(e[c])) <= 1e-9 * Math.max(1, Math.abs(Number(e[c])))),
      )
    );
  });
}

function sorted(rows: readonly string[], query: GoldenQuery): string[] {
  return query.flags.includes('rowsort') ? [...rows].sort() : [...rows];
}

async function regenerate(): Promise<void> {
  const server = await startMariaDb();
  try {
    for (const statement of setupStatements('mysql')) await server.query(statement);
    for (const file of files) {
      const path = `${directory}${file}`;
      const queries = parseGolden(readFileSync(path, 'utf8'));
      const updated: GoldenQuery[] = [];
      for (const query of queries) {
        if (query.flags.includes('mysql-only')) {
          updated.push(query);
          continue;
        }
        const result = await server.query(query.sql);
        updated.push({ ...query, types: result.types, expected: sorted(result.rows, query) });
      }
      writeFileSync(path, formatGolden(updated));
    }
  } finally {
    await server.close();
  }
}

if (process.env['EXO_GOLDEN_REGENERATE'] === '1') {
  it('regenerates golden expectations from MariaDB', async () => {
    await regenerate();
  });
} else {
  for (const file of files) {
    describe(`golden ${file}`, () => {
      let engines: Engines;
      before(async () => {
        engines = await openEngines();
      });
      after(() => engines.close());
      for (const query of parseGolden(readFileSync(`${directory}${file}`, 'utf8'))) {
        const dialects: Dialect[] = query.flags.includes('duckdb-only')
          ? ['duckdb']
          : ['duckdb', 'sqlite'];
        for (const dialect of dialects) {
          // A known deviation stays visible as a todo until the translation is fixed.
          const todo = query.flags.includes(`xfail-${dialect}`)
            ? { todo: 'known deviation from MySQL' }
            : {};
          it(`${file}:${query.line} [${dialect}] ${query.sql.slice(0, 80)}`, todo, async (t) => {
            const ast = asQuery(query.sql);
            const options = { dialect, resolve: resolver(), now };
            if (dialect === 'sqlite' && !canTranslate(ast, options)) {
              t.diagnostic('not expressible in SQLite: the planner runs it on DuckDB');
              return;
            }
            const translated = translateQuery(ast, options);
            const rows =
              dialect === 'duckdb'
                ? await runDuckdb(engines, translated.sql, translated.columns)
                : runSqlite(engines, translated.sql, translated.columns);
            const types = translated.columns.map(letter).join('');
            const message = `engine SQL: ${translated.sql}`;
            assert.ok(
              sameRows(sorted(rows, query), query.expected, query.types),
              `${message}\nexpected:\n${query.expected.join('\n')}\nactual:\n${sorted(rows, query).join('\n')}`,
            );
            assert.equal(types, query.types, `column types; ${message}`);
          });
        }
      }
    });
  }
}
