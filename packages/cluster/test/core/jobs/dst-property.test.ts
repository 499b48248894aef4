import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cron } from 'croner';
import fc from 'fast-check';
import { cronExpressionArbitrary, timeZones, yearIn, yearsOf } from './cron-generators.js';
import { nextDueTime, scheduleOf } from './schedule-helpers.js';

/**
 * Invariants of the DST rule on transition days, where croner is not a reference: each due time
 * is strictly later than the last; the wall clock shown at successive due times strictly
 * increases (no wall-clock time runs twice); and each due time shows a matching wall-clock time
 * or is the first instant after a gap.
 */

const hourMs = 3_600_000;

const wallFormatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(timeZone: string, instantMs: number): string {
  let formatter = wallFormatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    wallFormatters.set(timeZone, formatter);
  }
  return formatter.format(new Date(instantMs));
}

function offsetOf(timeZone: string, instantMs: number): string {
  return wallClock(timeZone, instantMs).split(' ').pop() ?? '';
}

/** The 2026 transitions of each zone, found by hourly sampling and bisection to the second. */
function transitionsIn2026(timeZone: string): number[] {
  const found: number[] = [];
  const endMs = Date.parse('2027-01-01T00:00:00Z');
  for (let startMs = Date.parse('2026-01-01T00:00:00Z'); startMs < endMs; startMs += hourMs) {
    if (offsetOf(timeZone, startMs) === offsetOf(timeZone, startMs + hourMs)) continue;
    let low = startMs;
    let high = startMs + hourMs;
    while (high - low > 1000) {
      const middle = low + Math.floor((high - low) / 2000) * 1000;
      if (offsetOf(timeZone, middle) === offsetOf(timeZone, low)) low = middle;
      else high = middle;
    }
    found.push(high);
  }
  return found;
}

const transitions = timeZones.flatMap((timeZone) =>
  transitionsIn2026(timeZone).map((transitionMs) => ({ timeZone, transitionMs })),
);

test('around every 2026 transition: increasing, no wall time twice, each run matches or ends a gap', () => {
  assert.ok(transitions.length >= 16, `found ${transitions.length} transitions`);
  fc.assert(
    fc.property(
      cronExpressionArbitrary,
      fc.constantFrom(...transitions),
      fc.integer({ min: -3 * hourMs, max: 2 * hourMs }),
      (expression, { timeZone, transitionMs }, shiftMs) => {
        const schedule = scheduleOf(expression, timeZone);
        // croner has no year field: it matches the first five, the year is checked apart.
        const parts = expression.split(' ');
        const years = parts.length === 6 ? yearsOf(parts[5] ?? '*') : undefined;
        const matcher = new Cron(parts.slice(0, 5).join(' '), {
          timezone: timeZone,
          domAndDow: true,
        });
        const matches = (instantMs: number) =>
          matcher.match(new Date(instantMs)) &&
          (years === undefined || years.has(yearIn(timeZone, instantMs)));
        let cursorMs = transitionMs + shiftMs;
        let previousWall = '';
        for (let index = 0; index < 30; index++) {
          const dueMs = nextDueTime(schedule, cursorMs);
          if (dueMs === undefined || dueMs > transitionMs + 6 * hourMs) break;
          assert.ok(dueMs > cursorMs);
          const wall = wallClock(timeZone, dueMs).slice(0, 19);
          assert.ok(
            wall > previousWall,
            `${expression} ${timeZone}: ${wall} after ${previousWall}`,
          );
          const endsGap =
            dueMs === transitionMs &&
            offsetOf(timeZone, dueMs - 1000) !== offsetOf(timeZone, dueMs);
          assert.ok(matches(dueMs) || endsGap, `${expression} ${timeZone}: ${wall} does not match`);
          previousWall = wall;
          cursorMs = dueMs;
        }
      },
    ),
    { numRuns: 300, seed: 7 },
  );
});
