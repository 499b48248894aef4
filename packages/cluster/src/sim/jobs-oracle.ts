/**
 * The expected due times of cron schedules, computed independently of the product's schedule
 * code (core/jobs/*), for the simulated exactly-once checks (jobs-scenario.ts).
 *
 * What is compared, precisely:
 * - Outside DST transition windows, the expected due instants are the reference implementation's
 *   own (the tests pass croner: `new Cron(expr, { timezone }).nextRun(...)`), compared exactly.
 * - A transition window is every local calendar day of the schedule's zone that a UTC-offset
 *   change touches (the day the clock reads before the change and the day it reads after it;
 *   for America/Santiago and Africa/Cairo, whose changes happen at midnight, that is two days).
 *   There croner follows Vixie cron (wildcard patterns fire on elapsed time through a repeated
 *   hour and skip a gap), which is not the product's documented rule. So inside windows the
 *   expected instants are computed from the reference's calendar-only matches (croner in UTC over
 *   naive wall-clock times) mapped to instants by the product's rule, implemented again here on
 *   Intl alone: a wall time runs once, at the first instant the zone's clock reads it or later.
 *   A skipped wall time thus maps to the first instant after the gap (several collapse into one
 *   run) and a repeated one to its first occurrence (the second pass starts nothing). Comparing
 *   the observed runs with that set as sets, one run per instant, checks both "each
 *   wall-clock-matching time ran at most once" and "the count matches the rule".
 */

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

/** A cron implementation used as the reference (croner in the tests). */
export interface ReferenceCron {
  /** Due instants in (fromMs, toMs] of `cron` in `timezone`, by the reference's own DST handling. */
  dueTimes(input: { cron: string; timezone: string; fromMs: number; toMs: number }): number[];
  /** Wall-clock times, as naive UTC milliseconds, in (fromWallMs, toWallMs] that match `cron` on the calendar alone. */
  wallTimes(input: { cron: string; fromWallMs: number; toWallMs: number }): number[];
}

