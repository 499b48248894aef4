// Benchmark (c): the master's memory at 10,000 simulated agents and 100,000 tasks, with the
// real Master and Agent code in the deterministic simulation. See README.md for how to run it.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SimulationWorld } from '@exosphere/cluster';

export interface MasterMemoryBenchOptions {
  readonly agents: number;
  readonly apps: number;
  readonly instances: number;
  readonly seed?: number;
  /** Direct scheduling rounds timed in steady state (each after 250 ms of heartbeats). */
  readonly steadyRounds?: number;
}

export interface MasterMemoryBenchResult {
  readonly agents: number;
  readonly tasks: number;
  readonly running: number;
  /** Simulated time from the first deployment until every task was RUNNING in the master. */
  readonly placeAndLaunchSimulatedMs: number;
  /** Real time the same phase took (the master, 10,000 agents and the network, one process). */
  readonly placeAndLaunchRealMs: number;
  readonly meanRoundMs: number;
  readonly maximumRoundMs: number;
  /** Real ms per simulated second of steady heartbeats (below 1000: faster than real time). */
  readonly steadyRealMsPerSimulatedSecond: number;
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
  /** Heap freed by dropping the master alone: what the master's own state costs. */
  readonly masterHeapBytes: number;
  readonly gcExposed: boolean;
}

export const fullScale: MasterMemoryBenchOptions = { agents: 10_000, apps: 1000, instances: 100 };

export async function runMasterMemoryBench(
  options: MasterMemoryBenchOptions,
): Promise<MasterMemoryBenchResult> {
  const tasks = options.apps * options.instances;
  const world = await SimulationWorld.create({
    seed: options.seed ?? 1,
    agents: options.agents,
    trace: false,
    invariants: false,
    // Copied messages, as over HTTP: the master and the agents share no object, so dropping the
    // master frees exactly its own state.
    network: { copyMessages: true },
    agentResources: {
      cpus: 32,
      mem: 131_072,
      disk: 1_000_000,
      ports: [{ begin: 31000, end: 32000 }],
    },
  });
  await world.advance(2000); // every agent registers
  const master = world.requireMaster();

  const started = performance.now();
  const startedAt = world.now;
  for (let index = 0; index < options.apps; index++) {
    await world.deployApp({
      id: `/bench/app-${index}`,
      cmd: 'serve',
      instances: options.instances,
      cpus: 0.1,
      mem: 64,
      portDefinitions: [],
    });
  }
  const runningCount = (): number => {
    let count = 0;
    for (const task of master.state.tasks.values()) if (task.state === 'TASK_RUNNING') count++;
    return count;
  };
  await world.advanceUntil(() => runningCount() >= tasks, { timeoutMs: 600_000, stepMs: 100 });
  const placeAndLaunchRealMs = performance.now() - started;
  const placeAndLaunchSimulatedMs = world.now - startedAt;
  const running = runningCount();
  await world.advance(2000); // deployments finish, the last updates settle

  const steadyRounds = options.steadyRounds ?? 20;
  const roundMs: number[] = [];
  const steadyStarted = performance.now();
  for (let round = 0; round < steadyRounds; round++) {
    await world.advance(250);
    const roundStarted = performance.now();
    await master.round();
    roundMs.push(performance.now() - roundStarted);
  }
  const steadyRealMs = performance.now() - steadyStarted;
  const steadySimulatedSeconds = (steadyRounds * 250) / 1000;

  const withMaster = measureMemory();
  world.stopMasterProcess();
  // Let the dead master's timers and in-flight messages drain so nothing still holds it.
  await world.advance(3000);
  const withoutMaster = measureMemory();
  return {
    agents: options.agents,
    tasks,
    running,
    placeAndLaunchSimulatedMs,
    placeAndLaunchRealMs,
    meanRoundMs: roundMs.reduce((sum, ms) => sum + ms, 0) / Math.max(1, roundMs.length),
    maximumRoundMs: Math.max(0, ...roundMs),
    steadyRealMsPerSimulatedSecond: steadyRealMs / steadySimulatedSeconds,
    heapUsedBytes: withMaster.heapUsed,
    rssBytes: withMaster.rss,
    masterHeapBytes: Math.max(0, withMaster.heapUsed - withoutMaster.heapUsed),
    gcExposed: typeof globalThis.gc === 'function',
  };
}

/** Heap and RSS after a full collection (needs node --expose-gc; without it, figures include garbage). */
function measureMemory(): { heapUsed: number; rss: number } {
  for (let i = 0; i < 3; i++) globalThis.gc?.();
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, rss: usage.rss };
}

function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      agents: { type: 'string' },
      apps: { type: 'string' },
      instances: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const options: MasterMemoryBenchOptions = {
    agents: Number(values.agents ?? fullScale.agents),
    apps: Number(values.apps ?? fullScale.apps),
    instances: Number(values.instances ?? fullScale.instances),
    seed: Number(values.seed ?? 1),
  };
  const result = await runMasterMemoryBench(options);
  if (!result.gcExposed)
    console.warn('warning: run node with --expose-gc for figures after a full collection');
  console.log(`agents ${result.agents}, tasks ${result.tasks}, RUNNING ${result.running}`);
  console.log(
    `place and launch: ${(result.placeAndLaunchSimulatedMs / 1000).toFixed(1)} s simulated, ${(result.placeAndLaunchRealMs / 1000).toFixed(1)} s real`,
  );
  console.log(
    `scheduling round in steady state: mean ${result.meanRoundMs.toFixed(1)} ms, max ${result.maximumRoundMs.toFixed(1)} ms`,
  );
  console.log(
    `steady heartbeats: ${result.steadyRealMsPerSimulatedSecond.toFixed(0)} ms real per simulated second`,
  );
  console.log(
    `heap used ${megabytes(result.heapUsedBytes)}, RSS ${megabytes(result.rssBytes)} (whole simulation)`,
  );
  console.log(`master alone: ${megabytes(result.masterHeapBytes)} of heap`);
  console.log(JSON.stringify(result));
  if (result.running < result.tasks) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
