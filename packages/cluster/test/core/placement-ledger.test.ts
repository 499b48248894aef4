import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AgentPorts } from '../../src/core/agent-ports.js';
import { PlacementLedger } from '../../src/core/placement-ledger.js';
import { agent } from './placement-fixtures.js';

void test('the ledger orders agents by id and computes what is free', () => {
  const ledger = new PlacementLedger([
    agent('b', { cpus: 4, usedCpus: 1.5, mem: 1000, usedMem: 200 }),
    agent('a', { ports: [{ begin: 10, end: 14 }], usedPorts: [11, 99] }),
  ]);
  assert.deepEqual(
    ledger.agents.map((entry) => entry.id),
    ['a', 'b'],
  );
  assert.deepEqual(ledger.get('b')!.free, { cpus: 2.5, mem: 800, disk: 10_000 });
  // Port 99 is used but outside the offered range, so it does not reduce the free count.
  assert.equal(ledger.get('a')!.ports.freeCount, 4);
  assert.equal(ledger.get('zzz'), undefined);
  assert.equal(ledger.size, 2);
});

void test('reserve and release change free resources and ports, and are checked', () => {
  const snapshot = agent('a', { ports: [{ begin: 10, end: 12 }] });
  const ledger = new PlacementLedger([snapshot]);
  ledger.reserve('a', { cpus: 0.1, mem: 10, disk: 1 }, [10, 12]);
  assert.deepEqual(ledger.get('a')!.free, { cpus: 3.9, mem: 4086, disk: 9999 });
  assert.equal(ledger.fits('a', { cpus: 1, mem: 1, disk: 0 }, [10]), false);
  assert.equal(ledger.fits('a', { cpus: 1, mem: 1, disk: 0 }, [11]), true);
  assert.throws(() => ledger.reserve('a', { cpus: 0, mem: 0, disk: 0 }, [12]), RangeError);
  assert.throws(() => ledger.reserve('a', { cpus: 0, mem: 0, disk: 0 }, [11, 11]), RangeError);
  assert.throws(() => ledger.reserve('nope', { cpus: 0, mem: 0, disk: 0 }, []), RangeError);
  assert.throws(() => ledger.release('a', { cpus: 0, mem: 0, disk: 0 }, [11]), RangeError);
  // A refused call changes nothing.
  assert.equal(ledger.get('a')!.ports.freeCount, 1);
  ledger.release('a', { cpus: 0.1, mem: 10, disk: 1 }, [10, 12]);
  assert.deepEqual(ledger.get('a')!.free, { cpus: 4, mem: 4096, disk: 10_000 });
  assert.equal(ledger.get('a')!.ports.freeCount, 3);
  // The snapshot's own port set is never written to.
  assert.equal(snapshot.usedPorts.size, 0);
});

void test('cpu shares do not drift with repeated reservations', () => {
  const ledger = new PlacementLedger([agent('a', { cpus: 1 })]);
  for (let index = 0; index < 10; index += 1)
    ledger.reserve('a', { cpus: 0.1, mem: 0, disk: 0 }, []);
  assert.equal(ledger.get('a')!.freeCpus, 0);
});

void test('duplicate agent ids are refused', () => {
  assert.throws(() => new PlacementLedger([agent('a'), agent('a')]), /appears twice/);
});

void test('agent ports merge ranges and hand out the lowest free port', () => {
  const ports = new AgentPorts(
    [
      { begin: 20, end: 21 },
      { begin: 10, end: 12 },
      { begin: 12, end: 13 },
    ],
    new Set([10, 12]),
  );
  assert.equal(ports.describeRanges(), '10-13,20-21');
  assert.equal(ports.freeCount, 4);
  assert.equal(ports.lowestFree(), 11);
  ports.take(11);
  assert.equal(ports.lowestFree(), 13);
  ports.take(13);
  assert.equal(ports.lowestFree(), 20);
  ports.give(11);
  assert.equal(ports.lowestFree(), 11);
  ports.take(11);
  ports.take(20);
  ports.take(21);
  assert.equal(ports.lowestFree(), undefined);
  assert.equal(ports.freeCount, 0);
  assert.throws(() => ports.take(5), RangeError);
});
