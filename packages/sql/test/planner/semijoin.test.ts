/**
 * Semi- and anti-join narrowing and semi-join key reductions on parsed queries: which EXISTS
 * and IN subqueries read distinct keys instead of rows, which grouped or distinct derived
 * tables get a key reduction, and what is left alone because the rewrite would not be exact.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, formatQuery, type Expr, type Query } from '../../src/parser/index.js';
import { narrowSemijoins } from '../../src/planner/semijoin.js';
import { findSemiKeys, mapSemiKeys } from '../../src/planner/semi-keys.js';
import { decorrelate } from '../../src/planner/decorrelate.js';

const COLUMNS: Readonly<Record<string, readonly string[]>> = {
  customer: ['c_custkey', 'c_phone', 'c_acctbal'],
  orders: ['o_orderkey', 'o_custkey', 'o_comment'],
  lineitem: ['l_orderkey', 'l_partkey', 'l_suppkey', 'l_quantity'],
  part: ['p_partkey', 'p_name', 'p_brand'],
  partsupp: ['ps_partkey', 'ps_suppkey', 'ps_availqty'],
};

const columnsOf = (ref: { readonly name: string }): readonly string[] | undefined =>
  COLUMNS[ref.name.toLowerCase()];

function text(query: Query): string {
  return formatQuery(query).replaceAll('`', '');
}

function narrow(sql: string, skip: (query: Query) => boolean = () => false): string {
  return text(narrowSemijoins(parseStatement(sql) as Query, { columnsOf, skip }));
}

function unchanged(sql: string): void {
  const query = parseStatement(sql) as Query;
  assert.equal(narrowSemijoins(query, { columnsOf, skip: () => false }), query, sql);
}

describe('narrowSemijoins', () => {
  it('reads the distinct correlation keys of a NOT EXISTS (TPC-H Q22 shape)', () => {
    assert.equal(
      narrow(
        "SELECT c_custkey FROM customer WHERE c_phone = '13' AND NOT EXISTS (SELECT * FROM orders WHERE o_custkey = c_custkey AND o_comment <> 'x')",
      ),
      "SELECT c_custkey FROM customer WHERE c_phone = '13' AND NOT EXISTS (SELECT 1 FROM (SELECT DISTINCT o_custkey AS exo_k1 FROM orders WHERE o_comment <> 'x' AND o_custkey IN (SELECT DISTINCT customer.c_custkey AS exo_semi_key FROM customer WHERE c_phone = '13')) AS exo_semi_1 WHERE exo_semi_1.exo_k1 = c_custkey)",
    );
  });

  it('keeps the IN value and NOT IN as NOT IN, with two correlation columns', () => {
    assert.equal(
      narrow(
        'SELECT p_partkey FROM part p WHERE p.p_brand NOT IN (SELECT l.l_quantity FROM lineitem l WHERE l.l_partkey = p.p_partkey AND l.l_suppkey = p.p_brand + 1)',
      ),
      'SELECT p_partkey FROM part AS p WHERE p.p_brand NOT IN (SELECT exo_semi_1.exo_v FROM (SELECT DISTINCT l.l_quantity AS exo_v, l.l_partkey AS exo_k1, l.l_suppkey AS exo_k2 FROM lineitem AS l) AS exo_semi_1 WHERE exo_semi_1.exo_k1 = p.p_partkey AND exo_semi_1.exo_k2 = p.p_brand + 1)',
    );
  });

  it('gives an uncorrelated IN list a DISTINCT', () => {
    assert.equal(
      narrow(
        'SELECT p_partkey FROM part WHERE p_partkey IN (SELECT ps_partkey FROM partsupp WHERE ps_availqty > 3)',
      ),
      'SELECT p_partkey FROM part WHERE p_partkey IN (SELECT DISTINCT ps_partkey FROM partsupp WHERE ps_availqty > 3)',
    );
  });

  it('leaves alone what would not be exact or what the partitions evaluate', () => {
    // An aggregate makes EXISTS always true; GROUP BY, LIMIT change the rows.
    unchanged(
      'SELECT 1 FROM customer WHERE EXISTS (SELECT COUNT(*) FROM orders WHERE o_custkey = c_custkey)',
    );
    unchanged(
      'SELECT 1 FROM customer WHERE EXISTS (SELECT o_custkey FROM orders WHERE o_custkey = c_custkey GROUP BY o_custkey)',
    );
    unchanged(
      'SELECT 1 FROM customer WHERE EXISTS (SELECT * FROM orders WHERE o_custkey = c_custkey LIMIT 1)',
    );
    // Correlated by something other than equality, or an outer column in a local conjunct.
    unchanged(
      'SELECT 1 FROM customer WHERE EXISTS (SELECT * FROM orders WHERE o_custkey < c_custkey)',
    );
    unchanged(
      'SELECT 1 FROM customer WHERE EXISTS (SELECT * FROM orders WHERE o_custkey = c_custkey AND o_comment > c_phone)',
    );
    unchanged(
      'SELECT 1 FROM customer WHERE EXISTS (SELECT * FROM orders WHERE o_custkey = c_custkey OR o_orderkey = 1)',
    );
    // An IN value naming an outer column, an unknown table, a derived table inside.
    unchanged(
      'SELECT 1 FROM customer WHERE c_acctbal IN (SELECT o_orderkey + c_acctbal FROM orders WHERE o_custkey = c_custkey)',
    );
    unchanged('SELECT 1 FROM customer WHERE EXISTS (SELECT * FROM unknown WHERE k = c_custkey)');
    unchanged(
      'SELECT 1 FROM customer WHERE EXISTS (SELECT * FROM (SELECT o_custkey FROM orders) AS d WHERE d.o_custkey = c_custkey)',
    );
    // Evaluated by a co-located fragment.
    const sql =
      'SELECT 1 FROM customer WHERE EXISTS (SELECT * FROM orders WHERE o_custkey = c_custkey)';
    const query = parseStatement(sql) as Query;
    assert.equal(narrowSemijoins(query, { columnsOf, skip: () => true }), query);
  });
});

describe('semi-join key reductions', () => {
  it('restrict a decorrelated aggregate to the keys of the filtered outer table (TPC-H Q20 shape)', () => {
    const query = decorrelate(
      parseStatement(
        "SELECT ps_suppkey FROM partsupp WHERE ps_partkey IN (SELECT p_partkey FROM part WHERE p_name LIKE 'forest%') AND ps_availqty > (SELECT 0.5 * SUM(l_quantity) FROM lineitem WHERE l_partkey = ps_partkey AND l_suppkey = ps_suppkey)",
      ) as Query,
      columnsOf,
    );
    assert.deepEqual(
      findSemiKeys(query).map((conjunct) => text(wrap(conjunct))),
      [
        "SELECT 1 WHERE l_partkey IN (SELECT DISTINCT partsupp.ps_partkey AS exo_semi_key FROM partsupp WHERE ps_partkey IN (SELECT p_partkey FROM part WHERE p_name LIKE 'forest%'))",
      ],
    );
    // Dropping the marked conjunct gives the plain decorrelated form back.
    assert.equal(
      text(mapSemiKeys(query, () => undefined)),
      "SELECT ps_suppkey FROM partsupp, (SELECT l_partkey AS exo_k1, l_suppkey AS exo_k2, 0.5 * SUM(l_quantity) AS exo_v FROM lineitem GROUP BY l_partkey, l_suppkey) AS exo_corr_1 WHERE ps_partkey IN (SELECT p_partkey FROM part WHERE p_name LIKE 'forest%') AND exo_corr_1.exo_k1 = ps_partkey AND exo_corr_1.exo_k2 = ps_suppkey AND ps_availqty > exo_corr_1.exo_v",
    );
  });

  it('are not made without a filter on the outer table, or for an outer join or a derived table', () => {
    const none = (sql: string): void =>
      assert.deepEqual(findSemiKeys(decorrelate(parseStatement(sql) as Query, columnsOf)), [], sql);
    none(
      'SELECT p_partkey FROM part WHERE p_brand < (SELECT AVG(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)',
    );
    // The only conjunct about part names another table too.
    none(
      'SELECT p_partkey FROM part, partsupp WHERE p_brand = ps_availqty AND p_brand < (SELECT AVG(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)',
    );
    // The outer column's table is not a plain FROM item (outer join).
    none(
      "SELECT p_partkey FROM part LEFT JOIN partsupp ON ps_partkey = p_partkey WHERE p_name = 'x' AND p_brand < (SELECT AVG(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)",
    );
    // A filter whose subquery is correlated to something else.
    none(
      'SELECT p_partkey FROM part WHERE EXISTS (SELECT 1 FROM partsupp WHERE ps_partkey = p_partkey) AND p_brand < (SELECT AVG(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)',
    );
  });
});

function wrap(conjunct: Expr): Query {
  return {
    kind: 'select',
    distinct: false,
    columns: [{ expr: { kind: 'literal', type: 'int', value: 1, raw: '1' } }],
    where: conjunct,
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  };
}
