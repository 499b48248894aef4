import type { ScheduleDefinition } from './job-definition.js';
import { dueTimesBetween, nextDueTime, type ParsedSchedule } from './schedule.js';

/**
 * What a schedule asks for at `now`, given its cursor (the first due time not handled yet).
 *
 * Every due time up to `now` is handled exactly once, in order: it starts when `now` is within
 * startingDeadlineSeconds of it, and is recorded as missed otherwise. The cursor only moves
 * forward, and the caller commits it in the same store transaction as the runs it starts, so:
 * - a wall-clock jump backwards never repeats a run (the cursor is already past it);
 * - a jump forward, or a master that was down, starts every due time still within its
 *   deadline (late) and records the older ones as missed;
 * - a crash before the commit re-evaluates the same due times after restart; a crash after
 *   it finds them handled.
 * The concurrency policy is applied by the caller to the `start` list.
 */
export interface ScheduleTickInput {
  readonly schedule: ScheduleDefinition;
  readonly parsed: ParsedSchedule;
  /** The first due time not yet handled (undefined: no more occurrences). */
  readonly cursorMs: number | undefined;
  readonly now: number;
  /** Missed due times listed at most (older ones are only counted). */
  readonly missedMax: number;
  /** Due times started in one tick at most; the rest wait for the next tick. */
  readonly startMax: number;
}

export interface ScheduleTick {
  readonly start: readonly number[];
  readonly missed: readonly number[];
  /** Missed due times beyond `missedMax`, counted but not listed. */
  readonly missedUncounted: number;
  readonly nextCursorMs: number | undefined;
}

/** Counting missed due times stops here: beyond it the count is a lower bound. */
const missedCountMax = 1_000_000;

export function tickSchedule(input: ScheduleTickInput): ScheduleTick {
  const { parsed, now } = input;
  let cursor = input.cursorMs;
  if (cursor === undefined || cursor > now)
    return { start: [], missed: [], missedUncounted: 0, nextCursorMs: cursor };
  const windowStart = now - input.schedule.startingDeadlineSeconds * 1000;
  const missed: number[] = [];
  let missedUncounted = 0;
  if (cursor < windowStart) {
    // Everything in [cursor, windowStart) is past its deadline.
    const listed = [
      cursor,
      ...dueTimesBetween(parsed, cursor, windowStart - 1, input.missedMax),
    ].slice(0, input.missedMax);
    missed.push(...listed);
    const last = listed[listed.length - 1]!;
    missedUncounted = dueTimesBetween(parsed, last, windowStart - 1, missedCountMax).length;
    cursor = nextDueTime(parsed, windowStart - 1);
  }
  const start: number[] = [];
  while (cursor !== undefined && cursor <= now && start.length < input.startMax) {
    start.push(cursor);
    cursor = nextDueTime(parsed, cursor);
  }
  return { start, missed, missedUncounted, nextCursorMs: cursor };
}
