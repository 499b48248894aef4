/**
 * The distribution planner on parsed queries and a small catalog: which queries run on the
 * partitions, in which shape, and which must stay on the gather plan.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, formatQuery, type Query } from '../../src/parser/index.js';
import { planDistribution, type Distribution } from '../../src/planner/distribute.js';
import type { TableLookup } from '../../src/planner/colocation.js';
import { column, table } from './catalog-fixture.js';

const TABLES = [
  table(
    'orders',
    [column('o_orderkey'), column('o_custkey'), column('o_total', 'decimal')],
    ['o_orderkey'],
  ),
  table(
    'lineitem',
    [column('l_orderkey'), column('l_suppkey'), column('l_qty', 'decimal')],
    ['l_orderkey'],
  ),
  table('customer', [column('c_custkey'), column('c_nationkey')], ['c_custkey']),
  table('nation', [column('n_nationkey'), column('n_name', 'varchar')], ['n_nationkey'], {
    reference: true,
  }),
  table('audit', [column('a_orderkey')], ['a_orderkey'], { storage: 'row' }),
];

function lookup(partitions: number): TableLookup {
  return {
    table: (ref) => TABLES.find((candidate) => candidate.name === ref.name.toLowerCase()),
    partitions: () => partitions,
  };
}

/** The query as MySQL text, without identifier quotes. */
function text(query: Query): string {
  return formatQuery(query).replaceAll('`', '');
}

function plan(sql: string, partitions = 4): Distribution | undefined {
  return planDistribution(parseStatement(sql) as Query, lookup(partitions), []);
}

