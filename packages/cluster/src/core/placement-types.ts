import type { Constraint } from './constraints.js';
import type { AgentResources, Resources } from './resources.js';

/** An agent as placement sees it: identity, attributes, totals, and what is already used. */
export interface AgentSnapshot {
  readonly id: string;
  readonly hostname: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly total: AgentResources;
  readonly used: Resources;
  /** Host ports in use on this agent. */
  readonly usedPorts: ReadonlySet<number>;
  /** Only active agents take new tasks (lost, draining or unreachable ones do not). */
  readonly schedulable: boolean;
}

/** One instance of an app already placed (for constraint counting). */
export interface ExistingInstance {
  readonly agentId: string;
}

export type PlacementStrategy = 'binpack' | 'spread';

export interface PlacementRequest {
  readonly appId: string;
  /** Resources of one instance. */
  readonly resources: Resources;
  /** Host ports wanted per instance: 0 means "any free port from the agent's ranges". */
  readonly ports: readonly number[];
  /** When true, non-zero entries of `ports` must be exactly those host ports. */
  readonly requirePorts: boolean;
  readonly constraints: readonly Constraint[];
  /** Instances of this app that already exist (active), for UNIQUE/CLUSTER/GROUP_BY/MAX_PER. */
  readonly existing: readonly ExistingInstance[];
  /** How many new instances to place. */
  readonly count: number;
  readonly strategy: PlacementStrategy;
}

export interface Placement {
  readonly agentId: string;
  /** Host ports assigned to the instance, in the order of `PlacementRequest.ports`. */
  readonly ports: readonly number[];
}

/** Why agents refused, in Marathon's /v2/queue vocabulary (processedOffersSummary reasons). */
export type RejectionReason =
  | 'AgentUnavailable'
  | 'InsufficientCpus'
  | 'InsufficientMemory'
  | 'InsufficientDisk'
  | 'InsufficientPorts'
  | 'UnfulfilledConstraint';

export interface AgentRejection {
  readonly agentId: string;
  readonly hostname: string;
  /** Human-readable reasons, e.g. "cpus: needs 1, free 0.5" or "constraint hostname:UNIQUE". */
  readonly reasons: readonly string[];
}

export interface PlacementDiagnosis {
  readonly agentsConsidered: number;
  /** How many agents refused for each reason (an agent can count under several). */
  readonly rejections: Readonly<Partial<Record<RejectionReason, number>>>;
  /** Refusals per constraint, keyed by "field:OPERATOR[:value]". */
  readonly constraintRejections: Readonly<Record<string, number>>;
  /** Per-agent detail, at most `agentDetailMax` entries. */
  readonly agents: readonly AgentRejection[];
}

export interface PlacementResult {
  readonly placements: readonly Placement[];
  /** Present whenever fewer than `count` instances could be placed. */
  readonly diagnosis?: PlacementDiagnosis;
}
