import { performance } from 'node:perf_hooks';
import { SeededRandom, type Random } from '@exosphere/common';
import { randomCron, simulationTimeZones } from './jobs-cron.js';
import { describeInstant, expectedDueTimes, type ReferenceCron } from './jobs-oracle.js';
import { JobsSimulation } from './jobs-world.js';
import { deriveSeed } from './trace.js';

const secondMs = 1000;
const minuteMs = 60 * secondMs;
const dayMs = 24 * 60 * minuteMs;

export interface JobsYearOptions {
  readonly seed: number;
  readonly jobs: number;
  readonly days: number;
  readonly reference: ReferenceCron;
  readonly agents?: number;
  /** Faults over the whole span; the defaults scale with `days` (per year: 24, 36, 4 and 4). */
  readonly masterRestarts?: number;
  readonly agentKills?: number;
  readonly forwardJumps?: number;
  readonly backwardJumps?: number;
  /** Progress lines (e.g. console.log); silent by default. */
  readonly log?: (line: string) => void;
}

export interface JobsYearReport {
  readonly seed: number;
  readonly jobs: number;
  readonly days: number;
  /** Due times reached during the run (each must have started once or been recorded missed). */
  readonly dueTimes: number;
  readonly started: number;
  readonly missed: number;
  /** Due times that had to be missed (master down or clock jumped past their deadline). */
  readonly expectedMissed: number;
  /** Due times at the deadline's edge (±1 s), where either outcome is right but not both. */
  readonly edgeCases: number;
  /** Due times inside DST transition windows, compared under the product's rule. */
  readonly dstRuleDueTimes: number;
  readonly faults: Readonly<Record<string, number>>;
  readonly skips: number;
  readonly realMs: number;
  /** Every discrepancy, each naming the seed; empty when exactly-once held. */
  readonly failures: readonly string[];
}

interface ScheduleUnderTest {
  readonly jobId: string;
  readonly cron: string;
  readonly timezone: string;
  readonly deadlineMs: number;
  readonly dueTimes: number[];
  readonly ruleDueTimes: Set<number>;
}

type FaultKind = 'masterRestart' | 'agentKill' | 'agentRestart' | 'forwardJump' | 'backwardJump';

interface FaultEvent {
  readonly at: number;
  readonly kind: FaultKind;
  readonly agent?: number;
}

/** A classification's tolerance: rounds run every 250 ms, so the deciding round is known to ±1 s. */
const edgeMs = secondMs;

/**
 * Jobs with random cron schedules in random time zones run for `days` simulated days under
 * master kill -9 restarts, agent kills and wall-clock steps, and every due time must end up
 * started exactly once or, if nothing could start it within startingDeadlineSeconds, recorded
 * missed exactly once. The expected due times come from the reference (croner in the tests),
 * see jobs-oracle.ts for what is compared where DST changes. Whether a due time had to be missed
 * is decided from the wall time of the first round of a live master that could see it: it must
 * start when it was at most startingDeadlineSeconds old then, and be missed otherwise (within
 * ±1 s of that edge either is accepted, never both).
 */
