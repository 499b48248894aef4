// Job scheduler benchmark: (a) N jobs due in the same minute on simulated agents, (b) the cost
// of a scheduling round and the heap with many schedules defined. The real Master and Agent code
// run in the deterministic simulation. See README.md for how to run it and the latest figures.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { JobsSimulation, simulationTimeZones } from '@exosphere/cluster';

export interface BurstBenchOptions {
  readonly jobs: number;
  readonly agents: number;
  readonly seed?: number;
}

export interface BurstBenchResult {
  readonly jobs: number;
  readonly agents: number;
  /** Runs with a RUNNING task at the end (must equal jobs). */
  readonly active: number;
  /** Simulated time from the due instant until every run had its task RUNNING. */
  readonly dueToAllRunningSimulatedMs: number;
  /** Simulated time from the due instant until every run had a task launched (STAGING or later). */
  readonly dueToAllLaunchedSimulatedMs: number;
  /** Real time spent inside the master (scheduling rounds and agent heartbeats) in that phase. */
  readonly masterRealMs: number;
  /** Process CPU (user + system) for the whole phase: master, agents and network together. */
  readonly processCpuMs: number;
  readonly rounds: number;
  readonly createRealMs: number;
}

export interface RoundBenchOptions {
  readonly schedules: number;
  /** How many of them fall due during the measured rounds. */
  readonly due: number;
  readonly rounds: number;
  readonly seed?: number;
}

export interface RoundBenchResult {
  readonly schedules: number;
  readonly meanRoundMs: number;
  readonly maximumRoundMs: number;
  readonly heapUsedBytes: number;
  /** Heap after GC of the same world before any job existed: the difference is the jobs' cost (master state and store). */
  readonly heapBeforeBytes: number;
  readonly createRealMs: number;
  readonly gcExposed: boolean;
}

const minuteMs = 60_000;
const bigAgent = {
  cpus: 1000,
  mem: 4_000_000,
  disk: 1_000_000,
  ports: [{ begin: 31000, end: 31010 }],
};

/** Counts real time spent in the master's rounds and heartbeat handling (by wrapping them on the instance). */
function meterMaster(simulation: JobsSimulation): {
  readonly totalMs: () => number;
  readonly rounds: () => number;
} {
  let totalMs = 0;
  let rounds = 0;
  const master = simulation.world.requireMaster();
  const round = master.round.bind(master);
  master.round = async () => {
    const started = performance.now();
    await round();
    totalMs += performance.now() - started;
    rounds++;
  };
  const heartbeat = master.agents.heartbeat.bind(master.agents);
  master.agents.heartbeat = (request: Parameters<typeof heartbeat>[0]) => {
    const started = performance.now();
    const result = heartbeat(request);
    totalMs += performance.now() - started;
    return result;
  };
  return { totalMs: () => totalMs, rounds: () => rounds };
}

/** (a) `jobs` jobs whose schedules all fall due at 00:05 UTC, run on `agents` agents. */
export async function runBurstBench(options: BurstBenchOptions): Promise<BurstBenchResult> {
  const simulation = await JobsSimulation.create({
    seed: options.seed ?? 7,
    agents: options.agents,
    agentResources: bigAgent,
  });
  await simulation.advance(30_000);
  const createStarted = performance.now();
  for (let index = 0; index < options.jobs; index++) {
    await simulation.createJob(
      {
        id: `burst.job-${index}`,
        run: { cmd: 'work', cpus: 0.01, mem: 1 },
        // The same minute in every zone: 00:05 UTC, written in the zone's own wall time where the
        // offset is whole hours, so that many zones take part.
        schedules: [{ id: 'default', cron: '5 0 * * *', timezone: 'UTC' }],
      },
      { kind: 'forever' },
    );
  }
  const createRealMs = performance.now() - createStarted;
  const dueAt = Date.UTC(2026, 0, 1, 0, 5);
  await simulation.skipQuietStretch(dueAt - 1000);
  const master = simulation.world.requireMaster();
  const meter = meterMaster(simulation);
  const cpuBefore = process.cpuUsage();
  let launchedAt: number | undefined;
  const allRunning = await simulation.advanceUntil(
    () => {
      let launched = 0;
      let running = 0;
      for (const run of master.state.jobs.runs.values()) {
        if (run.tasks.length > 0) launched++;
        if (run.status === 'ACTIVE') running++;
      }
      if (launchedAt === undefined && launched === options.jobs) launchedAt = simulation.now;
      return running === options.jobs;
    },
    { timeoutMs: 30 * minuteMs, stepMs: 10 },
  );
  const cpu = process.cpuUsage(cpuBefore);
  if (!allRunning)
    throw new Error(
      `seed ${options.seed ?? 7}: not every run was RUNNING after 30 simulated minutes`,
    );
  return {
    jobs: options.jobs,
    agents: options.agents,
    active: [...master.state.jobs.runs.values()].filter((run) => run.status === 'ACTIVE').length,
    dueToAllRunningSimulatedMs: simulation.now - dueAt,
    dueToAllLaunchedSimulatedMs: (launchedAt ?? simulation.now) - dueAt,
    masterRealMs: meter.totalMs(),
    processCpuMs: (cpu.user + cpu.system) / 1000,
    rounds: meter.rounds(),
    createRealMs,
  };
}

