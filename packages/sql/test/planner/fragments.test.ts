/**
 * The fragment planner on parsed queries and a small catalog: which tables form a fragment,
 * which conjuncts and subqueries go with it, what the rest of the query reads instead, and
 * which queries keep the plain gather plan.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, formatQuery, type Query } from '../../src/parser/index.js';
import { planFragments, type FragmentedQuery } from '../../src/planner/fragments.js';
import type { TableLookup } from '../../src/planner/colocation.js';
import { lookupOf, table } from './catalog-fixture.js';

const TABLES = [
  table('orders', ['o_orderkey', 'o_custkey', 'o_total'], ['o_orderkey']),
  table('lineitem', ['l_orderkey', 'l_suppkey', 'l_qty'], ['l_orderkey']),
  table('customer', ['c_custkey', 'c_nationkey'], ['c_custkey']),
  table('supplier', ['s_suppkey', 's_nationkey'], ['s_suppkey']),
  table('nation', ['n_nationkey', 'n_name'], ['n_nationkey'], { reference: true }),
  table('audit', ['a_orderkey'], ['a_orderkey'], { storage: 'row' }),
];

const LOOKUP: TableLookup = lookupOf(TABLES);

function text(query: Query): string {
  return formatQuery(query).replaceAll('`', '');
}

function plan(sql: string, references = true): FragmentedQuery | undefined {
  return planFragments(parseStatement(sql) as Query, { lookup: LOOKUP, references });
}

describe('planFragments', () => {
  it('pushes the co-located join with its filters, and rewrites the rest (TPC-H Q3 shape)', () => {
    const result = plan(
      'SELECT l_orderkey, SUM(l_qty) AS q FROM customer, orders, lineitem WHERE c_nationkey = 3 AND c_custkey = o_custkey AND l_orderkey = o_orderkey AND o_total > 10 GROUP BY l_orderkey ORDER BY q DESC',
    );
    assert.equal(result?.fragments.length, 1);
    const fragment = result?.fragments[0];
    assert.deepEqual(fragment?.tables, ['orders', 'lineitem']);
    assert.equal(
      fragment === undefined ? '' : text(fragment.query),
      'SELECT lineitem.l_orderkey AS l_orderkey, lineitem.l_qty AS l_qty, orders.o_custkey AS o_custkey FROM orders, lineitem WHERE l_orderkey = o_orderkey AND o_total > 10',
    );
    assert.equal(
      result === undefined ? '' : text(result.query),
      'SELECT exo_fragment_1.l_orderkey AS l_orderkey, SUM(exo_fragment_1.l_qty) AS q FROM customer, exo_fragment_1 WHERE c_nationkey = 3 AND c_custkey = exo_fragment_1.o_custkey GROUP BY exo_fragment_1.l_orderkey ORDER BY q DESC',
    );
  });

  it('takes EXISTS correlated on the shard key into the fragment (TPC-H Q21 shape)', () => {
    const result = plan(
      'SELECT s_nationkey, COUNT(*) FROM supplier, lineitem l1, orders WHERE s_suppkey = l1.l_suppkey AND o_orderkey = l1.l_orderkey AND EXISTS (SELECT * FROM lineitem l2 WHERE l2.l_orderkey = l1.l_orderkey AND l2.l_suppkey <> l1.l_suppkey) GROUP BY s_nationkey',
    );
    const fragment = result?.fragments[0];
    assert.deepEqual(fragment?.tables, ['l1', 'orders']);
    assert.match(fragment === undefined ? '' : text(fragment.query), /EXISTS \(SELECT \*/);
    assert.doesNotMatch(result === undefined ? '' : text(result.query), /EXISTS/);
  });

  it('takes a lone table when a subquery goes with it', () => {
    const result = plan(
      'SELECT c_custkey FROM customer, orders WHERE c_custkey = o_custkey AND EXISTS (SELECT 1 FROM lineitem WHERE l_orderkey = o_orderkey)',
    );
    assert.deepEqual(result?.fragments[0]?.tables, ['orders']);
  });

  it('joins reference tables to a fragment, but not inside transactions', () => {
    const sql =
      'SELECT n_name, c_custkey FROM orders, lineitem, nation, customer WHERE l_orderkey = o_orderkey AND n_nationkey = l_suppkey AND c_custkey = o_custkey';
    assert.deepEqual(plan(sql)?.fragments[0]?.tables, ['orders', 'lineitem', 'nation']);
    assert.deepEqual(plan(sql, false)?.fragments[0]?.tables, ['orders', 'lineitem']);
  });

  it('names clashing output columns apart', () => {
    const result = plan(
      'SELECT n1.n_name, n2.n_name FROM orders o, nation n1, nation n2, customer c WHERE n1.n_nationkey = o.o_custkey AND n2.n_nationkey = o.o_total AND c.c_custkey = o.o_custkey',
    );
    const fragment = result?.fragments[0];
    assert.match(
      fragment === undefined ? '' : text(fragment.query),
      /^SELECT n1.n_name AS n_name, n2.n_name AS n2_n_name, /,
    );
    assert.match(
      result === undefined ? '' : text(result.query),
      /^SELECT exo_fragment_1.n_name AS n_name, exo_fragment_1.n2_n_name AS n_name FROM/,
    );
  });

  it('plans derived tables and both sides of a UNION', () => {
    const result = plan(
      'SELECT k, COUNT(*) FROM (SELECT c_nationkey AS k FROM customer, orders, lineitem WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey) AS x GROUP BY k UNION SELECT l_suppkey, 1 FROM lineitem, orders, supplier WHERE l_orderkey = o_orderkey AND s_suppkey = l_suppkey',
    );
    assert.deepEqual(
      result?.fragments.map((fragment) => fragment.name),
      ['exo_fragment_1', 'exo_fragment_2'],
    );
  });

  it('finds two fragments in one block', () => {
    const result = plan(
      'SELECT 1 FROM orders, lineitem, customer c1, customer c2 WHERE l_orderkey = o_orderkey AND c1.c_custkey = c2.c_custkey AND c1.c_nationkey = o_custkey',
    );
    assert.deepEqual(
      result?.fragments.map((fragment) => fragment.tables),
      [
        ['orders', 'lineitem'],
        ['c1', 'c2'],
      ],
    );
  });

  it('leaves queries without a fragment to the plain gather plan', () => {
    const none = [
      // Only one table per shard key, and no pushed subquery.
      'SELECT 1 FROM orders, customer WHERE c_custkey = o_custkey',
      // Joined off the shard key.
      'SELECT 1 FROM orders, lineitem, customer WHERE l_suppkey = o_orderkey AND c_custkey = o_custkey',
      // Outer joins: nothing moves across the null-extended side.
      'SELECT 1 FROM customer LEFT JOIN orders ON o_custkey = c_custkey LEFT JOIN lineitem ON l_orderkey = o_orderkey',
      'SELECT 1 FROM orders JOIN lineitem ON l_orderkey = o_orderkey LEFT JOIN customer ON c_custkey = o_custkey',
      // A rowstore table, a star, an unknown column, an alias that is also a fragment column.
      'SELECT 1 FROM audit, orders, customer WHERE a_orderkey = o_orderkey AND c_custkey = o_custkey',
      'SELECT * FROM orders, lineitem, customer WHERE l_orderkey = o_orderkey AND c_custkey = o_custkey',
      'SELECT nope FROM orders, lineitem, customer WHERE l_orderkey = o_orderkey AND c_custkey = o_custkey',
      'SELECT o_total AS l_qty FROM orders, lineitem, customer WHERE l_orderkey = o_orderkey AND c_custkey = o_custkey ORDER BY l_qty',
      // A query that names the fragment prefix.
      'SELECT 1 FROM orders, lineitem, exo_fragment_1 WHERE l_orderkey = o_orderkey',
    ];
    for (const sql of none) assert.equal(plan(sql), undefined, sql);
  });
});
