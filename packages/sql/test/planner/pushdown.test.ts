/**
 * Single-table WHERE conjuncts of the outermost block (pushed to the partitions when a table
 * is gathered or copied): which conjuncts belong to one table when the FROM list also holds
 * derived tables, and when ownership cannot be known.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatExpr, parseStatement, type Query } from '../../src/parser/index.js';
import { singleTableFilters } from '../../src/planner/pushdown.js';

const COLUMNS: Readonly<Record<string, readonly string[]>> = {
  lineitem: ['l_partkey', 'l_quantity'],
  part: ['p_partkey', 'p_brand'],
};

function filters(sql: string): Record<string, string[]> {
  const found = singleTableFilters(
    parseStatement(sql) as Query,
    (ref) => COLUMNS[ref.name.toLowerCase()],
  );
  return Object.fromEntries(
    [...found.entries()].map(([name, exprs]) => [
      name,
      exprs.map((expr) => formatExpr(expr).replaceAll('`', '')),
    ]),
  );
}

describe('singleTableFilters', () => {
  it('keeps the filters of plain tables beside a derived table with named columns', () => {
    assert.deepEqual(
      filters(
        "SELECT 1 FROM lineitem, part, (SELECT c1 AS k, c2 AS v FROM s) AS d WHERE p_partkey = l_partkey AND p_brand = 'B' AND d.k = p_partkey AND l_quantity < v AND k > 3",
      ),
      { part: ["p_brand = 'B'"] },
    );
  });

  it('gives nothing when a derived table hides its column names', () => {
    assert.deepEqual(
      filters("SELECT 1 FROM part, (SELECT c1 + 1 FROM s) AS d WHERE p_brand = 'B'"),
      {},
    );
    // A name both a table and the derived table have is nobody's.
    assert.deepEqual(
      filters("SELECT 1 FROM part, (SELECT p_brand FROM s) AS d WHERE p_brand = 'B'"),
      {},
    );
    // An outer join keeps its tables' conjuncts where they are.
    assert.deepEqual(
      filters("SELECT 1 FROM part LEFT JOIN lineitem ON l_partkey = p_partkey WHERE p_brand = 'B'"),
      {},
    );
  });
});
