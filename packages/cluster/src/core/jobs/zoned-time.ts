import { dayMs, daysFromCivil, hourMs, minuteMs, secondMs } from './civil-time.js';

/**
 * Conversions between instants (epoch milliseconds) and wall-clock milliseconds (see
 * civil-time.ts) in an IANA time zone, built on Intl.DateTimeFormat, the only time-zone database
 * a pure core can reach.
 *
 * Intl is slow (a few microseconds a call), so offsets are memoized per zone and per UTC day:
 * the offset at each UTC midnight, and, for a day whose two midnights disagree, the second at
 * which the offset changes (found by bisection). That rests on one assumption about the tz
 * database: an offset changes at most once within a UTC day, on a whole second. Every rule since
 * the 1970s satisfies it (transitions are months apart, at whole minutes). With it, a schedule
 * asks Intl about each zone-day once, however many schedules share the zone.
 */

/** Offsets in the tz database stay within UTC−12 … UTC+14; the margin covers historical zones. */
const offsetMaxMs = 15 * hourMs;
/** Bounds the memo so a long-running process cannot grow it without limit. */
const cachedDaysMax = 200_000;

type ZoneMemo = {
  readonly formatter: Intl.DateTimeFormat | undefined;
  readonly midnightOffsets: Map<number, number>;
  readonly transitions: Map<number, number>;
};

const zoneMemos = new Map<string, ZoneMemo>();

/**
 * The canonical IANA name of `timeZone` (e.g. "america/new_york" → "America/New_York"), or
 * undefined when Intl does not know the zone.
 */
export function canonicalTimeZone(timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function zoneMemo(timeZone: string): ZoneMemo {
  let memo = zoneMemos.get(timeZone);
  if (memo === undefined) {
    const formatter =
      timeZone === 'UTC' || timeZone === 'Etc/UTC'
        ? undefined
        : new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            era: 'short',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          });
    memo = { formatter, midnightOffsets: new Map(), transitions: new Map() };
    zoneMemos.set(timeZone, memo);
  }
  if (memo.midnightOffsets.size > cachedDaysMax) {
    memo.midnightOffsets.clear();
    memo.transitions.clear();
  }
  return memo;
}

/** Asks Intl for the offset (wall clock minus UTC) at a whole-second instant. */
function intlOffsetMs(formatter: Intl.DateTimeFormat, instantMs: number): number {
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let beforeCommonEra = false;
  for (const part of formatter.formatToParts(new Date(instantMs))) {
    const value = Number(part.value);
    if (part.type === 'year') year = value;
    else if (part.type === 'month') month = value;
    else if (part.type === 'day') day = value;
    // Some ICU versions write midnight as hour 24 even with hourCycle h23.
    else if (part.type === 'hour') hour = value % 24;
    else if (part.type === 'minute') minute = value;
    else if (part.type === 'second') second = value;
    else if (part.type === 'era') beforeCommonEra = part.value.startsWith('B');
  }
  // Intl writes year 0 as "1 BC" (there is no year 0 in the era notation).
  const astronomicalYear = beforeCommonEra ? 1 - year : year;
  const wallMs =
    daysFromCivil(astronomicalYear, month, day) * dayMs +
    hour * hourMs +
    minute * minuteMs +
    second * secondMs;
  return wallMs - Math.floor(instantMs / secondMs) * secondMs;
}

function midnightOffsetMs(
  memo: ZoneMemo,
  formatter: Intl.DateTimeFormat,
  dayNumber: number,
): number {
  let offsetMs = memo.midnightOffsets.get(dayNumber);
  if (offsetMs === undefined) {
    offsetMs = intlOffsetMs(formatter, dayNumber * dayMs);
    memo.midnightOffsets.set(dayNumber, offsetMs);
  }
  return offsetMs;
}

/** The first whole second of UTC day `dayNumber` at which the offset no longer equals `offsetBeforeMs`. */
function transitionMs(
  memo: ZoneMemo,
  formatter: Intl.DateTimeFormat,
  dayNumber: number,
  offsetBeforeMs: number,
): number {
  let found = memo.transitions.get(dayNumber);
  if (found === undefined) {
    let low = dayNumber * dayMs;
    let high = low + dayMs;
    while (high - low > secondMs) {
      const middle = low + Math.floor((high - low) / (2 * secondMs)) * secondMs;
      if (intlOffsetMs(formatter, middle) === offsetBeforeMs) low = middle;
      else high = middle;
    }
    found = high;
    memo.transitions.set(dayNumber, found);
  }
  return found;
}

