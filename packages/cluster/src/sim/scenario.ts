import { SeededRandom, type Random } from '@exosphere/common';
import type { FailoverMeasurement, KnownIssue } from './invariants.js';
import type { NetworkOptions } from './sim-network.js';
import { deriveSeed } from './trace.js';
import { SimulationFailure, SimulationWorld } from './world.js';

/** Relative weights of the faults a scenario draws; 0 turns a kind off. */
export interface FaultWeights {
  readonly quiet: number;
  readonly killAgentProcess: number;
  readonly restartAgentProcess: number;
  readonly killHost: number;
  readonly shortPause: number;
  readonly longPause: number;
  readonly shortPartition: number;
  readonly longPartition: number;
  readonly restartMaster: number;
  readonly scale: number;
}

export const defaultFaultWeights: FaultWeights = {
  quiet: 3,
  killAgentProcess: 2,
  restartAgentProcess: 2,
  killHost: 2,
  shortPause: 2,
  longPause: 1,
  shortPartition: 1,
  longPartition: 2,
  restartMaster: 1,
  scale: 2,
};

export interface ScenarioOptions {
  readonly seed: number;
  readonly steps: number;
  readonly agents?: number;
  readonly apps?: number;
  readonly faults?: Partial<FaultWeights>;
  readonly network?: Partial<NetworkOptions>;
  readonly knownIssues?: readonly KnownIssue[];
  /** After the last fault, the cluster must converge within this much simulated time. */
  readonly settleMs?: number;
}

export interface ScenarioReport {
  readonly seed: number;
  readonly steps: number;
  readonly traceHash: string;
  readonly traceEvents: number;
  readonly simulatedMs: number;
  readonly failovers: readonly FailoverMeasurement[];
  /** Every broken invariant (the run throws on the first step that has one). */
  readonly violations: readonly string[];
  /** How often each known master bug showed up. */
  readonly knownIssueHits: Readonly<Record<string, number>>;
}

interface Pending {
  readonly at: number;
  readonly action: () => Promise<void>;
}

/**
 * A random schedule of faults drawn from the seed, run against a SimulationWorld step by step.
 * Killed agent processes and dead hosts come back by themselves after a while (as supervisors
 * and operators bring them back); at the end everything is healed and the cluster must converge.
 * Throws a SimulationFailure naming the seed and step on the first broken invariant.
 */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioReport> {
  const agents = options.agents ?? 6;
  const world = await SimulationWorld.create({
    seed: options.seed,
    agents,
    ...(options.network ? { network: options.network } : {}),
    ...(options.knownIssues ? { knownIssues: options.knownIssues } : {}),
  });
  const random = new SeededRandom(deriveSeed(options.seed, 'schedule'));
  const weights = { ...defaultFaultWeights, ...options.faults };
  const pending: Pending[] = [];
  const appIds: string[] = [];
  const appCount = options.apps ?? 3;
  for (let index = 0; index < appCount; index++) {
    appIds.push(
      await world.deployApp({
        id: `/scenario/app-${index}`,
        cmd: 'sleep 3600',
        instances: 1 + random.int(4),
        cpus: 0.25,
        mem: 64,
        ...(index % 2 === 1
          ? { healthChecks: [{ protocol: 'COMMAND', command: { value: 'true' } }] }
          : {}),
      }),
    );
  }
  // A crash-looping app keeps the backoff and failure paths busy; it is left out of (a) and (c).
  await world.deployApp(
    { id: '/scenario/crasher', cmd: 'false', instances: 1, cpus: 0.1, mem: 32 },
    { kind: 'crash', afterMs: 2000 },
  );
  await world.advance(5000);
  throwOnViolation(world);

  for (let step = 1; step <= options.steps; step++) {
    world.step = step;
    await advanceWithPending(world, pending, 200 + random.int(4000));
    await injectFault({ world, random, weights, pending, appIds });
    throwOnViolation(world);
  }

  world.step = options.steps + 1;
  world.record('healing');
  for (const item of pending.splice(0).sort((a, b) => a.at - b.at)) await item.action();
  await world.startMaster();
  for (let index = 0; index < agents; index++) {
    if (!world.hosts[index]!.alive) await world.bootHost(index);
    else if (!world.agentProcess(index)) await world.restartAgentProcess(index);
  }
  const monitor = world.monitor!;
  const converged = await world.advanceUntil(() => monitor.convergenceProblem() === undefined, {
    timeoutMs: options.settleMs ?? 120_000,
    stepMs: 250,
  });
  if (!converged) monitor.violation('(a) no convergence', monitor.convergenceProblem() ?? '');
  throwOnViolation(world);
  return {
    seed: options.seed,
    steps: options.steps,
    traceHash: world.trace.digest(),
    traceEvents: world.trace.events,
    simulatedMs: world.elapsedMs,
    failovers: monitor.failovers,
    violations: monitor.violations,
    knownIssueHits: Object.fromEntries(monitor.knownIssueHits),
  };
}

