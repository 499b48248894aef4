import assert from 'node:assert/strict';
import { test } from 'node:test';
import { place } from '../../src/core/placement.js';
import { agent, ledgerOf, request } from './placement-fixtures.js';

void test('binpack fills the fullest agent that fits before opening another', () => {
  const ledger = ledgerOf(
    agent('a', { cpus: 4 }),
    agent('b', { cpus: 4, usedCpus: 2, usedMem: 2048 }),
    agent('c', { cpus: 4, usedCpus: 3.5, usedMem: 3584 }),
  );
  const result = place(request({ count: 4 }), ledger);
  // c has only 0.5 cpus free, too little; b is the fullest that fits, then a.
  assert.deepEqual(
    result.placements.map((placement) => placement.agentId),
    ['b', 'b', 'a', 'a'],
  );
});

void test('spread takes the agent with the fewest instances of the app, then the emptiest', () => {
  const ledger = ledgerOf(
    agent('a', { cpus: 8 }),
    agent('b', { cpus: 8, usedCpus: 4, usedMem: 2048 }),
    agent('c', { cpus: 8 }),
  );
  const result = place(
    request({ count: 5, strategy: 'spread', existing: [{ agentId: 'c' }] }),
    ledger,
  );
  assert.deepEqual(
    result.placements.map((placement) => placement.agentId),
    // c starts with one existing instance, so a and b come first; then c, being emptier.
    ['a', 'b', 'c', 'a', 'b'],
  );
});

void test('ties go to the lower agent id whatever the snapshot order', () => {
  const forward = place(
    request({ count: 3, strategy: 'spread' }),
    ledgerOf(agent('x'), agent('y'), agent('z')),
  );
  const backward = place(
    request({ count: 3, strategy: 'spread' }),
    ledgerOf(agent('z'), agent('y'), agent('x')),
  );
  assert.deepEqual(forward, backward);
  assert.deepEqual(
    forward.placements.map((placement) => placement.agentId),
    ['x', 'y', 'z'],
  );
});

void test('successive calls on one ledger see earlier placements', () => {
  const ledger = ledgerOf(agent('a', { cpus: 2 }), agent('b', { cpus: 2 }));
  const first = place(request({ appId: '/one', count: 2 }), ledger);
  const second = place(request({ appId: '/two', count: 2 }), ledger);
  assert.deepEqual(
    first.placements.map((placement) => placement.agentId),
    ['a', 'a'],
  );
  assert.deepEqual(
    second.placements.map((placement) => placement.agentId),
    ['b', 'b'],
  );
  const third = place(request({ appId: '/three', count: 1 }), ledger);
  assert.equal(third.placements.length, 0);
  assert.deepEqual(third.diagnosis?.rejections, { InsufficientCpus: 2 });
});

void test('unschedulable agents are never used', () => {
  const ledger = ledgerOf(agent('a', { schedulable: false }), agent('b'));
  const result = place(request({ count: 5 }), ledger);
  assert.ok(result.placements.every((placement) => placement.agentId === 'b'));
});

void test('count 0 places nothing and needs no diagnosis', () => {
  assert.deepEqual(place(request({ count: 0 }), ledgerOf(agent('a'))), { placements: [] });
});
