/**
 * Which broadcast copies a semi-join may restrict (`planner/copy-reduction.ts`) and how a
 * derived table merges into its query (`planner/derived-flatten.ts`), on parsed queries and a
 * small catalog.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatQuery, parseStatement, type SelectStatement } from '../../src/parser/index.js';
import { broadcastCandidates } from '../../src/planner/broadcast.js';
import { copyReductions } from '../../src/planner/copy-reduction.js';
import { flattenDerived } from '../../src/planner/derived-flatten.js';
import { singleTableFilters } from '../../src/planner/pushdown.js';
import { column, lookupOf, table } from './catalog-fixture.js';

const LOOKUP = lookupOf([
  table(
    'lineitem',
    ['l_orderkey', 'l_partkey', 'l_suppkey', column('l_code', 'decimal')],
    ['l_orderkey'],
  ),
  table('partsupp', ['ps_partkey', 'ps_suppkey', column('ps_code', 'decimal')], ['ps_partkey']),
  table(
    'part',
    ['p_partkey', column('p_name', 'varchar'), column('p_code', 'decimal')],
    ['p_partkey'],
  ),
  table('supplier', ['s_suppkey', 's_nationkey'], ['s_suppkey']),
  table('nation', ['n_nationkey', column('n_name', 'varchar')], ['n_nationkey'], {
    reference: true,
  }),
]);

/** `target.column <- source.column` for each reduction the query allows. */
function reductions(sql: string): string[] {
  const query = parseStatement(sql) as SelectStatement;
  const candidates = broadcastCandidates(query, LOOKUP) ?? [];
  const filters = singleTableFilters(query, (ref) =>
    LOOKUP.table(ref)?.columns.map((entry) => entry.name),
  );
  return copyReductions({ query, lookup: LOOKUP, candidates, filters }).map(
    (found) =>
      `${found.target.table.name}.${found.column} <- ${found.source.alias}.${found.source.column}`,
  );
}

describe('copyReductions', () => {
  it('follows an equivalence class through another table (TPC-H Q9)', () => {
    assert.deepEqual(
      reductions(
        "SELECT COUNT(*) FROM part, lineitem, partsupp WHERE ps_partkey = l_partkey AND p_partkey = l_partkey AND p_name LIKE '%green%'",
      ),
      ['lineitem.l_partkey <- part.p_partkey', 'partsupp.ps_partkey <- part.p_partkey'],
    );
  });

  it('reads JOIN … ON equalities and filtered reference tables', () => {
    assert.deepEqual(
      reductions(
        "SELECT 1 FROM lineitem l JOIN supplier s ON s.s_suppkey = l.l_suppkey JOIN nation n ON n.n_nationkey = s.s_nationkey WHERE n.n_name = 'X'",
      ),
      ['supplier.s_nationkey <- n.n_nationkey'],
    );
  });

  it('needs a filtered source, integer columns, inner joins and one read of the target', () => {
    // No filter on part.
    assert.deepEqual(reductions('SELECT 1 FROM part, partsupp WHERE ps_partkey = p_partkey'), []);
    // DECIMAL keys.
    assert.deepEqual(
      reductions("SELECT 1 FROM part, partsupp WHERE ps_code = p_code AND p_name = 'a'"),
      [],
    );
    // An outer join anywhere in the block.
    assert.deepEqual(
      reductions(
        "SELECT 1 FROM part p LEFT JOIN partsupp ps ON ps.ps_partkey = p.p_partkey JOIN lineitem l ON l.l_partkey = p.p_partkey WHERE p.p_name = 'a'",
      ),
      [],
    );
    // partsupp read twice.
    assert.deepEqual(
      reductions(
        "SELECT 1 FROM part, partsupp WHERE ps_partkey = p_partkey AND p_name = 'a' AND EXISTS (SELECT 1 FROM partsupp x WHERE x.ps_suppkey = 1)",
      ),
      [],
    );
    // A non-equality is no class.
    assert.deepEqual(
      reductions("SELECT 1 FROM part, partsupp WHERE ps_partkey < p_partkey AND p_name = 'a'"),
      [],
    );
  });
});

function flat(sql: string): string | undefined {
  const merged = flattenDerived(parseStatement(sql) as SelectStatement);
  return merged === undefined ? undefined : formatQuery(merged);
}

describe('flattenDerived', () => {
  it('replaces derived columns by their expressions everywhere (TPC-H Q9 shape)', () => {
    const merged = flat(
      'SELECT nation, o_year, SUM(amount) AS sum_profit FROM (SELECT n_name AS nation, YEAR(d) AS o_year, a * (1 - b) AS amount FROM t, u WHERE t.k = u.k AND c > 1) AS profit WHERE profit.amount > 0 GROUP BY nation, o_year ORDER BY nation, sum_profit DESC',
    );
    assert.ok(merged !== undefined);
    const expected = formatQuery(
      parseStatement(
        'SELECT n_name AS nation, YEAR(d) AS o_year, SUM(a * (1 - b)) AS sum_profit FROM t, u WHERE t.k = u.k AND c > 1 AND a * (1 - b) > 0 GROUP BY n_name, YEAR(d) ORDER BY n_name, sum_profit DESC',
      ) as SelectStatement,
    );
    assert.equal(merged, expected);
  });

  it('keeps the derived table when merging could change the result', () => {
    for (const sql of [
      // Grouped, distinct or limited derived tables.
      'SELECT k FROM (SELECT k FROM t GROUP BY k) AS x',
      'SELECT k FROM (SELECT DISTINCT k FROM t) AS x',
      'SELECT k FROM (SELECT k FROM t LIMIT 3) AS x',
      'SELECT s FROM (SELECT SUM(k) AS s FROM t) AS x',
      // A value that differs per evaluation.
      'SELECT r, r FROM (SELECT RAND() AS r FROM t) AS x',
      // A subquery in the derived table (a query holding one rarely runs whole on partitions).
      'SELECT k FROM (SELECT k FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.k = t.k)) AS x',
      // The outer query joins something else, or has a subquery.
      'SELECT x.k FROM (SELECT k FROM t) AS x, u WHERE u.k = x.k',
      'SELECT k FROM (SELECT k FROM t) AS x WHERE k IN (SELECT k FROM u)',
      // A name that is not a derived column, a star.
      'SELECT k, other FROM (SELECT k FROM t) AS x',
      'SELECT * FROM (SELECT k FROM t) AS x',
      // An outer alias shadowing a derived column with another value.
      'SELECT -k AS k FROM (SELECT k FROM t) AS x ORDER BY k',
    ])
      assert.equal(flat(sql), undefined, sql);
  });
});