/** A stretch of time with one offset: instants in [startMs, endMs) read wall clock instant + offsetMs. */
type OffsetSegment = { startMs: number; endMs: number; offsetMs: number };

/** The one or two constant-offset segments that make up UTC day `dayNumber`. */
function daySegments(timeZone: string, dayNumber: number): OffsetSegment[] {
  const startMs = dayNumber * dayMs;
  const endMs = startMs + dayMs;
  const memo = zoneMemo(timeZone);
  const formatter = memo.formatter;
  if (formatter === undefined) return [{ startMs, endMs, offsetMs: 0 }];
  const offsetStartMs = midnightOffsetMs(memo, formatter, dayNumber);
  const offsetEndMs = midnightOffsetMs(memo, formatter, dayNumber + 1);
  if (offsetStartMs === offsetEndMs) return [{ startMs, endMs, offsetMs: offsetStartMs }];
  const changeMs = transitionMs(memo, formatter, dayNumber, offsetStartMs);
  return [
    { startMs, endMs: changeMs, offsetMs: offsetStartMs },
    { startMs: changeMs, endMs, offsetMs: offsetEndMs },
  ];
}

/** The zone's offset from UTC at an instant, in milliseconds (e.g. −18 000 000 for EST). */
export function offsetAtMs(timeZone: string, instantMs: number): number {
  const segments = daySegments(timeZone, Math.floor(instantMs / dayMs));
  for (const segment of segments) {
    if (instantMs < segment.endMs) return segment.offsetMs;
  }
  return segments[segments.length - 1]?.offsetMs ?? 0;
}

/** The wall-clock time (as wall-clock milliseconds) that the zone shows at an instant. */
export function wallMsAt(timeZone: string, instantMs: number): number {
  return instantMs + offsetAtMs(timeZone, instantMs);
}

/**
 * The latest wall-clock time the zone has shown up to and including `instantMs`. It differs from
 * wallMsAt only during the second pass through a repeated (fall-back) hour, when the clock reads
 * less than it did just before the transition. A wall time W has already come due by `instantMs`
 * exactly when W ≤ this value, which is how the schedule knows that 01:30 in the repeated hour
 * was already served by its first occurrence.
 */
export function wallMsReachedBy(timeZone: string, instantMs: number): number {
  const dayNumber = Math.floor(instantMs / dayMs);
  let reachedMs = wallMsAt(timeZone, instantMs);
  for (const day of [dayNumber - 1, dayNumber]) {
    for (const segment of daySegments(timeZone, day)) {
      if (segment.startMs > instantMs) continue;
      const lastMs = Math.min(segment.endMs - 1, instantMs);
      reachedMs = Math.max(reachedMs, lastMs + segment.offsetMs);
    }
  }
  return reachedMs;
}

/**
 * The first instant at which the zone's wall clock reads `wallMs` or later. This one definition
 * gives the product's daylight-saving rule (see schedule.ts): a wall time that occurs once maps
 * to that instant; a wall time that occurs twice maps to its first occurrence; a wall time
 * skipped by a spring-forward gap maps to the first instant after the gap.
 */
export function firstInstantAtOrAfterWallMs(timeZone: string, wallMs: number): number {
  const firstDay = Math.floor((wallMs - offsetMaxMs) / dayMs);
  const lastDay = Math.floor((wallMs + offsetMaxMs) / dayMs);
  for (let day = firstDay; day <= lastDay; day++) {
    for (const segment of daySegments(timeZone, day)) {
      const segmentWallStartMs = segment.startMs + segment.offsetMs;
      const segmentWallEndMs = segment.endMs + segment.offsetMs;
      // The clock jumped over wallMs between the previous segment and this one.
      if (wallMs < segmentWallStartMs) return segment.startMs;
      if (wallMs < segmentWallEndMs) return wallMs - segment.offsetMs;
    }
  }
  // Unreachable with offsets inside ±15 h; fall back to the offset at the naive instant.
  return wallMs - offsetAtMs(timeZone, wallMs);
}
