/**
 * IN lists of integer keys kept as values (`InExpr.keys`, what a semi-join key reduction
 * inlines): the planner's walks see no child per key, and every use spells them as the
 * literal list they replace — the engine SQL, the MySQL text, partition routing. Each case
 * compares the keys form with the same query written with a literal list, and runs both on a
 * real DuckDB.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parseStatement } from '../../src/parser/parse.js';
import type { Expr } from '../../src/parser/ast-expr.js';
import type { Query, SelectStatement } from '../../src/parser/ast-query.js';
import { exprChildren } from '../../src/parser/walk.js';
import { formatExpr } from '../../src/parser/format-expr.js';
import { translateQuery } from '../../src/dialect/index.js';
import { routePartitions } from '../../src/planner/route.js';
import type { TableDef } from '../../src/catalog/types.js';
import type { ColumnMeta } from '../../src/values.js';

const COLUMNS: ColumnMeta[] = [
  { name: 'i', type: 'bigint', nullable: true },
  { name: 'd', type: 'decimal', precision: 10, scale: 2, nullable: true },
  { name: 's', type: 'varchar', length: 20, nullable: true },
];

// Non-negative: a negative literal parses as a unary minus, which the keys spell as `-2`.
const KEYS = [3, 7n, 9_007_199_254_740_993n, 0];

function select(sql: string): SelectStatement {
  return parseStatement(sql) as SelectStatement;
}

/** `query` with its WHERE (an IN list of integer literals) holding the keys as values. */
function withKeys(query: SelectStatement): SelectStatement {
  const where = query.where;
  assert.ok(where?.kind === 'in' && where.list !== undefined);
  const keyed: Expr = { kind: 'in', not: where.not, expr: where.expr, keys: KEYS };
  return { ...query, where: keyed };
}

function translate(query: Query, dialect: 'duckdb' | 'sqlite'): string {
  return translateQuery(query, {
    dialect,
    resolve: {
      resolveTable: (_database, name) =>
        name === 't' ? { engineName: 't', columns: COLUMNS } : undefined,
    },
  }).sql;
}

const LIST = KEYS.join(', ');
const QUERIES = [
  `SELECT i FROM t WHERE i IN (${LIST})`,
  `SELECT i FROM t WHERE i NOT IN (${LIST})`,
  `SELECT i FROM t WHERE d IN (${LIST})`,
  // Text against numbers compares as numbers: the keys take the general path.
  `SELECT i FROM t WHERE s IN (${LIST})`,
];

describe('IN lists of keys kept as values', () => {
  let instance: DuckDBInstance;
  let duck: DuckDBConnection;

  before(async () => {
    instance = await DuckDBInstance.create(':memory:');
    duck = await instance.connect();
    await duck.run('CREATE TABLE t (i BIGINT, d DECIMAL(10,2), s VARCHAR COLLATE NOCASE)');
    await duck.run(
      `INSERT INTO t VALUES (3, 3.00, '3'), (4, 7.00, ' 7'), (9007199254740993, -2.00, '9.007199254740993e15'),
       (0, 0.50, 'x'), (NULL, NULL, NULL), (7, 7.10, '7abc')`,
    );
  });
  after(() => {
    duck.closeSync();
    instance.closeSync();
  });

  async function rows(sql: string): Promise<string[]> {
    const reader = await duck.runAndReadAll(sql);
    return reader
      .getRows()
      .map((row) => String(row[0]))
      .sort();
  }

  it('has no child per key', () => {
    const keyed = withKeys(select(QUERIES[0] as string));
    assert.equal(exprChildren(keyed.where as Expr).length, 1);
  });

  for (const sql of QUERIES) {
    it(`answers as the literal list: ${sql}`, async () => {
      const literal = select(sql);
      const keyed = withKeys(literal);
      assert.equal(formatExpr(keyed.where as Expr), formatExpr(literal.where as Expr));
      // SQLite's form is the same text as the literal list's.
      assert.equal(translate(keyed, 'sqlite'), translate(literal, 'sqlite'));
      const expected = await rows(translate(literal, 'duckdb'));
      assert.ok(expected.length > 0);
      assert.deepEqual(await rows(translate(keyed, 'duckdb')), expected);
    });
  }

  it('writes many keys as one array constant on DuckDB, with the answers of the literal list', async () => {
    const many = [...Array.from({ length: 80 }, (_, index) => index * 3), 9_007_199_254_740_993n];
    const wide = [...many, 2n ** 63n + 5n];
    for (const keys of [many, wide]) {
      for (const not of ['', 'NOT ']) {
        const literal = select(`SELECT i FROM t WHERE i ${not}IN (${keys.join(', ')})`);
        const where = literal.where as Extract<Expr, { kind: 'in' }>;
        const keyed = { ...literal, where: { kind: 'in', not: where.not, expr: where.expr, keys } };
        const sql = translate(keyed as SelectStatement, 'duckdb');
        assert.match(sql, keys === wide ? /AS HUGEINT\[\]/ : /AS BIGINT\[\]/);
        const expected = await rows(translate(literal, 'duckdb'));
        assert.ok(expected.length > 0);
        assert.deepEqual(await rows(sql), expected, `${not}IN ${keys.length} keys`);
      }
    }
  });

  it('routes by the keys as by the literal list', () => {
    const table: TableDef = {
      database: 'db',
      name: 't',
      storage: 'column',
      reference: false,
      columns: [{ name: 'i', type: 'bigint', mysqlType: 'bigint(20)', nullable: false }],
      primaryKey: ['i'],
      keys: [],
      shardKey: ['i'],
      sortKey: [],
      id: 1,
      createdAtMs: 0,
    };
    const route = (query: SelectStatement): number[] | undefined =>
      routePartitions({ where: query.where, table, name: 't', params: [], partitions: 16 });
    const literal = select(QUERIES[0] as string);
    const expected = route(literal);
    assert.ok(expected !== undefined && expected.length > 0 && expected.length < 16);
    assert.deepEqual(route(withKeys(literal)), expected);
  });
});
