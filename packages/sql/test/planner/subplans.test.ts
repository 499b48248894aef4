/**
 * Sub-plans on parsed queries with a probe that accepts every part reading a table named
 * `big*`: which parts run first, what the rest of the query reads instead, and which parts
 * stay because they are correlated or read a CTE of an enclosing scope.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, formatQuery, type Query } from '../../src/parser/index.js';
import { planSubplans, type SubplanRewrite } from '../../src/planner/subplans.js';
import { collectTableUses } from '../../src/planner/tables.js';

function text(query: Query): string {
  return formatQuery(query).replaceAll('`', '');
}

/**
 * Accepts parts whose own FROM lists a `big*` table; their columns are named `n1`, `n2`, … by
 * count.
 */
function plan(sql: string): SubplanRewrite | undefined {
  return planSubplans(parseStatement(sql) as Query, (part) => {
    const from = part.kind === 'select' ? (part.from ?? []) : [];
    if (!collectTableUses(from).some((use) => use.ref.name.startsWith('big'))) return undefined;
    const columns = part.kind === 'select' ? part.columns.length : 1;
    return Array.from({ length: columns }, (_, index) => `n${index + 1}`);
  });
}

describe('planSubplans', () => {
  it('computes a CTE referenced twice once (TPC-H Q15 shape)', () => {
    const result = plan(
      'WITH r AS (SELECT k, SUM(v) AS t FROM big GROUP BY k) SELECT s.a, r.t FROM small s, r WHERE s.a = r.k AND r.t = (SELECT MAX(t) FROM r)',
    );
    assert.equal(result?.subplans.length, 1);
    assert.equal(result?.subplans[0]?.label, 'r');
    assert.deepEqual(result?.subplans[0]?.columns, ['n1', 'n2']);
    assert.equal(
      text(result?.query),
      'SELECT s.a, r.t FROM small AS s, (SELECT c1 AS n1, c2 AS n2 FROM exo_subplan_1) AS r WHERE s.a = r.k AND r.t = (SELECT MAX(t) FROM (SELECT c1 AS n1, c2 AS n2 FROM exo_subplan_1) AS r)',
    );
  });

  it('names CTE and derived columns by their column lists', () => {
    const result = plan(
      'WITH r (x, y) AS (SELECT k, v FROM big) SELECT d.p FROM r, (SELECT k, v FROM big2) AS d (p, q) WHERE d.q = r.y',
    );
    assert.equal(result?.subplans.length, 2);
    assert.equal(
      text(result?.query),
      'SELECT d.p FROM (SELECT c1 AS x, c2 AS y FROM exo_subplan_1) AS r, (SELECT c1 AS p, c2 AS q FROM exo_subplan_2) AS d WHERE d.q = r.y',
    );
  });

  it('takes uncorrelated scalar and IN subqueries out, and leaves correlated ones (TPC-H Q22)', () => {
    const result = plan(
      'SELECT c FROM (SELECT c, b FROM small WHERE b > (SELECT AVG(b) FROM big) AND NOT EXISTS (SELECT * FROM big o WHERE o.k = small.c) AND c IN (SELECT k FROM big)) AS x',
    );
    assert.deepEqual(
      result?.subplans.map((subplan) => subplan.label),
      ['subquery', 'subquery'],
    );
    assert.equal(
      text(result?.query),
      'SELECT c FROM (SELECT c, b FROM small WHERE b > (SELECT c1 AS n1 FROM exo_subplan_1) AND NOT EXISTS (SELECT * FROM big AS o WHERE o.k = small.c) AND c IN (SELECT c1 AS n1 FROM exo_subplan_2)) AS x',
    );
  });

  it('leaves parts that read an enclosing CTE, and the plain CTE read used to force gather', () => {
    assert.equal(
      plan(
        'WITH r AS (SELECT k FROM small) SELECT k FROM r WHERE k IN (SELECT k FROM big WHERE k IN (SELECT k FROM r))',
      ),
      undefined,
    );
    assert.equal(
      plan('WITH g AS (SELECT k, SUM(v) FROM big GROUP BY k) SELECT * FROM g'),
      undefined,
    );
    assert.equal(plan('SELECT k FROM small WHERE k > 1'), undefined);
  });

  it('searches a part that stays for smaller parts inside it', () => {
    const result = plan(
      'SELECT * FROM (SELECT a FROM small WHERE a IN (SELECT k FROM big)) AS d, LATERAL (SELECT k FROM big3 WHERE k = d.a) AS l',
    );
    assert.equal(result?.subplans.length, 1);
    assert.equal(
      text(result?.query),
      'SELECT * FROM (SELECT a FROM small WHERE a IN (SELECT c1 AS n1 FROM exo_subplan_1)) AS d, LATERAL (SELECT k FROM big3 WHERE k = d.a) AS l',
    );
  });
});
