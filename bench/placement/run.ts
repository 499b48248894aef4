// Benchmark (a): place 1,000,000 tasks (1,000 apps × 1,000 instances) on 10,000 simulated agents
// with the real `place()` and `PlacementLedger`. See README.md for how to run it and the figures.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  PlacementLedger,
  place,
  type AgentSnapshot,
  type Constraint,
  type PlacementRequest,
} from '@exosphere/cluster';

export interface PlacementBenchOptions {
  readonly apps: number;
  readonly instances: number;
  readonly agents: number;
}

export interface PlacementBenchResult {
  readonly apps: number;
  readonly instancesPerApp: number;
  readonly agents: number;
  readonly requested: number;
  readonly placed: number;
  /** Apps that got fewer instances than asked, with the first diagnosis line. */
  readonly shortApps: readonly string[];
  readonly ledgerBuildMs: number;
  readonly placeMs: number;
  readonly totalMs: number;
  readonly placementsPerSecond: number;
  readonly peakRssBytes: number;
  readonly peakHeapUsedBytes: number;
}

export const fullScale: PlacementBenchOptions = { apps: 1000, instances: 1000, agents: 10_000 };

/** 32 cpus, 128 GiB, one port range; racks of about 100 agents, three zones. */
export function simulatedAgents(count: number): AgentSnapshot[] {
  const racks = rackCount(count);
  return Array.from({ length: count }, (_, index) => {
    const rack = index % racks;
    return {
      id: `agent-${String(index).padStart(6, '0')}`,
      hostname: `host-${index}.dc1`,
      attributes: { rack: `rack-${rack}`, zone: `zone-${rack % 3}` },
      total: { cpus: 32, mem: 131_072, disk: 1_000_000, ports: [{ begin: 31000, end: 32000 }] },
      used: { cpus: 0, mem: 0, disk: 0 },
      usedPorts: new Set<number>(),
      schedulable: true,
    };
  });
}

/**
 * The app mix: a third UNIQUE per host (see below for small scales), a third GROUP_BY rack, the rest alternate between MAX_PER
 * rack and LIKE on the zone; every tenth app uses the spread strategy and every fourth wants two
 * ports.
 */
export function simulatedApp(index: number, options: PlacementBenchOptions): PlacementRequest {
  const racks = rackCount(options.agents);
  let constraints: Constraint[];
  if (index % 3 === 0) {
    // At small scales one host per instance may not exist once binpack has filled some hosts, so
    // UNIQUE becomes a MAX_PER of the same spirit when instances exceed half the agents.
    constraints =
      2 * options.instances <= options.agents
        ? [{ field: 'hostname', operator: 'UNIQUE' }]
        : [
            {
              field: 'hostname',
              operator: 'MAX_PER',
              value: String(Math.ceil((2 * options.instances) / options.agents)),
            },
          ];
  } else if (index % 3 === 1) constraints = [{ field: 'rack', operator: 'GROUP_BY' }];
  else if (index % 6 === 2) {
    const perRack = Math.ceil((2 * options.instances) / racks);
    constraints = [{ field: 'rack', operator: 'MAX_PER', value: String(perRack) }];
  } else constraints = [{ field: 'zone', operator: 'LIKE', value: 'zone-[01]' }];
  return {
    appId: `/bench/app-${index}`,
    resources: { cpus: index % 2 === 0 ? 0.1 : 0.2, mem: index % 2 === 0 ? 128 : 256, disk: 0 },
    ports: index % 4 === 0 ? [0, 0] : [0],
    requirePorts: false,
    constraints,
    existing: [],
    count: options.instances,
    strategy: index % 10 === 0 ? 'spread' : 'binpack',
  };
}

function rackCount(agents: number): number {
  return Math.max(3, Math.round(agents / 100));
}

export function runPlacementBench(options: PlacementBenchOptions): PlacementBenchResult {
  const snapshots = simulatedAgents(options.agents);
  const requests = Array.from({ length: options.apps }, (_, index) => simulatedApp(index, options));
  let peakHeapUsedBytes = 0;
  const started = performance.now();
  // The master builds a fresh ledger each scheduling round; this is one round placing everything.
  const ledger = new PlacementLedger(snapshots);
  const built = performance.now();
  let placed = 0;
  const shortApps: string[] = [];
  for (const [index, request] of requests.entries()) {
    const result = place(request, ledger);
    placed += result.placements.length;
    if (result.diagnosis !== undefined) {
      const first = result.diagnosis.agents[0]?.reasons[0] ?? 'no agents';
      shortApps.push(`${request.appId}: ${result.placements.length} placed; ${first}`);
    }
    if (index % 50 === 0)
      peakHeapUsedBytes = Math.max(peakHeapUsedBytes, process.memoryUsage().heapUsed);
  }
  const finished = performance.now();
  peakHeapUsedBytes = Math.max(peakHeapUsedBytes, process.memoryUsage().heapUsed);
  const placeMs = finished - built;
  return {
    apps: options.apps,
    instancesPerApp: options.instances,
    agents: options.agents,
    requested: options.apps * options.instances,
    placed,
    shortApps,
    ledgerBuildMs: built - started,
    placeMs,
    totalMs: finished - started,
    placementsPerSecond: placed / ((finished - started) / 1000),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    peakHeapUsedBytes,
  };
}

function parseOptions(argv: readonly string[]): PlacementBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      apps: { type: 'string' },
      instances: { type: 'string' },
      agents: { type: 'string' },
    },
  });
  const number = (name: keyof PlacementBenchOptions): number => {
    const raw = values[name];
    if (raw === undefined) return fullScale[name];
    const parsed = Number(raw);
    if (!Number.isInteger(parsed) || parsed < 1) {
      throw new Error(`--${name} must be a whole number of at least 1, got '${raw}'`);
    }
    return parsed;
  };
  return { apps: number('apps'), instances: number('instances'), agents: number('agents') };
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  console.log(
    `placing ${options.apps} apps × ${options.instances} instances on ${options.agents} agents`,
  );
  const result = runPlacementBench(options);
  const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
  console.log(`placed:            ${result.placed} of ${result.requested}`);
  console.log(`ledger build:      ${result.ledgerBuildMs.toFixed(0)} ms`);
  console.log(`placement:         ${(result.placeMs / 1000).toFixed(2)} s`);
  console.log(`total:             ${(result.totalMs / 1000).toFixed(2)} s`);
  console.log(`placements/s:      ${Math.round(result.placementsPerSecond)}`);
  console.log(`peak RSS:          ${mib(result.peakRssBytes)}`);
  console.log(`peak heap used:    ${mib(result.peakHeapUsedBytes)} (sampled every 50 apps)`);
  for (const line of result.shortApps.slice(0, 10)) console.log(`short: ${line}`);
  if (result.placed !== result.requested) process.exitCode = 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main();
}
