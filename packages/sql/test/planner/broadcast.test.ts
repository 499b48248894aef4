/**
 * The broadcast choice on parsed queries and a small catalog: which sharded table stays
 * sharded (the anchor), which small tables are copied to the leaves, and which queries keep
 * the other plans (row limits, outer joins that would preserve copied rows, one sharded table).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, type Query, type SelectStatement } from '../../src/parser/index.js';
import type { TableLookup } from '../../src/planner/colocation.js';
import { lookupOf, table } from './catalog-fixture.js';
import {
  BROADCAST_ROWS_MAX,
  broadcastCandidates,
  canBroadcast,
  chooseBroadcast,
  type BroadcastCandidate,
} from '../../src/planner/broadcast.js';
import {
  canBroadcastFragments,
  chooseFragmentBroadcast,
} from '../../src/planner/broadcast-fragments.js';

const TABLES = [
  table('orders', ['o_orderkey', 'o_custkey', 'o_total'], ['o_orderkey']),
  table('lineitem', ['l_orderkey', 'l_partkey', 'l_qty'], ['l_orderkey']),
  table('part', ['p_partkey', 'p_brand'], ['p_partkey']),
  table('customer', ['c_custkey', 'c_nationkey'], ['c_custkey']),
  table('nation', ['n_nationkey', 'n_name'], ['n_nationkey'], { reference: true }),
  table('audit', ['a_orderkey'], ['a_orderkey'], { storage: 'row' }),
];

const LOOKUP: TableLookup = lookupOf(TABLES);

const ROWS: Record<string, number> = {
  'db.lineitem': 600_000,
  'db.orders': 150_000,
  'db.part': 20_000,
  'db.customer': 15_000,
};

function choose(
  sql: string,
  rows: Record<string, number> = ROWS,
): { anchor?: string; broadcast?: string[] } | undefined {
  const query = parseStatement(sql) as SelectStatement;
  const candidates = broadcastCandidates(query, LOOKUP);
  if (candidates === undefined) return undefined;
  const count = (candidate: BroadcastCandidate): number => rows[candidate.key] ?? 0;
  if (!canBroadcast(query, LOOKUP, candidates)) return {};
  const choice = chooseBroadcast(query, LOOKUP, candidates, count);
  return choice === undefined
    ? {}
    : {
        anchor: choice.anchor.table.name,
        broadcast: choice.broadcast.map((candidate) => candidate.table.name),
      };
}

describe('chooseBroadcast', () => {
  it('copies the small table joined off the shard key (TPC-H Q14/Q19 shape)', () => {
    assert.deepEqual(
      choose("SELECT SUM(l_qty) FROM lineitem, part WHERE l_partkey = p_partkey AND p_brand = 'x'"),
      { anchor: 'lineitem', broadcast: ['part'] },
    );
  });

  it('keeps co-located tables sharded and copies only the others (TPC-H Q3/Q5 shape)', () => {
    assert.deepEqual(
      choose(
        'SELECT n_name, SUM(l_qty) FROM customer, orders, lineitem, part, nation WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND l_partkey = p_partkey AND c_nationkey = n_nationkey GROUP BY n_name',
      ),
      { anchor: 'lineitem', broadcast: ['part', 'customer'] },
    );
  });

  it('refuses a table over the row limit, and a copy larger than the anchor', () => {
    const sql = 'SELECT COUNT(*) FROM lineitem, part WHERE l_partkey = p_partkey';
    assert.deepEqual(choose(sql, { ...ROWS, 'db.part': BROADCAST_ROWS_MAX + 1 }), {});
    assert.deepEqual(choose(sql, { 'db.lineitem': 10, 'db.part': 100 }), {
      anchor: 'part',
      broadcast: ['lineitem'],
    });
    assert.deepEqual(choose(sql, { 'db.lineitem': 300_000, 'db.part': 300_000 }), {});
  });

  it('broadcasts the inner side of an outer join, never the preserved side', () => {
    assert.deepEqual(
      choose('SELECT l_orderkey, p_brand FROM lineitem LEFT JOIN part ON p_partkey = l_partkey'),
      { anchor: 'lineitem', broadcast: ['part'] },
    );
    // Part preserved against sharded lineitem rows: every partition would emit its rows.
    // The only other choice (lineitem copied, part the anchor) exceeds the anchor's size.
    assert.deepEqual(
      choose('SELECT p_partkey, l_qty FROM part LEFT JOIN lineitem ON p_partkey = l_partkey'),
      {},
    );
  });

  it('leaves queries with one sharded table, rowstore tables or locking reads alone', () => {
    assert.equal(choose('SELECT * FROM lineitem, nation'), undefined);
    assert.equal(choose('SELECT * FROM lineitem, audit WHERE a_orderkey = l_partkey'), undefined);
    assert.equal(
      choose('SELECT * FROM lineitem, part WHERE l_partkey = p_partkey FOR UPDATE'),
      undefined,
    );
  });
});

describe('chooseFragmentBroadcast', () => {
  const fragmentChoice = (sql: string): string[] | undefined => {
    const query = parseStatement(sql) as Query;
    const candidates = broadcastCandidates(query, LOOKUP);
    if (candidates === undefined || !canBroadcastFragments(query, LOOKUP, candidates))
      return undefined;
    return chooseFragmentBroadcast(
      query,
      LOOKUP,
      candidates,
      (candidate) => ROWS[candidate.key] ?? 0,
    )?.broadcast.map((candidate) => candidate.table.name);
  };

  it('grows the fragment inside a derived table (TPC-H Q7/Q9 shape)', () => {
    assert.deepEqual(
      fragmentChoice(
        'SELECT y, SUM(v) FROM (SELECT c_nationkey AS y, l_qty AS v FROM customer, orders, lineitem, part WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND l_partkey = p_partkey) AS x GROUP BY y',
      )?.sort(),
      ['customer', 'part'],
    );
  });

  it('does nothing when no fragment grows', () => {
    assert.equal(
      fragmentChoice(
        'SELECT COUNT(*) FROM (SELECT l_qty FROM lineitem, orders WHERE l_orderkey = o_orderkey) AS x',
      ),
      undefined,
    );
  });
});
