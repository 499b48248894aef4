/**
 * The statement rewrite that makes MariaDB's implicit GROUP BY order explicit: a grouped
 * SELECT without ORDER BY is ordered by its keys, ORDER BY NULL asks for no order, and other
 * queries are left alone. (MariaDB 10.11 returns `SELECT g, COUNT(*) FROM t GROUP BY g` sorted
 * by g, NULL first.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, type Query } from '../../src/parser/index.js';
import { withImplicitGroupOrder } from '../../src/aggregator/compat-group-order.js';

function query(sql: string): Query {
  const statement = parseStatement(sql);
  if (statement.kind !== 'select' && statement.kind !== 'with' && statement.kind !== 'setOperation')
    throw new Error(`not a query: ${sql}`);
  return statement;
}

function orderOf(q: Query): unknown[] {
  const select = q.kind === 'with' ? q.query : q;
  if (select.kind !== 'select') return [];
  return select.orderBy.map((item) => [
    item.expr.kind === 'column' ? item.expr.column : item.expr.kind,
    item.desc,
  ]);
}

describe('implicit GROUP BY order', () => {
  it('orders a grouped SELECT without ORDER BY by its keys', () => {
    assert.deepEqual(
      orderOf(withImplicitGroupOrder(query('SELECT g, v, COUNT(*) FROM t GROUP BY g, v'))),
      [
        ['g', false],
        ['v', false],
      ],
    );
    assert.deepEqual(
      orderOf(
        withImplicitGroupOrder(query('WITH x AS (SELECT 1 AS g) SELECT g FROM x GROUP BY g')),
      ),
      [['g', false]],
    );
  });

  it('keeps a given order, ROLLUP, set operations and ungrouped queries as they are', () => {
    for (const sql of [
      'SELECT g FROM t GROUP BY g ORDER BY g DESC',
      'SELECT g FROM t GROUP BY g WITH ROLLUP',
      'SELECT g FROM t',
      'SELECT g FROM t GROUP BY g UNION SELECT 1',
    ]) {
      const q = query(sql);
      assert.equal(withImplicitGroupOrder(q), q, sql);
    }
  });

  it("sorts a key written DESC descending (MariaDB's GROUP BY … DESC)", () => {
    assert.deepEqual(
      orderOf(withImplicitGroupOrder(query('SELECT g, v, COUNT(*) FROM t GROUP BY g DESC, v'))),
      [
        ['g', true],
        ['v', false],
      ],
    );
  });

  it('drops ORDER BY NULL', () => {
    assert.deepEqual(
      orderOf(withImplicitGroupOrder(query('SELECT g FROM t GROUP BY g ORDER BY NULL'))),
      [],
    );
  });
});
