import { SimulationWorld, type WorldOptions } from '../../src/sim/world.js';
import type { KnownIssue } from '../../src/sim/invariants.js';

/** The master bugs found by the simulation and not fixed yet (see known-bugs.test.ts). */
export const knownIssues: readonly KnownIssue[] = [];

/** A world with one app running `instances` tasks, all RUNNING, and no violation so far. */
export async function worldWithApp(options: {
  seed: number;
  instances: number;
  agents?: number;
  world?: Partial<WorldOptions>;
}): Promise<{ world: SimulationWorld; appId: string }> {
  const world = await SimulationWorld.create({
    seed: options.seed,
    agents: options.agents ?? 4,
    ...options.world,
  });
  const appId = await world.deployApp({
    id: '/shop/web',
    cmd: 'serve',
    instances: options.instances,
    cpus: 0.5,
    mem: 128,
  });
  await settle(world);
  return { world, appId };
}

/** Advances until the cluster converged; throws with the seed and the reason otherwise. */
export async function settle(world: SimulationWorld, timeoutMs = 60_000): Promise<void> {
  const monitor = world.monitor!;
  const converged = await world.advanceUntil(() => monitor.convergenceProblem() === undefined, {
    timeoutMs,
    stepMs: 100,
  });
  if (!converged)
    throw new Error(world.describe(`no convergence: ${monitor.convergenceProblem()}`));
  assertNoViolations(world);
}

export function assertNoViolations(world: SimulationWorld): void {
  const violations = world.monitor!.violations;
  if (violations.length > 0)
    throw new Error(`${violations.join('\n')}\nlast events:\n${world.trace.tail()}`);
}

/** Index of the host that runs the most live processes of `appId`. */
export function busiestHost(world: SimulationWorld, appId: string): number {
  let best = 0;
  let bestCount = -1;
  world.hosts.forEach((host, index) => {
    const count = host.liveProcesses().filter((process) => process.spec.appId === appId).length;
    if (count > bestCount) {
      best = index;
      bestCount = count;
    }
  });
  return best;
}

/** Task ids of the live processes of `appId` on all hosts, sorted. */
export function processIds(world: SimulationWorld, appId: string): string[] {
  return world.hosts
    .flatMap((host) => host.liveProcesses())
    .filter((process) => process.spec.appId === appId)
    .map((process) => process.spec.taskId)
    .sort();
}