export async function runJobsYear(options: JobsYearOptions): Promise<JobsYearReport> {
  const startedReal = performance.now();
  const log = options.log ?? (() => {});
  const random = new SeededRandom(deriveSeed(options.seed, 'jobs-year'));
  const agents = options.agents ?? 4;
  const simulation = await JobsSimulation.create({
    seed: options.seed,
    agents,
    agentResources: {
      cpus: 256,
      mem: 1_048_576,
      disk: 1_000_000,
      ports: [{ begin: 31000, end: 31010 }],
    },
  });
  const world = simulation.world;
  // The clock starts at 2026-01-01T00:00Z; jobs are created half a minute later so that no
  // schedule is due at the creation instant itself.
  await simulation.advance(30 * secondMs);
  const createdAt = world.now;
  const endMs = createdAt + options.days * dayMs;
  const horizonMs = endMs + dayMs;

  const schedules: ScheduleUnderTest[] = [];
  for (let index = 0; index < options.jobs; index++) {
    const jobId = `year.job-${index}`;
    const cron = randomCron(random);
    const timezone = simulationTimeZones[random.int(simulationTimeZones.length)]!;
    const deadlineSeconds = [60, 300, 900, 3600, 86_400][random.int(5)]!;
    const expected = expectedDueTimes({
      reference: options.reference,
      cron,
      timezone,
      fromMs: createdAt,
      toMs: horizonMs,
    });
    schedules.push({
      jobId,
      cron,
      timezone,
      deadlineMs: deadlineSeconds * secondMs,
      dueTimes: expected.dueTimes,
      ruleDueTimes: expected.ruleDueTimes,
    });
    await simulation.createJob(
      {
        id: jobId,
        run: {
          cmd: 'true',
          cpus: 0.01,
          mem: 1,
          restart: { policy: random.int(2) === 0 ? 'NEVER' : 'ON_FAILURE' },
        },
        schedules: [
          {
            id: 'default',
            cron,
            timezone,
            startingDeadlineSeconds: deadlineSeconds,
            concurrencyPolicy: 'ALLOW',
          },
        ],
      },
      { kind: 'exit', afterMs: 100 + random.int(2000) },
    );
  }
  const byJob = new Map(schedules.map((s) => [s.jobId, s]));
  log(
    `seed ${options.seed}: ${options.jobs} jobs, ${schedules.reduce((n, s) => n + s.dueTimes.length, 0)} reference due times, oracle ready after ${Math.round(performance.now() - startedReal)} ms`,
  );

  // Every expected due time in one sorted list; a pointer walks it as master rounds reach them.
  const allDue: { dueAt: number; schedule: ScheduleUnderTest }[] = [];
  for (const schedule of schedules)
    for (const dueAt of schedule.dueTimes) allDue.push({ dueAt, schedule });
  allDue.sort((a, b) => a.dueAt - b.dueAt);
  /** Per schedule and due time: the wall time of the first live-master round that could see it. */
  const decidedAt = new Map<string, Map<number, number>>();
  let pointer = 0;
  simulation.onRound((_master, wallMs) => {
    while (pointer < allDue.length && allDue[pointer]!.dueAt <= wallMs) {
      const { dueAt, schedule } = allDue[pointer]!;
      let map = decidedAt.get(schedule.jobId);
      if (!map) decidedAt.set(schedule.jobId, (map = new Map<number, number>()));
      map.set(dueAt, wallMs);
      pointer++;
    }
  });

  const faults = drawFaults({ random, options, createdAt, endMs, agents });
  const faultCounts: Record<string, number> = {};
  const downAgents = new Set<number>();
  let highestWallMs = world.now;
  let skips = 0;
  let lastLogDay = 0;
  while (world.now < endMs) {
    while (faults.length > 0 && faults[0]!.at <= world.now) {
      const fault = faults.shift()!;
      faultCounts[fault.kind] = (faultCounts[fault.kind] ?? 0) + 1;
      await applyFault({ simulation, fault, random, faults, downAgents, agents });
    }
    if (world.now >= highestWallMs && simulation.master && simulation.activeRunCount() === 0) {
      const nextDue = allDue[firstAfter(allDue, world.now)]?.dueAt ?? Infinity;
      const target =
        Math.min(
          nextDue,
          simulation.earliestCursorMs() ?? Infinity,
          faults[0]?.at ?? Infinity,
          endMs,
        ) - secondMs;
      if (target > world.now + 2 * secondMs) {
        await simulation.skipQuietStretch(target);
        skips++;
        highestWallMs = Math.max(highestWallMs, world.now);
        continue;
      }
    }
    await simulation.advance(500);
    highestWallMs = Math.max(highestWallMs, world.now);
    const day = Math.floor((world.now - createdAt) / dayMs);
    if (day >= lastLogDay + 30) {
      lastLogDay = day;
      log(
        `  day ${day}: ${simulation.runs.size} runs, ${simulation.missed.length} missed, ${Math.round((performance.now() - startedReal) / 1000)} s real`,
      );
    }
  }
  // Let the last runs finish and bring every process back, then read the final state.
  for (const index of downAgents) await world.restartAgentProcess(index);
  if (!world.master) await simulation.restartMaster(0);
  await simulation.advanceUntil(() => simulation.activeRunCount() === 0, {
    timeoutMs: 30 * minuteMs,
    stepMs: 500,
  });
  simulation.observeNow();

  const failures: string[] = [];
  const fail = (message: string): void => {
    if (failures.length < 50) failures.push(`seed ${options.seed}: ${message}`);
  };
  let dueTimes = 0;
  let started = 0;
  let missed = 0;
  let expectedMissed = 0;
  let edgeCases = 0;
  let dstRuleDueTimes = 0;
  const runsByKey = new Map<string, string[]>();
  for (const run of simulation.runs.values()) {
    if (run.dueAt === undefined) {
      fail(`job ${run.jobId}: run ${run.id} has trigger ${run.triggerKind}, not a schedule`);
      continue;
    }
    const key = `${run.jobId} ${run.dueAt}`;
    runsByKey.set(key, [...(runsByKey.get(key) ?? []), run.id]);
    const schedule = byJob.get(run.jobId)!;
    if (run.createdAt < run.dueAt)
      fail(
        `job ${run.jobId}: run ${run.id} was created at ${new Date(run.createdAt).toISOString()}, before its due time ${describeInstant(schedule.timezone, run.dueAt)}`,
      );
  }
  const missedByKey = new Map<string, number>();
  for (const entry of simulation.missed) {
    const key = `${entry.jobId} ${entry.dueAt}`;
    missedByKey.set(key, (missedByKey.get(key) ?? 0) + 1);
  }
  if (simulation.unlistedMissed > 0)
    fail(`${simulation.unlistedMissed} missed due times were counted but not listed when observed`);
  const explained = new Set<string>();
  for (const schedule of schedules) {
    const decided = decidedAt.get(schedule.jobId) ?? new Map<number, number>();
    const what = `job ${schedule.jobId} ('${schedule.cron}' in ${schedule.timezone}, startingDeadlineSeconds ${schedule.deadlineMs / 1000})`;
    for (const [dueAt, wallMs] of decided) {
      dueTimes++;
      if (schedule.ruleDueTimes.has(dueAt)) dstRuleDueTimes++;
      const key = `${schedule.jobId} ${dueAt}`;
      explained.add(key);
      const runIds = runsByKey.get(key) ?? [];
      const missedCount = missedByKey.get(key) ?? 0;
      started += runIds.length;
      missed += missedCount;
      const lateMs = wallMs - dueAt;
      const due = `${describeInstant(schedule.timezone, dueAt)}${schedule.ruleDueTimes.has(dueAt) ? ' [DST rule]' : ''}, first seen by the master ${lateMs} ms late`;
      if (lateMs <= schedule.deadlineMs - edgeMs) {
        if (runIds.length !== 1 || missedCount !== 0)
          fail(
            `${what}: due ${due}: expected exactly one run, found ${runIds.length} run(s) [${runIds.join(', ')}] and ${missedCount} missed record(s)`,
          );
      } else if (lateMs > schedule.deadlineMs + edgeMs) {
        expectedMissed++;
        if (runIds.length !== 0 || missedCount !== 1)
          fail(
            `${what}: due ${due}: past its deadline, expected one missed record, found ${runIds.length} run(s) [${runIds.join(', ')}] and ${missedCount} missed record(s)`,
          );
      } else {
        edgeCases++;
        if (runIds.length + missedCount !== 1)
          fail(
            `${what}: due ${due}: at the deadline's edge, expected one run or one missed record, found ${runIds.length} run(s) and ${missedCount} missed record(s)`,
          );
      }
    }
  }
  for (const key of new Set([...runsByKey.keys(), ...missedByKey.keys()])) {
    if (explained.has(key)) continue;
    const [jobId, dueText] = key.split(' ') as [string, string];
    const schedule = byJob.get(jobId)!;
    fail(
      `job ${jobId} ('${schedule.cron}' in ${schedule.timezone}): ${(runsByKey.get(key) ?? []).length} run(s) and ${missedByKey.get(key) ?? 0} missed record(s) for ${describeInstant(schedule.timezone, Number(dueText))}, which is not a due time by the reference (or was never reached)`,
    );
  }
  // The master's own counters must agree with what was observed (the observation saw every run).
  const master = world.requireMaster();
  for (const schedule of schedules) {
    const history = master.state.jobs.histories.get(schedule.jobId);
    const finished = (history?.successCount ?? 0) + (history?.failureCount ?? 0);
    const active = master.state.jobs.activeRunsOf(schedule.jobId).length;
    const observed = simulation.runsOf(schedule.jobId).length;
    if (finished + active !== observed)
      fail(
        `job ${schedule.jobId}: the master counts ${finished} finished + ${active} active runs, ${observed} were observed`,
      );
    const observedMissed = simulation.missedOf(schedule.jobId).length;
    if ((history?.missedCount ?? 0) !== observedMissed)
      fail(
        `job ${schedule.jobId}: the master counts ${history?.missedCount ?? 0} missed, ${observedMissed} were observed`,
      );
  }
  if (simulation.historyOnlyRuns > 0)
    fail(
      `${simulation.historyOnlyRuns} runs were only found in history (the observation has holes)`,
    );
  return {
    seed: options.seed,
    jobs: options.jobs,
    days: options.days,
    dueTimes,
    started,
    missed,
    expectedMissed,
    edgeCases,
    dstRuleDueTimes,
    faults: faultCounts,
    skips,
    realMs: Math.round(performance.now() - startedReal),
    failures,
  };
}

