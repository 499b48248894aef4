/**
 * Pre-aggregation of the null-extended side of a LEFT JOIN on parsed queries: which blocks
 * read it grouped by the join key, and which are left alone because the rewrite would not be
 * exact.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, formatQuery, type Query } from '../../src/parser/index.js';
import { preaggregateOuterJoins } from '../../src/planner/outer-preaggregate.js';

const COLUMNS: Readonly<Record<string, readonly string[]>> = {
  customer: ['c_custkey', 'c_name'],
  orders: ['o_orderkey', 'o_custkey', 'o_comment', 'o_totalprice'],
};

const columnsOf = (ref: { readonly name: string }): readonly string[] | undefined =>
  COLUMNS[ref.name.toLowerCase()];

function rewrite(sql: string, skip = false): Query {
  return preaggregateOuterJoins(parseStatement(sql) as Query, { columnsOf, skip: () => skip });
}

function text(query: Query): string {
  return formatQuery(query).replaceAll('`', '');
}

function unchanged(sql: string): void {
  const query = parseStatement(sql) as Query;
  assert.equal(preaggregateOuterJoins(query, { columnsOf, skip: () => false }), query, sql);
}

describe('preaggregateOuterJoins', () => {
  it('pre-aggregates the orders of TPC-H Q13 per customer, with the ON filter inside', () => {
    assert.equal(
      text(
        rewrite(
          "SELECT c_count, COUNT(*) AS custdist FROM (SELECT c_custkey, COUNT(o_orderkey) AS c_count FROM customer LEFT OUTER JOIN orders ON c_custkey = o_custkey AND o_comment NOT LIKE '%special%' GROUP BY c_custkey) AS c_orders GROUP BY c_count",
        ),
      ),
      "SELECT c_count, COUNT(*) AS custdist FROM (SELECT c_custkey, CAST(COALESCE(SUM(exo_pre_1.exo_a1), 0) AS SIGNED) AS c_count FROM customer LEFT JOIN (SELECT o_custkey AS exo_k1, COUNT(o_orderkey) AS exo_a1 FROM orders WHERE o_comment NOT LIKE '%special%' GROUP BY o_custkey) AS exo_pre_1 ON c_custkey = exo_pre_1.exo_k1 GROUP BY c_custkey) AS c_orders GROUP BY c_count",
    );
  });

  it('folds COUNT(*), MIN and MAX, keeps WHERE on the preserved side and ORDER BY positions', () => {
    assert.equal(
      text(
        rewrite(
          "SELECT c.c_name, COUNT(*) AS n, MIN(o.o_totalprice) AS lo, MAX(o.o_comment) AS hi FROM customer c LEFT JOIN orders o ON o.o_custkey = c.c_custkey WHERE c.c_name <> 'x' GROUP BY c.c_name ORDER BY 1",
        ),
      ),
      "SELECT c.c_name, CAST(COALESCE(SUM(COALESCE(exo_pre_1.exo_a1, 1)), 0) AS SIGNED) AS n, MIN(exo_pre_1.exo_a2) AS lo, MAX(exo_pre_1.exo_a3) AS hi FROM customer AS c LEFT JOIN (SELECT o.o_custkey AS exo_k1, COUNT(*) AS exo_a1, MIN(o.o_totalprice) AS exo_a2, MAX(o.o_comment) AS exo_a3 FROM orders AS o GROUP BY o.o_custkey) AS exo_pre_1 ON c.c_custkey = exo_pre_1.exo_k1 WHERE c.c_name <> 'x' GROUP BY c.c_name ORDER BY 1",
    );
  });

  it('leaves alone what would not be exact', () => {
    const base = 'FROM customer LEFT JOIN orders ON c_custkey = o_custkey';
    // A filter on the null-extended side in WHERE (it would drop the NULL rows).
    unchanged(
      `SELECT c_custkey, COUNT(o_orderkey) AS n ${base} WHERE o_totalprice > 1 GROUP BY c_custkey`,
    );
    // SUM, AVG, DISTINCT aggregates; an aggregate over the preserved side.
    unchanged(`SELECT c_custkey, SUM(o_totalprice) AS s ${base} GROUP BY c_custkey`);
    unchanged(`SELECT c_custkey, AVG(o_totalprice) AS s ${base} GROUP BY c_custkey`);
    unchanged(`SELECT c_custkey, COUNT(DISTINCT o_comment) AS s ${base} GROUP BY c_custkey`);
    unchanged(`SELECT c_custkey, COUNT(c_name) AS s ${base} GROUP BY c_custkey`);
    // Grouping by, or selecting, a column of the null-extended side.
    unchanged(`SELECT o_comment, COUNT(o_orderkey) AS n ${base} GROUP BY o_comment`);
    // An unaliased aggregate (its column name), HAVING, ORDER BY an aggregate.
    unchanged(`SELECT c_custkey, COUNT(o_orderkey) ${base} GROUP BY c_custkey`);
    unchanged(
      `SELECT c_custkey, COUNT(o_orderkey) AS n ${base} GROUP BY c_custkey HAVING COUNT(o_orderkey) > 1`,
    );
    unchanged(
      `SELECT c_custkey, COUNT(o_orderkey) AS n ${base} GROUP BY c_custkey ORDER BY COUNT(o_orderkey)`,
    );
    // An ON conjunct about the preserved side, a non-equality join, no aggregate, an inner join.
    unchanged(
      "SELECT c_custkey, COUNT(o_orderkey) AS n FROM customer LEFT JOIN orders ON c_custkey = o_custkey AND c_name = 'x' GROUP BY c_custkey",
    );
    unchanged(
      'SELECT c_custkey, COUNT(o_orderkey) AS n FROM customer LEFT JOIN orders ON c_custkey < o_custkey GROUP BY c_custkey',
    );
    unchanged(`SELECT c_custkey ${base}`);
    unchanged(
      'SELECT c_custkey, COUNT(o_orderkey) AS n FROM customer JOIN orders ON c_custkey = o_custkey GROUP BY c_custkey',
    );
    // A block the caller rejects (already co-located).
    const query = parseStatement(
      `SELECT c_custkey, COUNT(o_orderkey) AS n ${base} GROUP BY c_custkey`,
    ) as Query;
    assert.equal(preaggregateOuterJoins(query, { columnsOf, skip: () => true }), query);
  });
});
