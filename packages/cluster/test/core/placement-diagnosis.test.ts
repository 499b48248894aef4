import assert from 'node:assert/strict';
import { test } from 'node:test';
import { place } from '../../src/core/placement.js';
import { agent, ledgerOf, request } from './placement-fixtures.js';

void test('the diagnosis names the resource or constraint that refused each agent', () => {
  const ledger = ledgerOf(
    agent('a', { cpus: 4, usedCpus: 3.5 }),
    agent('b', { mem: 4096, usedMem: 4032 }),
    agent('c', { schedulable: false }),
    agent('d', { hostname: 'db-1', disk: 0 }),
    agent('e', { hostname: 'web-1', cpus: 2 }),
  );
  const result = place(
    request({
      resources: { cpus: 1, mem: 128, disk: 0 },
      constraints: [{ field: 'hostname', operator: 'LIKE', value: 'web-.*' }],
      count: 3,
    }),
    ledger,
  );
  assert.deepEqual(
    result.placements.map((placement) => placement.agentId),
    ['e', 'e'],
  );
  const diagnosis = result.diagnosis!;
  assert.equal(diagnosis.agentsConsidered, 5);
  assert.deepEqual(diagnosis.rejections, {
    InsufficientCpus: 2,
    InsufficientMemory: 1,
    AgentUnavailable: 1,
    UnfulfilledConstraint: 3,
  });
  assert.deepEqual(diagnosis.constraintRejections, { 'hostname:LIKE:web-.*': 3 });
  assert.deepEqual(
    diagnosis.agents.map((entry) => [entry.agentId, entry.reasons]),
    [
      ['a', ['cpus: needs 1, free 0.5', 'constraint hostname:LIKE:web-.* (hostname is a.example)']],
      [
        'b',
        [
          'mem: needs 128 MiB, free 64 MiB',
          'constraint hostname:LIKE:web-.* (hostname is b.example)',
        ],
      ],
      ['c', ['agent not schedulable']],
      ['d', ['constraint hostname:LIKE:web-.* (hostname is db-1)']],
      ['e', ['cpus: needs 1, free 0']],
    ],
  );
});

void test('the diagnosis explains counting constraints after the placements of the call', () => {
  const ledger = ledgerOf(agent('a'), agent('b'));
  const result = place(
    request({
      constraints: [{ field: 'hostname', operator: 'UNIQUE' }],
      count: 3,
      existing: [{ agentId: 'b' }],
    }),
    ledger,
  );
  assert.deepEqual(
    result.placements.map((placement) => placement.agentId),
    ['a'],
  );
  assert.deepEqual(
    result.diagnosis!.agents.map((entry) => entry.reasons),
    [
      ['constraint hostname:UNIQUE (a.example already has 1 instance)'],
      ['constraint hostname:UNIQUE (b.example already has 1 instance)'],
    ],
  );
});

void test('disk is reported in MiB', () => {
  const result = place(
    request({ resources: { cpus: 1, mem: 1, disk: 500 } }),
    ledgerOf(agent('a', { disk: 100 })),
  );
  assert.deepEqual(result.diagnosis!.agents[0]!.reasons, ['disk: needs 500 MiB, free 100 MiB']);
  assert.deepEqual(result.diagnosis!.rejections, { InsufficientDisk: 1 });
});

void test('per-agent detail is capped while the counts cover every agent', () => {
  const snapshots = Array.from({ length: 80 }, (_, index) =>
    agent(`agent-${String(index).padStart(3, '0')}`, { schedulable: false }),
  );
  const capped = place(request(), ledgerOf(...snapshots));
  assert.equal(capped.diagnosis!.agents.length, 50);
  assert.equal(capped.diagnosis!.rejections.AgentUnavailable, 80);
  const small = place(request(), ledgerOf(...snapshots), { agentDetailMax: 3 });
  assert.deepEqual(
    small.diagnosis!.agents.map((entry) => entry.agentId),
    ['agent-000', 'agent-001', 'agent-002'],
  );
  assert.equal(
    place(request(), ledgerOf(...snapshots), { agentDetailMax: -1 }).diagnosis!.agents.length,
    0,
  );
});

void test('an empty cluster is diagnosed as such', () => {
  assert.deepEqual(place(request(), ledgerOf()).diagnosis, {
    agentsConsidered: 0,
    rejections: {},
    constraintRejections: {},
    agents: [],
  });
});
