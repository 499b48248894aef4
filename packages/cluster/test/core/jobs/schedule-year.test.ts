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
 * 1,000 random schedules over a simulated year, as a scheduler uses them: each is asked for its
 * next due time every 6 simulated hours, and for every due time of the year (up to 500). How
 * fast that runs is measured in bench/jobs (`schedules.ts`), not here.
 */
test('1,000 random schedules over a simulated year: every next time is later, and due times agree with it', () => {
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
  for (const [index, schedule] of schedules.entries()) {
    const [expression, timeZone] = samples[index]!;
    const due = dueTimesBetween(schedule, yearStartMs, yearEndMs, 500);
    for (let position = 1; position < due.length; position++)
      assert.ok(due[position]! > due[position - 1]!, `${expression} (${timeZone}): in order`);
    assert.ok(due.every((ms) => ms > yearStartMs && ms <= yearEndMs));
    for (let nowMs = yearStartMs; nowMs < yearEndMs; nowMs += 6 * hourMs) {
      const dueMs = nextDueTime(schedule, nowMs);
      assert.ok(dueMs === undefined || dueMs > nowMs, `${expression} (${timeZone}) at ${nowMs}`);
      // The next time after now is the first listed due time after now, while the list lasts.
      const listed = due.find((ms) => ms > nowMs);
      if (listed !== undefined && due.length < 500)
        assert.equal(dueMs, listed, `${expression} (${timeZone}) at ${nowMs}`);
    }
  }
});
