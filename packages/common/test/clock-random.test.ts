import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RealClock, SeededRandom, VirtualClock } from '../src/index.js';

test('the virtual clock fires timers in time order, then creation order, only when advanced', async () => {
  const clock = new VirtualClock(1000);
  const fired: string[] = [];
  clock.setTimer(50, () => fired.push('b'));
  clock.setTimer(10, () => fired.push('a'));
  clock.setTimer(50, () => fired.push('c'));
  const cancelled = clock.setTimer(20, () => fired.push('x'));
  cancelled.cancel();
  assert.deepEqual(fired, []);
  await clock.advance(49);
  assert.deepEqual(fired, ['a']);
  await clock.advance(1);
  assert.deepEqual(fired, ['a', 'b', 'c']);
  assert.equal(clock.now(), 1050);
});

test('promise continuations run at the virtual instant they belong to', async () => {
  const clock = new VirtualClock(0);
  const seen: number[] = [];
  void (async () => {
    await clock.sleep(100);
    seen.push(clock.now());
    await clock.sleep(100);
    seen.push(clock.now());
  })();
  await clock.advance(250);
  assert.deepEqual(seen, [100, 200]);
});

test('a wall-clock jump does not move monotonic time', () => {
  const clock = new VirtualClock(0);
  const before = clock.monotonic();
  clock.jumpWallClock(-3_600_000);
  assert.equal(clock.monotonic(), before);
  assert.equal(clock.now(), -3_600_000);
});

test('the real clock measures time and timers fire', async () => {
  const clock = new RealClock();
  const start = clock.monotonic();
  await clock.sleep(20);
  assert.ok(clock.monotonic() - start >= 15);
});

test('seeded randomness replays from its seed and differs across seeds', () => {
  const sequence = (seed: number): string => {
    const random = new SeededRandom(seed);
    return [random.next(), random.int(100), random.uuid()].join(',');
  };
  assert.equal(sequence(7), sequence(7));
  assert.notEqual(sequence(7), sequence(8));
  assert.match(
    new SeededRandom(1).uuid(),
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
});
