import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallQueue } from '../../src/analytics/call-queue.js';

describe('analytics call queue', () => {
  it('is bounded: beyond its capacity claims return undefined and count drops', () => {
    const queue = new CallQueue(4);
    for (let i = 0; i < 4; i++) {
      const slot = queue.claim();
      assert.ok(slot);
      slot.status = 200 + i;
    }
    for (let i = 0; i < 3; i++) assert.equal(queue.claim(), undefined);
    assert.equal(queue.depth, 4);
    assert.equal(queue.dropped, 3);
  });

  it('never blocks: a full queue answers synchronously, every time', () => {
    const queue = new CallQueue(16);
    for (let i = 0; i < 16; i++) queue.claim();
    // A claim is a plain synchronous call: nothing to await, no promise, no callback.
    const results = Array.from({ length: 100_000 }, () => queue.claim());
    assert.ok(results.every((result) => result === undefined));
    assert.equal(queue.dropped, 100_000);
    assert.equal(queue.depth, 16);
  });

  it('drains oldest first across the wrap-around and reuses slots', () => {
    const queue = new CallQueue(3);
    const seen: number[] = [];
    let next = 0;
    const push = (): void => {
      const slot = queue.claim();
      assert.ok(slot);
      slot.status = next++;
    };
    push();
    push();
    queue.drain((slot) => seen.push(slot.status), 1);
    push();
    push();
    assert.equal(queue.claim(), undefined);
    assert.equal(
      queue.drain((slot) => seen.push(slot.status)),
      3,
    );
    assert.deepEqual(seen, [0, 1, 2, 3]);
    assert.equal(queue.depth, 0);
    push();
    queue.drain((slot) => seen.push(slot.status));
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
  });

  it('drained slots keep no references to routes or strings', () => {
    const queue = new CallQueue(2);
    const slot = queue.claim()!;
    slot.route = { name: 'r', paths: ['/'] };
    slot.application = 'shop';
    queue.drain(() => undefined);
    assert.equal(slot.route, undefined);
    assert.equal(slot.application, undefined);
  });
});
