import { PlacementLedger } from '../../src/core/placement-ledger.js';
import type { AgentSnapshot, PlacementRequest } from '../../src/core/placement-types.js';
import type { PortRange } from '../../src/core/resources.js';

/** Shared builders for placement tests: a small agent and a request with Marathon's defaults. */
export interface AgentOptions {
  readonly hostname?: string;
  readonly attributes?: Record<string, string>;
  readonly cpus?: number;
  readonly mem?: number;
  readonly disk?: number;
  readonly ports?: readonly PortRange[];
  readonly usedPorts?: readonly number[];
  readonly usedCpus?: number;
  readonly usedMem?: number;
  readonly schedulable?: boolean;
}

export function agent(id: string, options: AgentOptions = {}): AgentSnapshot {
  return {
    id,
    hostname: options.hostname ?? `${id}.example`,
    attributes: options.attributes ?? {},
    total: {
      cpus: options.cpus ?? 4,
      mem: options.mem ?? 4096,
      disk: options.disk ?? 10_000,
      ports: options.ports ?? [{ begin: 31000, end: 32000 }],
    },
    used: { cpus: options.usedCpus ?? 0, mem: options.usedMem ?? 0, disk: 0 },
    usedPorts: new Set(options.usedPorts ?? []),
    schedulable: options.schedulable ?? true,
  };
}

export function request(overrides: Partial<PlacementRequest> = {}): PlacementRequest {
  return {
    appId: '/app',
    resources: { cpus: 1, mem: 128, disk: 0 },
    ports: [],
    requirePorts: false,
    constraints: [],
    existing: [],
    count: 1,
    strategy: 'binpack',
    ...overrides,
  };
}

export function ledgerOf(...snapshots: AgentSnapshot[]): PlacementLedger {
  return new PlacementLedger(snapshots);
}