/** (b) `schedules` jobs with one schedule each, `due` of them due during the measured rounds. */
export async function runRoundBench(options: RoundBenchOptions): Promise<RoundBenchResult> {
  const simulation = await JobsSimulation.create({
    seed: options.seed ?? 11,
    agents: 10,
    agentResources: bigAgent,
  });
  await simulation.advance(30_000);
  const heapBeforeBytes = heapAfterGc();
  const createStarted = performance.now();
  // JobService.create checks for dependency cycles over every job, so creating n jobs through it
  // costs O(n²) (see README.md). The definitions are therefore written to the store directly,
  // as a previous master would have left them, and a master restart loads them; the schedules
  // then go through the real addSchedule, which validates and computes each cursor.
  const templateId = 'rounds.template';
  await simulation.createJob(
    { id: templateId, run: { cmd: 'work', cpus: 0.01, mem: 1 } },
    { kind: 'exit', afterMs: 1000 },
  );
  const template = simulation.world.requireMaster().state.jobs.jobs.get(templateId)!;
  const batch: { type: 'put'; key: string; value: unknown }[] = [];
  for (let index = 0; index < options.schedules; index++) {
    const id = `rounds.job-${index}`;
    simulation.setJobBehaviour(id, { kind: 'exit', afterMs: 1000 });
    batch.push({ type: 'put', key: `jobs/${id}`, value: { ...template, id } });
    if (batch.length === 10_000 || index === options.schedules - 1)
      await simulation.world.store.commit(batch.splice(0));
  }
  await simulation.restartMaster(0);
  const loaded = simulation.world.requireMaster();
  for (let index = 0; index < options.schedules; index++) {
    const due = index < options.due;
    const timezone = simulationTimeZones[index % simulationTimeZones.length]!;
    // Most are monthly and not due in the measured minutes; `due` of them fire every minute.
    const cron = due ? '* * * * *' : `${index % 60} ${index % 24} ${1 + (index % 28)} * *`;
    await loaded.jobs.addSchedule(`rounds.job-${index}`, { id: 'default', cron, timezone });
  }
  const createRealMs = performance.now() - createStarted;
  // Let the first minute's runs start, so rounds also see active runs, then time rounds directly.
  await simulation.advance(90_000);
  const master = simulation.world.requireMaster();
  const roundMs: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    await simulation.advance(250);
    const started = performance.now();
    await master.round();
    roundMs.push(performance.now() - started);
  }
  const heapUsedBytes = heapAfterGc();
  return {
    schedules: options.schedules,
    meanRoundMs: roundMs.reduce((sum, ms) => sum + ms, 0) / Math.max(1, roundMs.length),
    maximumRoundMs: Math.max(0, ...roundMs),
    heapUsedBytes,
    heapBeforeBytes,
    createRealMs,
    gcExposed: typeof globalThis.gc === 'function',
  };
}

/** Heap used after a full collection (needs node --expose-gc; without it, figures include garbage). */
function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      jobs: { type: 'string', default: '10000' },
      agents: { type: 'string', default: '100' },
      schedules: { type: 'string', default: '100000' },
      due: { type: 'string', default: '100' },
      rounds: { type: 'string', default: '20' },
      only: { type: 'string' },
    },
  });
  if (typeof globalThis.gc !== 'function')
    console.warn('warning: run node with --expose-gc for heap figures after a full collection');
  if (values.only !== 'rounds') {
    const burst = await runBurstBench({ jobs: Number(values.jobs), agents: Number(values.agents) });
    console.log(
      `(a) ${burst.jobs} jobs due in the same minute on ${burst.agents} agents (created in ${(burst.createRealMs / 1000).toFixed(1)} s real)`,
    );
    console.log(
      `    due → every task launched: ${(burst.dueToAllLaunchedSimulatedMs / 1000).toFixed(2)} s simulated`,
    );
    console.log(
      `    due → every task RUNNING:  ${(burst.dueToAllRunningSimulatedMs / 1000).toFixed(2)} s simulated`,
    );
    console.log(
      `    master real time in that phase: ${burst.masterRealMs.toFixed(0)} ms over ${burst.rounds} rounds; whole process CPU ${burst.processCpuMs.toFixed(0)} ms`,
    );
  }
  if (values.only !== 'burst') {
    const rounds = await runRoundBench({
      schedules: Number(values.schedules),
      due: Number(values.due),
      rounds: Number(values.rounds),
    });
    console.log(
      `(b) ${rounds.schedules} schedules (created in ${(rounds.createRealMs / 1000).toFixed(1)} s real)`,
    );
    console.log(
      `    scheduling round: mean ${rounds.meanRoundMs.toFixed(1)} ms, max ${rounds.maximumRoundMs.toFixed(1)} ms`,
    );
    console.log(
      `    heap after GC: ${mebibytes(rounds.heapUsedBytes)}, of which ${mebibytes(rounds.heapUsedBytes - rounds.heapBeforeBytes)} for the jobs (${((rounds.heapUsedBytes - rounds.heapBeforeBytes) / rounds.schedules).toFixed(0)} bytes each; gc exposed: ${rounds.gcExposed})`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