/** Index of the first entry with dueAt > `afterMs`. */
function firstAfter(list: readonly { dueAt: number }[], afterMs: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]!.dueAt <= afterMs) low = middle + 1;
    else high = middle;
  }
  return low;
}

function drawFaults(input: {
  random: Random;
  options: JobsYearOptions;
  createdAt: number;
  endMs: number;
  agents: number;
}): FaultEvent[] {
  const { random, options, createdAt, endMs, agents } = input;
  const perYear = (count: number): number => Math.max(1, Math.round((count * options.days) / 365));
  const spanMs = endMs - createdAt - dayMs;
  const at = (): number => createdAt + minuteMs + random.int(Math.max(1, spanMs));
  const faults: FaultEvent[] = [];
  for (let i = 0; i < (options.masterRestarts ?? perYear(24)); i++)
    faults.push({ at: at(), kind: 'masterRestart' });
  for (let i = 0; i < (options.agentKills ?? perYear(36)); i++)
    faults.push({ at: at(), kind: 'agentKill', agent: random.int(agents) });
  for (let i = 0; i < (options.forwardJumps ?? perYear(4)); i++)
    faults.push({ at: at(), kind: 'forwardJump' });
  for (let i = 0; i < (options.backwardJumps ?? perYear(4)); i++)
    faults.push({ at: at(), kind: 'backwardJump' });
  return faults.sort((a, b) => a.at - b.at);
}

