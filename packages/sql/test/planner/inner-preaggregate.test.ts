/**
 * Eager aggregation of inner joins on parsed queries: which blocks read their aggregated side
 * grouped by the join keys, and which are left alone because the rewrite would not be exact.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, formatQuery, type Query } from '../../src/parser/index.js';
import { preaggregateInnerJoins, type SumType } from '../../src/planner/inner-preaggregate.js';

const COLUMNS: Readonly<Record<string, readonly string[]>> = {
  customer: ['c_custkey', 'c_name', 'c_nationkey'],
  nation: ['n_nationkey', 'n_name'],
  orders: ['o_orderkey', 'o_custkey', 'o_orderdate'],
  lineitem: ['l_orderkey', 'l_price', 'l_discount', 'l_flag'],
};

const columnsOf = (ref: { readonly name: string }): readonly string[] | undefined =>
  COLUMNS[ref.name.toLowerCase()];

/** Every SUM is a DECIMAL(38,4), except one of a DOUBLE literal product. */
const sumType: SumType = (call) =>
  formatQuery({
    kind: 'select',
    distinct: false,
    columns: [{ expr: call }],
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  }).includes('e0')
    ? undefined
    : { precision: 38, scale: 4 };

function rewrite(sql: string, skip = false): Query {
  return preaggregateInnerJoins(parseStatement(sql) as Query, {
    columnsOf,
    skip: () => skip,
    sumType,
  });
}

function text(query: Query): string {
  return formatQuery(query).replaceAll('`', '');
}

function unchanged(sql: string): void {
  const query = parseStatement(sql) as Query;
  assert.equal(
    preaggregateInnerJoins(query, { columnsOf, skip: () => false, sumType }),
    query,
    sql,
  );
}

describe('preaggregateInnerJoins', () => {
  it('pre-aggregates the orders and lineitems of TPC-H Q10 per customer', () => {
    assert.equal(
      text(
        rewrite(
          "SELECT c_custkey, c_name, SUM(l_price * (1 - l_discount)) AS revenue, n_name FROM customer, orders, lineitem, nation WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND o_orderdate >= DATE '1993-10-01' AND l_flag = 'R' AND c_nationkey = n_nationkey GROUP BY c_custkey, c_name, n_name ORDER BY revenue DESC LIMIT 20",
        ),
      ),
      "SELECT c_custkey, c_name, CAST(SUM(exo_eager_1.exo_a1) AS DECIMAL(38,4)) AS revenue, n_name FROM customer, nation, (SELECT o_custkey AS exo_k1, SUM(l_price * (1 - l_discount)) AS exo_a1 FROM orders, lineitem WHERE l_orderkey = o_orderkey AND o_orderdate >= DATE '1993-10-01' AND l_flag = 'R' GROUP BY o_custkey) AS exo_eager_1 WHERE c_nationkey = n_nationkey AND c_custkey = exo_eager_1.exo_k1 GROUP BY c_custkey, c_name, n_name ORDER BY revenue DESC LIMIT 20",
    );
  });

  it('folds COUNT, MIN and MAX, takes ON conjuncts of inner joins, and maps ORDER BY aggregates', () => {
    assert.equal(
      text(
        rewrite(
          'SELECT c.c_name, COUNT(*) AS n, MIN(o.o_orderdate) AS first, MAX(o.o_orderkey) AS last FROM customer c JOIN orders o ON o.o_custkey = c.c_custkey AND o.o_orderkey > 5 GROUP BY c.c_name ORDER BY COUNT(*) DESC, 1',
        ),
      ),
      'SELECT c.c_name, CAST(COALESCE(SUM(exo_eager_1.exo_a1), 0) AS SIGNED) AS n, MIN(exo_eager_1.exo_a2) AS first, MAX(exo_eager_1.exo_a3) AS last FROM customer AS c, (SELECT o.o_custkey AS exo_k1, COUNT(*) AS exo_a1, MIN(o.o_orderdate) AS exo_a2, MAX(o.o_orderkey) AS exo_a3, COUNT(*) AS exo_a4 FROM orders AS o WHERE o.o_orderkey > 5 GROUP BY o.o_custkey) AS exo_eager_1 WHERE c.c_custkey = exo_eager_1.exo_k1 GROUP BY c.c_name ORDER BY CAST(COALESCE(SUM(exo_eager_1.exo_a4), 0) AS SIGNED) DESC, 1',
    );
  });

  it('leaves alone what would not be exact', () => {
    const from = 'FROM customer, orders WHERE c_custkey = o_custkey';
    // A DOUBLE sum, an aggregate over both sides, DISTINCT, grouping by the aggregated side.
    unchanged(`SELECT c_name, SUM(o_orderkey * 1e0) AS s ${from} GROUP BY c_name`);
    unchanged(`SELECT c_name, SUM(o_orderkey + c_nationkey) AS s ${from} GROUP BY c_name`);
    unchanged(`SELECT c_name, COUNT(DISTINCT o_orderdate) AS s ${from} GROUP BY c_name`);
    unchanged(`SELECT c_name, o_orderdate, COUNT(*) AS n ${from} GROUP BY c_name, o_orderdate`);
    // HAVING, an outer join, a join that is not an equality of columns, no GROUP BY.
    unchanged(`SELECT c_name, COUNT(*) AS n ${from} GROUP BY c_name HAVING COUNT(*) > 1`);
    unchanged(
      'SELECT c_name, COUNT(o_orderkey) AS n FROM customer LEFT JOIN orders ON c_custkey = o_custkey GROUP BY c_name',
    );
    unchanged(
      'SELECT c_name, COUNT(*) AS n FROM customer, orders WHERE c_custkey < o_custkey GROUP BY c_name',
    );
    unchanged(`SELECT COUNT(*) AS n ${from}`);
    // A subquery in WHERE, a block the caller skips.
    unchanged(
      `SELECT c_name, COUNT(*) AS n ${from} AND o_orderkey IN (SELECT l_orderkey FROM lineitem) GROUP BY c_name`,
    );
    assert.equal(
      text(rewrite(`SELECT c_name, COUNT(*) AS n ${from} GROUP BY c_name`, true)),
      `SELECT c_name, COUNT(*) AS n FROM customer, orders WHERE c_custkey = o_custkey GROUP BY c_name`,
    );
  });
});
