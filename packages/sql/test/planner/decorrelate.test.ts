/**
 * Decorrelation of equality-correlated scalar aggregates on parsed queries: which subqueries
 * become grouped derived tables joined to their block, and which are left alone because the
 * rewrite would not be exact.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, formatQuery, type Query } from '../../src/parser/index.js';
import { decorrelate } from '../../src/planner/decorrelate.js';

const COLUMNS: Readonly<Record<string, readonly string[]>> = {
  lineitem: ['l_partkey', 'l_suppkey', 'l_quantity', 'l_shipdate'],
  part: ['p_partkey', 'p_brand'],
  partsupp: ['ps_partkey', 'ps_suppkey', 'ps_availqty', 'ps_supplycost'],
  supplier: ['s_suppkey', 's_nationkey'],
};

function text(query: Query): string {
  return formatQuery(query).replaceAll('`', '');
}

function rewrite(sql: string): string {
  const query = parseStatement(sql) as Query;
  return text(decorrelate(query, (ref) => COLUMNS[ref.name.toLowerCase()]));
}

function unchanged(sql: string): void {
  const query = parseStatement(sql) as Query;
  assert.equal(
    decorrelate(query, (ref) => COLUMNS[ref.name.toLowerCase()]),
    query,
    'expected no rewrite',
  );
}

describe('decorrelate', () => {
  it('joins a correlated AVG as a grouped derived table (TPC-H Q17 shape)', () => {
    assert.equal(
      rewrite(
        "SELECT SUM(l_quantity) FROM lineitem, part WHERE p_partkey = l_partkey AND p_brand = 'B' AND l_quantity < (SELECT 0.2 * AVG(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)",
      ),
      "SELECT SUM(l_quantity) FROM lineitem, part, (SELECT l_partkey AS exo_k1, 0.2 * AVG(l_quantity) AS exo_v FROM lineitem WHERE l_partkey IN (SELECT DISTINCT part.p_partkey AS exo_semi_key FROM part WHERE p_brand = 'B') GROUP BY l_partkey) AS exo_corr_1 WHERE p_partkey = l_partkey AND p_brand = 'B' AND exo_corr_1.exo_k1 = p_partkey AND l_quantity < exo_corr_1.exo_v",
    );
  });

  it('keeps local conjuncts inside and groups by two correlation columns (TPC-H Q20 shape)', () => {
    assert.equal(
      rewrite(
        "SELECT ps_suppkey FROM partsupp WHERE ps_availqty > (SELECT 0.5 * SUM(l_quantity) FROM lineitem WHERE l_partkey = ps_partkey AND l_suppkey = ps_suppkey AND l_shipdate >= DATE '1994-01-01')",
      ),
      "SELECT ps_suppkey FROM partsupp, (SELECT l_partkey AS exo_k1, l_suppkey AS exo_k2, 0.5 * SUM(l_quantity) AS exo_v FROM lineitem WHERE l_shipdate >= DATE '1994-01-01' GROUP BY l_partkey, l_suppkey) AS exo_corr_1 WHERE exo_corr_1.exo_k1 = ps_partkey AND exo_corr_1.exo_k2 = ps_suppkey AND ps_availqty > exo_corr_1.exo_v",
    );
  });

  it('takes a MIN over several inner tables with qualified outer columns (TPC-H Q2 shape)', () => {
    assert.equal(
      rewrite(
        'SELECT p.p_partkey FROM part p, partsupp ps WHERE p.p_partkey = ps.ps_partkey AND ps.ps_supplycost = (SELECT MIN(ps2.ps_supplycost) FROM partsupp ps2, supplier s WHERE p.p_partkey = ps2.ps_partkey AND s.s_suppkey = ps2.ps_suppkey AND s.s_nationkey = 3)',
      ),
      'SELECT p.p_partkey FROM part AS p, partsupp AS ps, (SELECT ps2.ps_partkey AS exo_k1, MIN(ps2.ps_supplycost) AS exo_v FROM partsupp AS ps2, supplier AS s WHERE s.s_suppkey = ps2.ps_suppkey AND s.s_nationkey = 3 GROUP BY ps2.ps_partkey) AS exo_corr_1 WHERE p.p_partkey = ps.ps_partkey AND exo_corr_1.exo_k1 = p.p_partkey AND ps.ps_supplycost = exo_corr_1.exo_v',
    );
  });

  it('rewrites inside a subquery block, and a subquery on the left of the comparison', () => {
    assert.equal(
      rewrite(
        'SELECT s_suppkey FROM supplier WHERE s_suppkey IN (SELECT ps_suppkey FROM partsupp WHERE (SELECT MAX(l_quantity) FROM lineitem WHERE l_suppkey = ps_suppkey) > ps_availqty)',
      ),
      'SELECT s_suppkey FROM supplier WHERE s_suppkey IN (SELECT ps_suppkey FROM partsupp, (SELECT l_suppkey AS exo_k1, MAX(l_quantity) AS exo_v FROM lineitem GROUP BY l_suppkey) AS exo_corr_1 WHERE exo_corr_1.exo_k1 = ps_suppkey AND exo_corr_1.exo_v > ps_availqty)',
    );
  });

  it('leaves alone what would not be exact', () => {
    // COUNT is 0 on an empty group, not NULL.
    unchanged(
      'SELECT p_partkey FROM part WHERE p_brand < (SELECT COUNT(*) FROM lineitem WHERE l_partkey = p_partkey)',
    );
    // COALESCE is not NULL on an empty group.
    unchanged(
      'SELECT p_partkey FROM part WHERE p_brand < (SELECT COALESCE(SUM(l_quantity), 0) FROM lineitem WHERE l_partkey = p_partkey)',
    );
    // <=> matches NULL with NULL.
    unchanged(
      'SELECT p_partkey FROM part WHERE p_brand <=> (SELECT SUM(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)',
    );
    // Not a top-level conjunct.
    unchanged(
      'SELECT p_partkey FROM part WHERE p_brand = 1 OR p_brand < (SELECT SUM(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)',
    );
    // Correlated by something other than equality.
    unchanged(
      'SELECT p_partkey FROM part WHERE p_brand < (SELECT SUM(l_quantity) FROM lineitem WHERE l_partkey < p_partkey)',
    );
    // An outer column in a local-looking conjunct.
    unchanged(
      'SELECT p_partkey FROM part WHERE p_brand < (SELECT SUM(l_quantity) FROM lineitem WHERE l_partkey = p_partkey AND l_suppkey > p_brand)',
    );
    // A star in the outer block would see the derived table's columns.
    unchanged(
      'SELECT * FROM part WHERE p_brand < (SELECT SUM(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)',
    );
    // Uncorrelated, grouped, limited, or reading an unknown table.
    unchanged('SELECT p_partkey FROM part WHERE p_brand < (SELECT SUM(l_quantity) FROM lineitem)');
    unchanged(
      'SELECT p_partkey FROM part WHERE p_brand < (SELECT SUM(l_quantity) FROM lineitem WHERE l_partkey = p_partkey GROUP BY l_suppkey)',
    );
    unchanged(
      'SELECT p_partkey FROM part WHERE p_brand < (SELECT SUM(x) FROM unknown WHERE k = p_partkey)',
    );
  });
});
