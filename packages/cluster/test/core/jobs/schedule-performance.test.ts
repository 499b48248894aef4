import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cronExpressionArbitrary, timeZoneArbitrary } from './cron-generators.js';
import {
  dueTimesBetween,
  nextDueTime,
  type ParsedSchedule,
  scheduleOf,
} from './schedule-helpers.js';

/**
 * A loose bound that fails only when something is pathologically slow (say, stepping minute by
 * minute, or asking Intl for every candidate): 1,000 random schedules, each asked for its next
 * time at every simulated hour of a year, plus every due time of the year up to 500 per schedule.
 */
test('1,000 random schedules over a simulated year finish within 15 s', () => {
  const samples = fc.sample(fc.tuple(cronExpressionArbitrary, timeZoneArbitrary), {
    numRuns: 1000,
    seed: 42,
  });
  const schedules: ParsedSchedule[] = samples.map(([expression, timeZone]) =>
    scheduleOf(expression, timeZone),
  );
  const yearStartMs = Date.parse('2026-01-01T00:00:00Z');
  const yearEndMs = Date.parse('2027-01-01T00:00:00Z');
  const hourMs = 3_600_000;
  const startedMs = performance.now();
  let calls = 0;
  for (const schedule of schedules) {
    // A scheduler that wakes every simulated 6 hours and asks when the job is next due.
    for (let nowMs = yearStartMs; nowMs < yearEndMs; nowMs += 6 * hourMs) {
      const dueMs = nextDueTime(schedule, nowMs);
      assert.ok(dueMs === undefined || dueMs > nowMs);
      calls += 1;
    }
    calls += dueTimesBetween(schedule, yearStartMs, yearEndMs, 500).length;
  }
  const elapsedMs = performance.now() - startedMs;
  console.log(
    `# ${calls} schedule computations in ${Math.round(elapsedMs)} ms (${((elapsedMs * 1000) / calls).toFixed(1)} µs each)`,
  );
  assert.ok(elapsedMs < 15_000, `took ${Math.round(elapsedMs)} ms`);
});
