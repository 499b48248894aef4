import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cron } from 'croner';
import fc from 'fast-check';
import { cronExpressionArbitrary, timeZoneArbitrary, yearIn, yearsOf } from './cron-generators.js';
import { nextDueTime, scheduleOf } from './schedule-helpers.js';

/**
 * croner (v11) as an independent reference for everything but daylight-saving transitions.
 * Near a transition the two rules differ on purpose (croner fires "interval" jobs on both passes
 * of a repeated hour and skips them in a gap; we fire each wall-clock time once, see
 * schedule.ts), so the comparison stops at the first occurrence within 26 hours of an offset
 * change; dst.test.ts is the reference there.
 */

const occurrencesCompared = 20;
const dayMs = 86_400_000;
const fiveYearsMs = 5 * 365 * dayMs;

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
function offsetName(timeZone: string, instantMs: number): string {
  let formatter = offsetFormatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, formatter);
  }
  return (
    formatter.formatToParts(new Date(instantMs)).find((part) => part.type === 'timeZoneName')
      ?.value ?? ''
  );
}

/** Whether an offset change lies within 26 hours of the instant (a transition day, in any zone). */
function nearTransition(timeZone: string, instantMs: number): boolean {
  const margin = 26 * 3_600_000;
  return offsetName(timeZone, instantMs - margin) !== offsetName(timeZone, instantMs + margin);
}

/**
 * croner has no year field, so a sixth field is applied by filtering its runs, jumping to just
 * before the next listed year (in any zone) when a run falls in a year not listed.
 */
function cronerTimes(options: { expression: string; timeZone: string; fromMs: number }): number[] {
  const parts = options.expression.split(' ');
  const years = parts.length === 6 ? yearsOf(parts[5] ?? '*') : undefined;
  // domAndDow: a day must match both day fields, Metronome's rule (cron-match.ts).
  const cron = new Cron(parts.slice(0, 5).join(' '), {
    timezone: options.timeZone,
    domAndDow: true,
  });
  const times: number[] = [];
  let from = new Date(options.fromMs);
  while (times.length < occurrencesCompared) {
    const next = cron.nextRun(from);
    if (!next) break;
    const year = yearIn(options.timeZone, next.getTime());
    if (years === undefined || years.has(year)) {
      times.push(next.getTime());
      from = next;
      continue;
    }
    const nextYear = [...years].sort((a, b) => a - b).find((y) => y > year);
    if (nextYear === undefined) break;
    const jumpMs = Date.UTC(nextYear, 0, 1) - 15 * 3_600_000;
    from = new Date(Math.max(jumpMs, next.getTime()));
  }
  return times;
}

function ourTimes(options: { expression: string; timeZone: string; fromMs: number }): number[] {
  const schedule = scheduleOf(options.expression, options.timeZone);
  const times: number[] = [];
  let cursorMs = options.fromMs;
  while (times.length < occurrencesCompared) {
    const nextMs = nextDueTime(schedule, cursorMs);
    if (nextMs === undefined) break;
    times.push(nextMs);
    cursorMs = nextMs;
  }
  return times;
}

test('next occurrences agree with croner away from DST transitions', () => {
  let compared = 0;
  fc.assert(
    fc.property(
      cronExpressionArbitrary,
      timeZoneArbitrary,
      fc.integer({
        min: Date.parse('2000-01-01T00:00:00Z'),
        max: Date.parse('2035-01-01T00:00:00Z'),
      }),
      (expression, timeZone, fromMs) => {
        const ours = ourTimes({ expression, timeZone, fromMs });
        const theirs = cronerTimes({ expression, timeZone, fromMs });
        let previousMs = fromMs;
        for (let index = 0; index < occurrencesCompared; index++) {
          const ourMs = ours[index];
          const theirMs = theirs[index];
          if (ourMs === undefined && theirMs === undefined) break;
          if (
            (ourMs !== undefined && nearTransition(timeZone, ourMs)) ||
            (theirMs !== undefined && nearTransition(timeZone, theirMs))
          ) {
            break;
          }
          if (ourMs === undefined) {
            // We give up after a ~5-year horizon; croner searches further.
            assert.ok(
              (theirMs ?? 0) - previousMs > fiveYearsMs,
              `${expression} ${timeZone}: we stopped early`,
            );
            break;
          }
          assert.equal(
            ourMs,
            theirMs,
            `${expression} in ${timeZone} from ${new Date(fromMs).toISOString()}, occurrence ${index}: ` +
              `ours ${new Date(ourMs).toISOString()}, croner ${theirMs === undefined ? 'none' : new Date(theirMs).toISOString()}`,
          );
          previousMs = ourMs;
          compared += 1;
        }
      },
    ),
    { numRuns: 300, seed: 20_260_101 },
  );
  // Guards against a vacuous pass: most of the 300 × 20 occurrences are away from transitions.
  assert.ok(compared > 3000, `only ${compared} occurrences compared`);
});

test('fixed-time jobs agree with croner even across a transition (both run a skipped time after the gap)', () => {
  const fromMs = Date.parse('2026-03-01T00:00:00Z');
  for (const expression of ['0 12 * * *', '30 2 * * *', '30 2 * * * 2026,2027']) {
    const ours = ourTimes({ expression, timeZone: 'Europe/Berlin', fromMs });
    const theirs = cronerTimes({ expression, timeZone: 'Europe/Berlin', fromMs });
    assert.deepEqual(ours, theirs, expression);
  }
});
