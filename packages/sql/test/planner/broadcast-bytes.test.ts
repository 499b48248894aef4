/**
 * The byte limit of broadcast copies: a table whose copied columns are wide (names, addresses,
 * comments) is gathered once rather than copied to every leaf when its declared size passes
 * `BROADCAST_BYTES_MAX`, in whole-query broadcasts and in fragment broadcasts; narrow copies of
 * the same row count are still made, and without a byte measure the row limits alone decide.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement, type SelectStatement } from '../../src/parser/index.js';
import type { ColumnDef } from '../../src/catalog/types.js';
import type { TableLookup } from '../../src/planner/colocation.js';
import { lookupOf, table } from './catalog-fixture.js';
import {
  BROADCAST_BYTES_MAX,
  broadcastCandidates,
  chooseBroadcast,
  copyBytes,
  type BroadcastCandidate,
} from '../../src/planner/broadcast.js';
import { chooseFragmentBroadcast } from '../../src/planner/broadcast-fragments.js';

function text(name: string, length: number): ColumnDef {
  return { name, type: 'varchar', mysqlType: `varchar(${length})`, length, nullable: true };
}

function integer(name: string): ColumnDef {
  return { name, type: 'int', mysqlType: 'int(11)', nullable: true };
}

const CUSTOMER_COLUMNS = [integer('c_custkey'), text('c_name', 25), text('c_comment', 117)];
const TABLES = [
  table('orders', ['o_orderkey', 'o_custkey', 'o_total'], ['o_orderkey']),
  table('lineitem', ['l_orderkey', 'l_qty'], ['l_orderkey']),
  table('customer', CUSTOMER_COLUMNS, ['c_custkey']),
];
const LOOKUP: TableLookup = lookupOf(TABLES);
const ROWS: Record<string, number> = {
  'db.lineitem': 6_000_000,
  'db.orders': 1_500_000,
  'db.customer': 150_000,
};
const QUERY =
  'SELECT c_custkey, c_name, c_comment, SUM(l_qty) FROM customer, orders, lineitem WHERE c_custkey = o_custkey AND o_orderkey = l_orderkey GROUP BY c_custkey, c_name, c_comment';

function parts(): { query: SelectStatement; candidates: BroadcastCandidate[] } {
  const query = parseStatement(QUERY) as SelectStatement;
  const candidates = broadcastCandidates(query, LOOKUP);
  if (candidates === undefined) throw new Error('no broadcast candidates');
  return { query, candidates };
}

const rows = (candidate: BroadcastCandidate): number => ROWS[candidate.key] ?? 0;

/** The bytes of the candidate's copy holding only `columns` of it. */
function bytesOf(columns: readonly string[]) {
  return (candidate: BroadcastCandidate): number =>
    copyBytes(
      candidate.table.columns.filter((column) => columns.includes(column.name)),
      rows(candidate),
    );
}

describe('broadcast byte limit', () => {
  it('measures declared string lengths and 8 bytes for other columns', () => {
    assert.equal(copyBytes(CUSTOMER_COLUMNS, 10), (8 + 25 + 117) * 10);
    const unsized: ColumnDef = { name: 't', type: 'text', mysqlType: 'text', nullable: true };
    assert.equal(copyBytes([unsized], 2), 512);
  });

  it('gathers a wide table rather than copying it (TPC-H Q10 shape)', () => {
    const { query, candidates } = parts();
    const wide = bytesOf(['c_custkey', 'c_name', 'c_comment']);
    assert.ok(150_000 * (8 + 25 + 117) > BROADCAST_BYTES_MAX);
    assert.equal(chooseBroadcast(query, LOOKUP, candidates, rows, wide), undefined);
    assert.equal(chooseFragmentBroadcast(query, LOOKUP, candidates, rows, wide), undefined);
  });

  it('still copies the same rows when the copied columns are narrow (TPC-H Q5 shape)', () => {
    const { query, candidates } = parts();
    const narrow = bytesOf(['c_custkey']);
    const choice = chooseBroadcast(query, LOOKUP, candidates, rows, narrow);
    assert.deepEqual(
      choice?.broadcast.map((candidate) => candidate.table.name),
      ['customer'],
    );
    assert.equal(choice?.anchor.table.name, 'lineitem');
  });

  it('applies the row limits alone without a byte measure', () => {
    const { query, candidates } = parts();
    const choice = chooseBroadcast(query, LOOKUP, candidates, rows);
    assert.deepEqual(
      choice?.broadcast.map((candidate) => candidate.table.name),
      ['customer'],
    );
  });
});
