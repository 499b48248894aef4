/**
 * Schedule math for jobs: when a Metronome-style cron schedule or a Chronos-style ISO 8601
 * repeating interval comes due. Pure functions of their arguments; the caller passes the time.
 *
 * Daylight-saving rule (part of the product's contract; tests in test/core/jobs/dst.test.ts):
 * schedules are matched against the wall clock of their time zone, and every distinct wall-clock
 * time that matches runs exactly once, at the first instant the zone's clock reads that time or
 * later. Concretely:
 * - A wall time skipped in spring (02:30 on the day New York jumps 02:00 → 03:00) runs once, at
 *   the first valid instant after the gap (03:00 local). Several skipped times (every 10 minutes
 *   from 02:00 to 02:50) collapse into that one run; the schedule then continues at 03:10.
 * - A wall time repeated in autumn (01:30 when New York falls back 02:00 → 01:00) runs once, at
 *   its first occurrence (01:30 EDT). This holds for every schedule, including those that fire
 *   every hour or more often: `0 * * * *` runs at 01:00 EDT and next at 02:00 EST, two real hours
 *   later, and `*\/15 * * * *` pauses for the repeated hour. Unlike Vixie cron and croner, which
 *   keep "wildcard" jobs firing on elapsed time through the repeated hour, this makes each run
 *   name a distinct wall-clock time, so runs are easy to state, test and deduplicate.
 * - ISO 8601 intervals: calendar periods (P1D, P1W, P1M, P1Y) step the wall clock and map to
 *   instants by the same rule; elapsed periods (PT1H, PT30S) step real time and ignore DST.
 */
import { civilFromWallMs, dayMs, daysFromCivil } from './civil-time.js';
import { firstCronYear, nextCronWallMs } from './cron-match.js';
import { parseCron, type CronFields } from './cron-parse.js';
import { addCalendarPeriods, parseIsoInterval, type IsoInterval } from './iso-interval.js';
import {
  canonicalTimeZone,
  firstInstantAtOrAfterWallMs,
  wallMsAt,
  wallMsReachedBy,
} from './zoned-time.js';

export type ParsedSchedule =
  | {
      readonly kind: 'cron';
      readonly expression: string;
      readonly timezone: string;
      readonly fields: CronFields;
    }
  | {
      readonly kind: 'iso';
      readonly expression: string;
      readonly timezone: string;
      readonly interval: IsoInterval;
    };

/** A cap on one dueTimesBetween answer, whatever limit the caller passes (a per-second schedule over a year is 31 M). */
const dueTimesMax = 100_000;
/** How far ahead a cron search looks before it decides the schedule never fires again. */
const horizonYears = 5;
/** Instants outside years 1-9999 are not scheduled (Intl's range is wider; this leaves margin). */
const earliestSupportedMs = daysFromCivil(1, 1, 1) * dayMs;
const latestSupportedMs = daysFromCivil(10_000, 1, 1) * dayMs;

/** Validates a schedule spec; errors are human sentences naming the bad part (e.g. "minute field '61' is out of range 0-59"). */
export function parseSchedule(spec: {
  cron: string;
  timezone?: string;
}): { ok: true; schedule: ParsedSchedule } | { ok: false; errors: string[] } {
  const cron: unknown = (spec as { cron?: unknown } | undefined)?.cron;
  const requestedZone: unknown = (spec as { timezone?: unknown } | undefined)?.timezone ?? 'UTC';
  const errors: string[] = [];
  let timezone: string | undefined;
  if (typeof requestedZone !== 'string') {
    errors.push('timezone must be a string such as "UTC" or "America/New_York"');
  } else {
    timezone = canonicalTimeZone(requestedZone);
    if (timezone === undefined) {
      errors.push(
        `timezone '${requestedZone}' is not a known IANA time zone name (e.g. "UTC", "Europe/Berlin")`,
      );
    }
  }
  if (typeof cron !== 'string' || cron.trim() === '') {
    errors.push(
      'cron must be a non-empty cron expression (e.g. "0 2 * * *") or ISO 8601 interval (e.g. "R/2026-01-01T00:00:00Z/P1D")',
    );
    return { ok: false, errors };
  }
  const expression = cron.trim();
  if (/^r/i.test(expression)) {
    const parsed = parseIsoInterval(expression);
    if (!parsed.ok) errors.push(...parsed.errors);
    if (!parsed.ok || timezone === undefined) return { ok: false, errors };
    return {
      ok: true,
      schedule: Object.freeze({ kind: 'iso', expression, timezone, interval: parsed.interval }),
    };
  }
  const parsed = parseCron(expression);
  if (!parsed.ok) errors.push(...parsed.errors);
  if (!parsed.ok || timezone === undefined) return { ok: false, errors };
  return {
    ok: true,
    schedule: Object.freeze({ kind: 'cron', expression, timezone, fields: parsed.fields }),
  };
}