export interface OffsetTransition {
  /** The first instant with the new offset (whole second). */
  readonly atMs: number;
  readonly offsetBeforeMs: number;
  readonly offsetAfterMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** What the zone's wall clock reads at an instant, as naive UTC milliseconds (whole seconds). */
export function intlWallMs(timeZone: string, instantMs: number): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    (parts.hour ?? 0) % 24,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

function offsetMs(timeZone: string, instantMs: number): number {
  const wholeSecondMs = Math.floor(instantMs / 1000) * 1000;
  return intlWallMs(timeZone, wholeSecondMs) - wholeSecondMs;
}

/** Offset changes of the zone in [fromMs, toMs), found by probing every hour and bisecting. */
export function offsetTransitions(
  timeZone: string,
  fromMs: number,
  toMs: number,
): OffsetTransition[] {
  const transitions: OffsetTransition[] = [];
  let previousMs = Math.floor(fromMs / hourMs) * hourMs;
  let previousOffset = offsetMs(timeZone, previousMs);
  for (let probeMs = previousMs + hourMs; probeMs <= toMs + hourMs; probeMs += hourMs) {
    const offset = offsetMs(timeZone, probeMs);
    if (offset !== previousOffset) {
      let low = previousMs;
      let high = probeMs;
      while (high - low > 1000) {
        const middle = low + Math.floor((high - low) / 2000) * 1000;
        if (offsetMs(timeZone, middle) === previousOffset) low = middle;
        else high = middle;
      }
      if (high >= fromMs && high < toMs)
        transitions.push({ atMs: high, offsetBeforeMs: previousOffset, offsetAfterMs: offset });
    }
    previousMs = probeMs;
    previousOffset = offset;
  }
  return transitions;
}

/**
 * The product's DST rule, implemented on Intl alone: the first instant at which the zone's wall
 * clock reads `wallMs` or later.
 */
export function ruleInstant(
  timeZone: string,
  wallMs: number,
  transitions: readonly OffsetTransition[],
): number {
  const candidates = new Set([
    offsetMs(timeZone, wallMs - 2 * dayMs),
    offsetMs(timeZone, wallMs + 2 * dayMs),
  ]);
  let best: number | undefined;
  for (const offset of candidates) {
    const instantMs = wallMs - offset;
    if (intlWallMs(timeZone, instantMs) === wallMs && (best === undefined || instantMs < best))
      best = instantMs;
  }
  if (best !== undefined) return best;
  // No instant reads wallMs: it lies in a spring-forward gap, so the answer is the gap's end.
  const gap = transitions.find(
    (t) => wallMs >= t.atMs + t.offsetBeforeMs && wallMs < t.atMs + t.offsetAfterMs,
  );
  if (!gap)
    throw new Error(
      `oracle: no instant reads ${new Date(wallMs).toISOString()} in ${timeZone}, and no gap explains it`,
    );
  return gap.atMs;
}

/** Local calendar days (as naive UTC ms of their midnights, [start, end)) touched by an offset change. */
export function transitionWindows(
  transitions: readonly OffsetTransition[],
): { startWallMs: number; endWallMs: number }[] {
  return transitions.map((t) => {
    const wallBefore = t.atMs - 1000 + t.offsetBeforeMs;
    const wallAfter = t.atMs + t.offsetAfterMs;
    const startWallMs = Math.floor(Math.min(wallBefore, wallAfter) / dayMs) * dayMs;
    const endWallMs = (Math.floor(Math.max(wallBefore, wallAfter) / dayMs) + 1) * dayMs;
    return { startWallMs, endWallMs };
  });
}

export interface ExpectedDueTimes {
  /** Sorted, distinct due instants in (fromMs, toMs]. */
  readonly dueTimes: number[];
  /** Those computed by the DST rule inside transition windows (the rest are the reference's). */
  readonly ruleDueTimes: Set<number>;
}

/** Caches per zone: transitions and windows over the span asked first. */
const zoneCache = new Map<
  string,
  { transitions: OffsetTransition[]; windows: { startWallMs: number; endWallMs: number }[] }
>();

function zoneInfo(timeZone: string, fromMs: number, toMs: number) {
  const key = `${timeZone} ${fromMs} ${toMs}`;
  let info = zoneCache.get(key);
  if (!info) {
    const transitions = offsetTransitions(timeZone, fromMs - 3 * dayMs, toMs + 3 * dayMs);
    info = { transitions, windows: transitionWindows(transitions) };
    zoneCache.set(key, info);
  }
  return info;
}

/** The expected due instants of one schedule in (fromMs, toMs] (see the file comment). */
export function expectedDueTimes(input: {
  reference: ReferenceCron;
  cron: string;
  timezone: string;
  fromMs: number;
  toMs: number;
}): ExpectedDueTimes {
  const { reference, cron, timezone, fromMs, toMs } = input;
  const { transitions, windows } = zoneInfo(timezone, fromMs, toMs);
  const inWindow = (instantMs: number): boolean => {
    const wallMs = intlWallMs(timezone, instantMs);
    return windows.some((w) => wallMs >= w.startWallMs && wallMs < w.endWallMs);
  };
  const result = new Set<number>();
  const ruleDueTimes = new Set<number>();
  for (const dueMs of reference.dueTimes({ cron, timezone, fromMs, toMs })) {
    if (windows.length === 0 || !inWindow(dueMs)) result.add(dueMs);
  }
  for (const window of windows) {
    for (const wallMs of reference.wallTimes({
      cron,
      fromWallMs: window.startWallMs - 1,
      toWallMs: window.endWallMs - 1,
    })) {
      const instantMs = ruleInstant(timezone, wallMs, transitions);
      if (instantMs > fromMs && instantMs <= toMs) {
        result.add(instantMs);
        ruleDueTimes.add(instantMs);
      }
    }
  }
  return { dueTimes: [...result].sort((a, b) => a - b), ruleDueTimes };
}

/** "2026-03-08T07:00:00.000Z (02:00 America/New_York)", for failure messages. */
export function describeInstant(timeZone: string, instantMs: number): string {
  const wall = new Date(intlWallMs(timeZone, instantMs))
    .toISOString()
    .slice(0, 16)
    .replace('T', ' ');
  return `${new Date(instantMs).toISOString()} (${wall} ${timeZone})`;
}
