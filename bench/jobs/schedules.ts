// Schedule computations: how long the scheduler's cron arithmetic takes, side by side with
// croner (a widely used cron library, and the reference of the schedule property tests) on the
// same expressions and time zones. Each schedule is asked for its next due time every 6
// simulated hours of a year, as a scheduler waking up would ask, and then for every due time
// of the year (up to 500), one after the other.
//
//   node bench/dist/jobs/schedules.js [--schedules 1000] [--seed 42] [--rounds 3]
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SeededRandom } from '@exosphere/common';
import {
  nextDueTime,
  parseSchedule,
  randomCron,
  simulationTimeZones,
  type ParsedSchedule,
} from '@exosphere/cluster';
import { Cron } from 'croner';

const YEAR_START_MS = Date.parse('2026-01-01T00:00:00Z');
const YEAR_END_MS = Date.parse('2027-01-01T00:00:00Z');
const STEP_MS = 6 * 3_600_000;
const DUE_TIMES_MAX = 500;

export interface ScheduleBenchResult {
  readonly schedules: number;
  /** Next-time computations each side made (the same count for both). */
  readonly computations: number;
  /** Best of the rounds, µs per computation. */
  readonly exosphereUs: number;
  readonly cronerUs: number;
  /** Schedules on which the two sides gave a different time at least once (0 expected). */
  readonly disagreements: readonly string[];
}

interface Spec {
  readonly expression: string;
  readonly timeZone: string;
}

function specs(count: number, seed: number): Spec[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => ({
    expression: randomCron(random),
    timeZone: simulationTimeZones[random.int(simulationTimeZones.length)] ?? 'UTC',
  }));
}

/** Every next time one side gives over the year, a list per schedule (for the comparison). */
function runSide(
  next: (index: number, afterMs: number) => number | undefined,
  count: number,
): number[][] {
  const all: number[][] = [];
  for (let index = 0; index < count; index++) {
    const times: number[] = [];
    all.push(times);
    for (let nowMs = YEAR_START_MS; nowMs < YEAR_END_MS; nowMs += STEP_MS)
      times.push(next(index, nowMs) ?? -1);
    let cursorMs = YEAR_START_MS;
    for (let found = 0; found < DUE_TIMES_MAX; found++) {
      const dueMs = next(index, cursorMs);
      if (dueMs === undefined || dueMs > YEAR_END_MS) break;
      times.push(dueMs);
      cursorMs = dueMs;
    }
  }
  return all;
}

export function runScheduleBench(options: {
  schedules: number;
  seed: number;
  rounds: number;
}): ScheduleBenchResult {
  const list = specs(options.schedules, options.seed);
  const ours: ParsedSchedule[] = list.map(({ expression, timeZone }) => {
    const parsed = parseSchedule({ cron: expression, timezone: timeZone });
    if (!parsed.ok) throw new Error(`${expression}: ${parsed.errors.join('; ')}`);
    return parsed.schedule;
  });
  // domAndDow: a day must match both day fields, Metronome's rule, which the scheduler follows.
  const theirs = list.map(
    ({ expression, timeZone }) => new Cron(expression, { timezone: timeZone, domAndDow: true }),
  );
  const exosphere = (index: number, afterMs: number): number | undefined =>
    nextDueTime(ours[index] as ParsedSchedule, afterMs);
  const croner = (index: number, afterMs: number): number | undefined =>
    (theirs[index] as Cron).nextRun(new Date(afterMs))?.getTime();
  let exosphereMs = Infinity;
  let cronerMs = Infinity;
  let ourTimes: number[][] = [];
  let theirTimes: number[][] = [];
  for (let round = 0; round < options.rounds; round++) {
    let started = performance.now();
    ourTimes = runSide(exosphere, list.length);
    exosphereMs = Math.min(exosphereMs, performance.now() - started);
    started = performance.now();
    theirTimes = runSide(croner, list.length);
    cronerMs = Math.min(cronerMs, performance.now() - started);
  }
  const disagreements: string[] = [];
  list.forEach(({ expression, timeZone }, index) => {
    const mine = ourTimes[index] ?? [];
    const other = theirTimes[index] ?? [];
    const at = mine.findIndex((time, position) => time !== other[position]);
    if (at >= 0 || mine.length !== other.length) {
      const where = at >= 0 ? at : Math.min(mine.length, other.length);
      const shown = (time: number | undefined): string =>
        time === undefined || time < 0 ? 'none' : new Date(time).toISOString();
      disagreements.push(
        `'${expression}' ${timeZone}: ${shown(mine[where])} against croner ${shown(other[where])}`,
      );
    }
  });
  const computations = ourTimes.reduce((sum, times) => sum + times.length, 0);
  return {
    schedules: list.length,
    computations,
    exosphereUs: (exosphereMs * 1000) / computations,
    cronerUs: (cronerMs * 1000) / computations,
    disagreements,
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      schedules: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '42' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const result = runScheduleBench({
    schedules: Number(values.schedules),
    seed: Number(values.seed),
    rounds: Number(values.rounds),
  });
  console.log(
    [
      `${result.schedules} schedules, ${result.computations.toLocaleString('en-US')} next-time computations per side (best of ${values.rounds} rounds)`,
      `exosphere: ${result.exosphereUs.toFixed(2)} µs each`,
      `croner:    ${result.cronerUs.toFixed(2)} µs each (${(result.exosphereUs / result.cronerUs).toFixed(2)}× exosphere/croner)`,
      `schedules on which they disagree: ${result.disagreements.length}`,
      ...result.disagreements.slice(0, 10).map((line) => `  ${line}`),
    ].join('\n'),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