async function advanceWithPending(
  world: SimulationWorld,
  pending: Pending[],
  durationMs: number,
): Promise<void> {
  const target = world.now + durationMs;
  for (;;) {
    pending.sort((a, b) => a.at - b.at);
    const next = pending[0];
    if (!next || next.at > target) break;
    pending.shift();
    await world.advance(Math.max(0, next.at - world.now));
    await next.action();
  }
  await world.advance(target - world.now);
}

async function injectFault(input: {
  world: SimulationWorld;
  random: Random;
  weights: FaultWeights;
  pending: Pending[];
  appIds: readonly string[];
}): Promise<void> {
  const { world, random, weights, pending, appIds } = input;
  const kind = pick(random, weights);
  const index = random.int(world.hosts.length);
  const { agentTimeoutMs } = world.settings;
  const monitor = world.monitor!;
  const healthyHosts = world.hosts.filter(
    (host, i) => host.alive && world.agentProcess(i) !== undefined,
  ).length;
  // Keep a majority of hosts up, so there is always room for replacements.
  const mayRemove =
    healthyHosts > Math.ceil(world.hosts.length / 2) && world.agentProcess(index) !== undefined;
  switch (kind) {
    case 'quiet':
      return;
    case 'killAgentProcess':
      if (!mayRemove) return;
      world.killAgentProcess(index);
      pending.push({
        at: world.now + 500 + random.int(8000),
        action: () => world.restartAgentProcess(index),
      });
      return;
    case 'restartAgentProcess':
      if (world.agentProcess(index)) await world.restartAgentProcess(index);
      return;
    case 'killHost':
      if (!mayRemove) return;
      world.killHost(index);
      pending.push({
        at: world.now + 5000 + random.int(30_000),
        action: () => world.bootHost(index),
      });
      return;
    case 'shortPause':
      world.pauseAgent(index, 100 + random.int(Math.max(1, monitor.shortPauseMaximumMs - 100)));
      return;
    case 'longPause':
      if (!mayRemove) return;
      world.pauseAgent(index, agentTimeoutMs + random.int(8000));
      return;
    case 'shortPartition':
      world.partition(index, 100 + random.int(1000));
      return;
    case 'longPartition':
      if (!mayRemove) return;
      world.partition(index, agentTimeoutMs + random.int(8000));
      return;
    case 'restartMaster':
      await world.restartMaster(random.int(3000));
      return;
    case 'scale': {
      const appId = appIds[random.int(appIds.length)]!;
      if (world.master) await world.scaleApp(appId, random.int(5));
      return;
    }
  }
}

function pick(random: Random, weights: FaultWeights): keyof FaultWeights {
  const entries = Object.entries(weights) as [keyof FaultWeights, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random.next() * total;
  for (const [kind, weight] of entries) {
    if (draw < weight) return kind;
    draw -= weight;
  }
  return 'quiet';
}

function throwOnViolation(world: SimulationWorld): void {
  const violations = world.monitor?.violations ?? [];
  if (violations.length === 0) return;
  throw new SimulationFailure(
    `${violations.join('\n')}\nreplay: runScenario with seed ${world.seed}\nlast events:\n${world.trace.tail()}`,
  );
}