describe('planDistribution', () => {
  it('splits aggregates over one sharded table into two phases', () => {
    const result = plan('SELECT o_custkey, COUNT(*), AVG(o_total) FROM orders GROUP BY o_custkey');
    assert.equal(result?.kind, 'twoPhase');
    if (result?.kind !== 'twoPhase') return;
    assert.deepEqual(
      result.aggregates.map((aggregate) => [aggregate.kind, aggregate.inputs]),
      [
        ['count', ['exo_p1']],
        ['avg', ['exo_p2', 'exo_p3']],
      ],
    );
    assert.equal(
      text(result.partitionQuery),
      'SELECT o_custkey AS exo_k1, COUNT(*) AS exo_p1, SUM(o_total) AS exo_p2, COUNT(o_total) AS exo_p3 FROM orders GROUP BY o_custkey',
    );
    assert.equal(
      text(result.finalQuery),
      'SELECT exo_k1 AS o_custkey, exo_a1 AS COUNT(*), exo_a2 AS AVG(o_total) FROM exo_groups',
    );
  });

  it('groups partitions by the arguments of DISTINCT aggregates', () => {
    const result = plan('SELECT COUNT(DISTINCT o_custkey), SUM(o_total) FROM orders');
    assert.equal(result?.kind, 'twoPhase');
    if (result?.kind !== 'twoPhase') return;
    assert.equal(
      text(result.partitionQuery),
      'SELECT o_custkey AS exo_d1, SUM(o_total) AS exo_p1 FROM orders GROUP BY o_custkey',
    );
  });

  it('pushes the whole query when GROUP BY holds the shard key', () => {
    const result = plan(
      'SELECT l_orderkey, SUM(l_qty) AS q FROM lineitem GROUP BY l_orderkey HAVING q > 3 ORDER BY q DESC LIMIT 5 OFFSET 2',
    );
    assert.equal(result?.kind, 'rows');
    if (result?.kind !== 'rows') return;
    assert.match(text(result.partitionQuery), /HAVING q > 3 ORDER BY q DESC LIMIT 7$/);
    assert.deepEqual(result.merge?.orderBy, [{ position: 2, desc: true }]);
  });

  it('adds hidden sort columns for ORDER BY expressions outside the select list', () => {
    const result = plan('SELECT o_orderkey FROM orders ORDER BY o_total DESC LIMIT 3');
    assert.equal(result?.kind, 'rows');
    if (result?.kind !== 'rows') return;
    assert.deepEqual(result.hidden, ['exo_o1']);
    assert.equal(
      text(result.partitionQuery),
      'SELECT o_orderkey, o_total AS exo_o1 FROM orders ORDER BY o_total DESC LIMIT 3',
    );
  });

  it('joins tables sharded on equal keys, and reference tables, on the partitions', () => {
    assert.equal(
      plan(
        'SELECT n_name, SUM(l_qty) FROM orders, lineitem, nation WHERE l_orderkey = o_orderkey AND n_nationkey = o_custkey GROUP BY n_name',
      )?.kind,
      'twoPhase',
    );
    assert.equal(
      plan('SELECT o_orderkey FROM orders o LEFT JOIN lineitem l ON l.l_orderkey = o.o_orderkey')
        ?.kind,
      'rows',
    );
  });

  it('pushes subqueries correlated on the shard key (TPC-H Q4, Q21, Q18 shapes)', () => {
    assert.equal(
      plan(
        'SELECT COUNT(*) FROM orders WHERE EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_qty > 1)',
      )?.kind,
      'twoPhase',
    );
    assert.equal(
      plan(
        'SELECT l1.l_suppkey FROM lineitem l1 WHERE NOT EXISTS (SELECT * FROM lineitem l3 WHERE l3.l_orderkey = l1.l_orderkey AND l3.l_suppkey <> l1.l_suppkey)',
      )?.kind,
      'rows',
    );
    assert.equal(
      plan(
        'SELECT o_orderkey FROM orders WHERE o_orderkey IN (SELECT l_orderkey FROM lineitem GROUP BY l_orderkey HAVING SUM(l_qty) > 300)',
      )?.kind,
      'rows',
    );
  });

  it('leaves to the gather plan what partitions cannot answer alone', () => {
    const gathered = [
      'SELECT o_orderkey FROM orders, customer WHERE o_custkey = c_custkey',
      'SELECT o_orderkey FROM orders, lineitem WHERE o_orderkey = l_suppkey',
      'SELECT n_name, COUNT(o_orderkey) FROM nation LEFT JOIN orders ON o_custkey = n_nationkey GROUP BY n_name',
      'SELECT o_orderkey FROM orders WHERE o_total > (SELECT AVG(l_qty) FROM lineitem)',
      'SELECT o_orderkey FROM orders WHERE o_orderkey IN (SELECT l_orderkey FROM lineitem LIMIT 3)',
      'SELECT o_orderkey FROM orders WHERE o_orderkey IN (SELECT MAX(l_orderkey) FROM lineitem)',
      // The equality sits in a subquery that only an OR reaches: rows need not match.
      'SELECT o_orderkey FROM orders, lineitem WHERE o_total > 1 OR EXISTS (SELECT 1 FROM nation WHERE o_orderkey = l_orderkey)',
      'SELECT GROUP_CONCAT(o_custkey) FROM orders',
      'SELECT o_custkey, COUNT(*) FROM orders GROUP BY o_custkey WITH ROLLUP',
      'SELECT o_orderkey, RANK() OVER (ORDER BY o_total) FROM orders',
      'SELECT o_custkey, o_total FROM orders GROUP BY o_custkey',
      'SELECT a_orderkey FROM audit',
      'SELECT * FROM (SELECT o_orderkey FROM orders) AS d',
    ];
    for (const sql of gathered) assert.equal(plan(sql), undefined, sql);
  });

  it('runs the whole query on the one partition of a single-partition database', () => {
    const result = plan(
      'SELECT o_custkey, RANK() OVER (ORDER BY o_total) FROM orders, customer',
      1,
    );
    assert.equal(result?.kind, 'whole');
    assert.equal(plan('SELECT n_name FROM nation ORDER BY n_name')?.kind, 'whole');
  });
});