/** The first due time strictly after `afterMs` (epoch ms), or undefined when the schedule has no more occurrences (ISO R<n> exhausted) or none within a horizon of ~5 years. */
export function nextDueTime(schedule: ParsedSchedule, afterMs: number): number | undefined {
  if (!Number.isFinite(afterMs) || afterMs < earliestSupportedMs || afterMs > latestSupportedMs)
    return undefined;
  const dueMs =
    schedule.kind === 'cron'
      ? nextCronDueTime({ fields: schedule.fields, timezone: schedule.timezone, afterMs })
      : nextIsoDueTime({ interval: schedule.interval, timezone: schedule.timezone, afterMs });
  return dueMs === undefined || dueMs > latestSupportedMs ? undefined : dueMs;
}

/** Every due time in (fromMs, toMs], at most `limit` of them (for missed-run accounting and tests). */
export function dueTimesBetween(
  schedule: ParsedSchedule,
  fromMs: number,
  toMs: number,
  limit: number,
): number[] {
  const times: number[] = [];
  let cursorMs = fromMs;
  const countMax = Math.min(limit, dueTimesMax);
  while (times.length < countMax) {
    const dueMs = nextDueTime(schedule, cursorMs);
    if (dueMs === undefined || dueMs > toMs) break;
    times.push(dueMs);
    cursorMs = dueMs;
  }
  return times;
}

/**
 * A wall time W is due at the first instant the clock reads W or later, so W is still ahead of
 * `afterMs` exactly when W is later than every wall time the clock has shown by then
 * (wallMsReachedBy). The next due time is therefore the first matching wall time after that.
 */
function nextCronDueTime(options: {
  fields: CronFields;
  timezone: string;
  afterMs: number;
}): number | undefined {
  const reachedWallMs = wallMsReachedBy(options.timezone, options.afterMs);
  // The horizon counts from the first year the year field allows, so a schedule for one year
  // far ahead is still found; years the field leaves out are skipped without a search.
  const reachedYear = civilFromWallMs(reachedWallMs).year;
  const firstYear = firstCronYear(options.fields, reachedYear);
  if (firstYear === undefined) return undefined;
  const yearMax = firstYear + horizonYears;
  const wallMs = nextCronWallMs(options.fields, { afterWallMs: reachedWallMs, yearMax });
  if (wallMs === undefined) return undefined;
  return firstInstantAtOrAfterWallMs(options.timezone, wallMs);
}

/**
 * The instant of occurrence `index` (0-based), or undefined past the last repetition. The
 * sequence never decreases, which lets nextIsoDueTime search it by bisection.
 */
function isoOccurrenceMs(options: {
  interval: IsoInterval;
  timezone: string;
  index: number;
}): number | undefined {
  const { interval, timezone, index } = options;
  if (interval.repetitions !== 'unbounded' && index >= interval.repetitions) return undefined;
  const { start, period } = interval;
  const startMs =
    start.kind === 'instant' ? start.epochMs : firstInstantAtOrAfterWallMs(timezone, start.wallMs);
  if (index === 0) return startMs;
  const elapsedMs = period.elapsedMs * index;
  if (period.years === 0 && period.months === 0 && period.days === 0) return startMs + elapsedMs;
  const startWallMs = start.kind === 'instant' ? wallMsAt(timezone, start.epochMs) : start.wallMs;
  const wallMs = addCalendarPeriods(startWallMs, { period, count: index });
  if (wallMs > latestSupportedMs) return undefined;
  return firstInstantAtOrAfterWallMs(timezone, wallMs) + elapsedMs;
}

function nextIsoDueTime(options: {
  interval: IsoInterval;
  timezone: string;
  afterMs: number;
}): number | undefined {
  const { interval, timezone, afterMs } = options;
  const occurrence = (index: number): number | undefined =>
    isoOccurrenceMs({ interval, timezone, index });
  // Past the last repetition counts as "after", so the search treats undefined as +∞.
  const isAfter = (index: number): boolean => {
    const occurrenceMs = occurrence(index);
    return occurrenceMs === undefined || occurrenceMs > afterMs;
  };
  const firstMs = occurrence(0);
  if (firstMs === undefined || firstMs > afterMs) return firstMs;
  const { period } = interval;
  const approximatePeriodMs =
    (period.years * 365.2425 + period.months * 30.436875 + period.days) * dayMs + period.elapsedMs;
  // Start from the estimate and gallop outwards to bracket the answer: isAfter(low) is false,
  // isAfter(high) is true. Then bisect.
  let low = 0;
  let high = Math.max(1, Math.floor((afterMs - firstMs) / approximatePeriodMs));
  if (isAfter(high)) {
    for (let step = 1; high - step > 0; step *= 2) {
      if (!isAfter(high - step)) {
        low = high - step;
        break;
      }
      high -= step;
    }
  } else {
    low = high;
    for (let step = 1; ; step *= 2) {
      if (isAfter(low + step)) {
        high = low + step;
        break;
      }
      low += step;
    }
  }
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (isAfter(middle)) high = middle;
    else low = middle;
  }
  return occurrence(high);
}