async function applyFault(input: {
  simulation: JobsSimulation;
  fault: FaultEvent;
  random: Random;
  faults: FaultEvent[];
  downAgents: Set<number>;
  agents: number;
}): Promise<void> {
  const { simulation, fault, random, faults, downAgents, agents } = input;
  const world = simulation.world;
  const insert = (event: FaultEvent): void => {
    faults.push(event);
    faults.sort((a, b) => a.at - b.at);
  };
  switch (fault.kind) {
    case 'masterRestart':
      // Down from nothing to three minutes: longer than the shortest startingDeadlineSeconds.
      await simulation.restartMaster(random.int(3 * minuteMs));
      return;
    case 'agentKill': {
      const index = fault.agent ?? 0;
      if (downAgents.has(index) || downAgents.size >= agents - 1) return;
      world.killAgentProcess(index);
      downAgents.add(index);
      insert({
        at: world.now + secondMs + random.int(60 * secondMs),
        kind: 'agentRestart',
        agent: index,
      });
      return;
    }
    case 'agentRestart': {
      const index = fault.agent ?? 0;
      downAgents.delete(index);
      await world.restartAgentProcess(index);
      return;
    }
    case 'forwardJump':
      simulation.jumpWallClock(minuteMs + random.int(14 * minuteMs));
      return;
    case 'backwardJump':
      simulation.jumpWallClock(-(minuteMs + random.int(9 * minuteMs)));
      // Half the time the master also restarts inside the repeated stretch, from its store.
      if (random.int(2) === 0) await simulation.restartMaster(0);
      return;
  }
}
