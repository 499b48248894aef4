/**
 * The partitions' write locks: FIFO hand-over, every queued wait of the new holder granted at
 * once (two requests of one transaction can wait together; the one left queued used to wait
 * for its own transaction until the timeout), the lock wait timeout (1205), cycles of waits on
 * one leaf (1213), the waits the aggregator reads to find cycles across leaves, and ending all
 * of a transaction's waits at once (a victim, or a transaction rolled back while it waits).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LockTable } from '../../src/storage/write-lock.js';

const settled = async (promise: Promise<unknown>): Promise<string> =>
  Promise.race([
    promise.then(
      () => 'granted',
      (error: { errno?: number }) => `failed ${error.errno ?? '?'}`,
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('waiting'), 50)),
  ]);

describe('write locks', () => {
  it('hands the lock over in order, granting every wait of the new holder', async () => {
    const table = new LockTable();
    const lock = table.create();
    await lock.acquire('t1', 5_000);
    const first = lock.acquire('t2', 5_000);
    const other = lock.acquire('t3', 5_000);
    const second = lock.acquire('t2', 5_000);
    assert.deepEqual(table.waits(), [
      ['t2', 't1'],
      ['t3', 't1'],
    ]);
    lock.release('t1');
    assert.equal(await settled(first), 'granted');
    assert.equal(await settled(second), 'granted');
    assert.equal(await settled(other), 'waiting');
    assert.equal(lock.holder, 't2');
    lock.release('t2');
    assert.equal(await settled(other), 'granted');
    lock.release('t3');
  });

  it('reports a local cycle with 1213, and ends a wait the aggregator fails', async () => {
    const table = new LockTable();
    const a = table.create();
    const b = table.create();
    await a.acquire('t1', 5_000);
    await b.acquire('t2', 5_000);
    const waiting = b.acquire('t1', 5_000);
    assert.equal(await settled(a.acquire('t2', 5_000)), 'failed 1213');
    assert.equal(table.failWait('t1'), true);
    assert.equal(await settled(waiting), 'failed 1213');
    assert.equal(table.failWait('t1'), false);
    assert.deepEqual(table.waits(), []);
  });

  it('ends every wait of a transaction at once, on every lock', async () => {
    const table = new LockTable();
    const a = table.create();
    const b = table.create();
    await a.acquire('t1', 5_000);
    await b.acquire('t1', 5_000);
    const onA = a.acquire('t2', 5_000);
    const onB = b.acquire('t2', 5_000);
    assert.deepEqual(table.waits(), [
      ['t2', 't1'],
      ['t2', 't1'],
    ]);
    assert.equal(table.failWait('t2'), true);
    assert.equal(await settled(onA), 'failed 1213');
    assert.equal(await settled(onB), 'failed 1213');
    assert.deepEqual(table.waits(), []);
  });

  it('fails a timed-out wait with 1205', async () => {
    const table = new LockTable();
    const lock = table.create();
    await lock.acquire('t1', 5_000);
    assert.equal(await settled(lock.acquire('t2', 10)), 'failed 1205');
    lock.release('t1');
    assert.equal(lock.holder, undefined);
  });
});
