import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Constraint } from '../../src/core/constraints.js';
import { place } from '../../src/core/placement.js';
import type { AgentSnapshot, PlacementResult } from '../../src/core/placement-types.js';
import { agent, ledgerOf, request } from './placement-fixtures.js';

/** Six agents on three racks in two zones; a6 has no rack attribute. */
function cluster(): AgentSnapshot[] {
  return [
    agent('a1', { attributes: { rack: 'r1', zone: 'z1' } }),
    agent('a2', { attributes: { rack: 'r1', zone: 'z1' } }),
    agent('a3', { attributes: { rack: 'r2', zone: 'z1' } }),
    agent('a4', { attributes: { rack: 'r2', zone: 'z2' } }),
    agent('a5', { attributes: { rack: 'r3', zone: 'z2' } }),
    agent('a6', { attributes: { zone: 'z2' } }),
  ];
}

function placeWith(
  constraints: Constraint[],
  count: number,
  extra: { existing?: string[]; strategy?: 'binpack' | 'spread' } = {},
): PlacementResult {
  return place(
    request({
      constraints,
      count,
      strategy: extra.strategy ?? 'binpack',
      existing: (extra.existing ?? []).map((agentId) => ({ agentId })),
    }),
    ledgerOf(...cluster()),
  );
}

function ids(result: PlacementResult): string[] {
  return result.placements.map((placement) => placement.agentId);
}

void test('UNIQUE hostname puts at most one instance per host', () => {
  const result = placeWith([{ field: 'hostname', operator: 'UNIQUE' }], 8);
  assert.deepEqual(ids(result).sort(), ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
  assert.equal(result.diagnosis?.constraintRejections['hostname:UNIQUE'], 6);
});

void test('UNIQUE on an attribute counts existing instances and skips agents without it', () => {
  const result = placeWith([{ field: 'rack', operator: 'UNIQUE' }], 3, { existing: ['a1'] });
  const racks = ids(result).map(
    (id) => cluster().find((entry) => entry.id === id)!.attributes.rack,
  );
  assert.deepEqual(racks.sort(), ['r2', 'r3']);
  assert.ok(!ids(result).includes('a6'));
});

void test('CLUSTER with a value keeps instances on agents with that value', () => {
  const result = placeWith([{ field: 'zone', operator: 'CLUSTER', value: 'z2' }], 3);
  assert.ok(ids(result).every((id) => ['a4', 'a5', 'a6'].includes(id)));
  assert.equal(result.placements.length, 3);
});

void test('CLUSTER without a value follows the first instance', () => {
  const fresh = placeWith([{ field: 'rack', operator: 'CLUSTER' }], 20);
  // Binpack fills a1 (4 cpus) first, then a2 on the same rack: 8 instances, all on r1.
  assert.deepEqual([...new Set(ids(fresh))].sort(), ['a1', 'a2']);
  assert.equal(fresh.placements.length, 8);
  const following = placeWith([{ field: 'rack', operator: 'CLUSTER' }], 2, { existing: ['a5'] });
  assert.deepEqual(ids(following), ['a5', 'a5']);
});

void test('GROUP_BY spreads evenly across values', () => {
  const result = placeWith([{ field: 'rack', operator: 'GROUP_BY' }], 6);
  const perRack = new Map<string, number>();
  for (const id of ids(result)) {
    const rack = cluster().find((entry) => entry.id === id)!.attributes.rack!;
    perRack.set(rack, (perRack.get(rack) ?? 0) + 1);
  }
  assert.deepEqual(Object.fromEntries(perRack), { r1: 2, r2: 2, r3: 2 });
});

void test('GROUP_BY fills the values with fewer existing instances first', () => {
  const result = placeWith([{ field: 'rack', operator: 'GROUP_BY', value: '3' }], 2, {
    existing: ['a1', 'a2', 'a3'],
  });
  assert.deepEqual(ids(result), ['a5', 'a5']);
});

void test('LIKE and UNLIKE match the whole value', () => {
  const like = placeWith([{ field: 'rack', operator: 'LIKE', value: 'r[23]' }], 10, {
    strategy: 'spread',
  });
  assert.deepEqual([...new Set(ids(like))].sort(), ['a3', 'a4', 'a5']);
  // "r" alone matches no rack when anchored.
  assert.equal(
    placeWith([{ field: 'rack', operator: 'LIKE', value: 'r' }], 1).placements.length,
    0,
  );
  const unlike = placeWith([{ field: 'rack', operator: 'UNLIKE', value: 'r[12]' }], 10, {
    strategy: 'spread',
  });
  // a6 lacks the attribute, which UNLIKE lets through.
  assert.deepEqual([...new Set(ids(unlike))].sort(), ['a5', 'a6']);
  const hostnames = placeWith([{ field: 'hostname', operator: 'LIKE', value: 'a[12]\\..*' }], 3, {
    strategy: 'spread',
  });
  assert.deepEqual(ids(hostnames), ['a1', 'a2', 'a1']);
});

void test('MAX_PER caps instances per value', () => {
  const result = placeWith([{ field: 'zone', operator: 'MAX_PER', value: '2' }], 5);
  assert.equal(result.placements.length, 4);
  assert.equal(result.diagnosis?.constraintRejections['zone:MAX_PER:2'], 6);
});

void test('IS requires the exact value', () => {
  const result = placeWith([{ field: 'rack', operator: 'IS', value: 'r3' }], 2);
  assert.deepEqual(ids(result), ['a5', 'a5']);
  assert.equal(placeWith([{ field: 'rack', operator: 'IS', value: 'r' }], 1).placements.length, 0);
});

void test('an agent without the attribute fails every operator but UNLIKE', () => {
  const operators: Constraint[] = [
    { field: 'rack', operator: 'UNIQUE' },
    { field: 'rack', operator: 'CLUSTER' },
    { field: 'rack', operator: 'GROUP_BY' },
    { field: 'rack', operator: 'LIKE', value: '.*' },
    { field: 'rack', operator: 'MAX_PER', value: '5' },
    { field: 'rack', operator: 'IS', value: '' },
  ];
  for (const constraint of operators) {
    const result = place(request({ constraints: [constraint] }), ledgerOf(agent('bare')));
    assert.equal(result.placements.length, 0, constraint.operator);
    assert.match(result.diagnosis!.agents[0]!.reasons[0]!, /no attribute rack/);
  }
});

void test('several GROUP_BY constraints are honoured together', () => {
  const result = placeWith(
    [
      { field: 'rack', operator: 'GROUP_BY' },
      { field: 'zone', operator: 'GROUP_BY' },
    ],
    2,
  );
  // First instance: best binpack agent; second must be on another rack and another zone.
  assert.deepEqual(ids(result), ['a1', 'a4']);
});

void test('a malformed constraint refuses agents instead of throwing', () => {
  const bad: Constraint[] = [
    { field: 'hostname', operator: 'LIKE', value: 'a[(' },
    { field: 'hostname', operator: 'MAX_PER', value: 'many' },
  ];
  for (const constraint of bad) {
    assert.equal(placeWith([constraint], 1).placements.length, 0);
  }
});
