import assert from 'node:assert/strict';
import { test } from 'node:test';
import { place } from '../../src/core/placement.js';
import { agent, ledgerOf, request } from './placement-fixtures.js';

void test('port 0 takes the lowest free ports, distinct within and across instances', () => {
  const ledger = ledgerOf(agent('a', { ports: [{ begin: 100, end: 105 }], usedPorts: [101] }));
  const result = place(
    request({ ports: [0, 0], count: 2, resources: { cpus: 0.1, mem: 1, disk: 0 } }),
    ledger,
  );
  assert.deepEqual(
    result.placements.map((placement) => placement.ports),
    [
      [100, 102],
      [103, 104],
    ],
  );
  assert.equal(ledger.get('a')!.ports.freeCount, 1);
});

void test('requirePorts takes exactly the host ports asked for', () => {
  const ledger = ledgerOf(
    agent('a', { ports: [{ begin: 100, end: 105 }], usedPorts: [103] }),
    agent('b', { ports: [{ begin: 100, end: 105 }] }),
  );
  const result = place(
    request({
      ports: [103, 0],
      requirePorts: true,
      count: 2,
      resources: { cpus: 0.1, mem: 1, disk: 0 },
    }),
    ledger,
  );
  // Port 103 is taken on a; b can hold one instance with 103, then 103 is gone there too.
  assert.deepEqual(result.placements, [{ agentId: 'b', ports: [103, 100] }]);
  assert.deepEqual(result.diagnosis?.rejections, { InsufficientPorts: 2 });
  assert.deepEqual(
    result.diagnosis?.agents.map((entry) => entry.reasons),
    [['port 103 in use'], ['port 103 in use']],
  );
});

void test('a required port outside the offered ranges is refused', () => {
  const result = place(request({ ports: [80], requirePorts: true }), ledgerOf(agent('a')));
  assert.deepEqual(result.diagnosis?.agents[0]?.reasons, [
    'port 80 not offered (offered 31000-32000)',
  ]);
});

void test('a non-zero port without requirePorts is a service port: any host port will do', () => {
  const result = place(request({ ports: [80, 443] }), ledgerOf(agent('a')));
  assert.deepEqual(result.placements, [{ agentId: 'a', ports: [31000, 31001] }]);
});

void test('the same required port twice fits nowhere', () => {
  const result = place(
    request({ ports: [31000, 31000], requirePorts: true }),
    ledgerOf(agent('a')),
  );
  assert.equal(result.placements.length, 0);
  assert.match(result.diagnosis!.agents[0]!.reasons[0]!, /requested twice/);
});

void test('running out of ports is reported with the ranges', () => {
  const full = ledgerOf(
    agent('a', { ports: [{ begin: 31000, end: 31001 }], usedPorts: [31000, 31001] }),
  );
  assert.deepEqual(place(request({ ports: [0] }), full).diagnosis?.agents[0]?.reasons, [
    'no free port in 31000-31001',
  ]);
  const short = ledgerOf(agent('a', { ports: [{ begin: 31000, end: 31001 }], usedPorts: [31000] }));
  assert.deepEqual(place(request({ ports: [0, 0] }), short).diagnosis?.agents[0]?.reasons, [
    'ports: needs 2, free 1 in 31000-31001',
  ]);
  const none = ledgerOf(agent('a', { ports: [] }));
  assert.deepEqual(place(request({ ports: [0] }), none).diagnosis?.agents[0]?.reasons, [
    'no free port (agent offers no ports)',
  ]);
});
