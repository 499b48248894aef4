/**
 * The route template of cached plans (aggregator/route-template.ts) must name the same
 * partition as the planner's router (planner/route.ts) for every parameter value, and must
 * decline the WHERE shapes it does not take, so those keep going through the router.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement } from '../../src/parser/index.js';
import type { Expr } from '../../src/parser/ast.js';
import type { ColumnDef, TableDef } from '../../src/catalog/types.js';
import { routePartitions } from '../../src/planner/route.js';
import { routeByTemplate, routeTemplate } from '../../src/aggregator/route-template.js';
import type { SqlValue } from '../../src/values.js';

const PARTITIONS = 16;

function column(name: string, type: ColumnDef['type'], mysqlType: string): ColumnDef {
  return { name, type, mysqlType, nullable: false };
}

const table: TableDef = {
  database: 'db',
  name: 't',
  storage: 'row',
  reference: false,
  columns: [column('a', 'bigint', 'bigint(20)'), column('b', 'varchar', 'varchar(10)')],
  primaryKey: ['a', 'b'],
  keys: [],
  shardKey: ['a', 'b'],
  sortKey: [],
  id: 1,
  createdAtMs: 0,
};

function whereOf(sql: string): Expr | undefined {
  const statement = parseStatement(sql);
  assert.equal(statement.kind, 'select');
  return statement.kind === 'select' ? statement.where : undefined;
}

function routed(where: Expr | undefined, params: readonly SqlValue[]): number | undefined {
  const ordinals = routePartitions({ where, table, name: 't', params, partitions: PARTITIONS });
  return ordinals !== undefined && ordinals.length === 1 ? ordinals[0] : undefined;
}

describe('route templates', () => {
  it('name the partition the router names, for every parameter value', () => {
    const shapes = [
      'SELECT * FROM t WHERE a = ? AND b = ?',
      'SELECT * FROM t WHERE ? = t.b AND t.a = ?',
      "SELECT * FROM t WHERE a = ? AND b = 'x' AND a = ?",
      'SELECT * FROM t WHERE b = ? AND a = 7',
    ];
    const values: SqlValue[] = [1, 2, 17, '17', 'x', 'yy', -5, 9_007_199_254_740_991n, null, 'nan'];
    let compared = 0;
    for (const sql of shapes) {
      const where = whereOf(sql);
      const template = routeTemplate(table, 't', where);
      assert.ok(template !== undefined, sql);
      for (const first of values) {
        for (const second of values) {
          const params = [first, second];
          assert.equal(routeByTemplate(template, params, PARTITIONS), routed(where, params), sql);
          compared += 1;
        }
      }
    }
    assert.equal(compared, 4 * 100);
  });

  it('decline shapes they do not take', () => {
    for (const sql of [
      'SELECT * FROM t WHERE a IN (?, ?) AND b = ?',
      'SELECT * FROM t WHERE a = ? OR b = ?',
      'SELECT * FROM t WHERE a = ?',
      'SELECT * FROM t WHERE a = ? AND b = ? AND a > 3',
      'SELECT * FROM t WHERE u.a = ? AND b = ?',
      'SELECT * FROM t',
    ])
      assert.equal(routeTemplate(table, 't', whereOf(sql)), undefined, sql);
  });
});
