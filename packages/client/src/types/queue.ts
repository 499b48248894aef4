import type { App } from './app.js';

/** Marathon's vocabulary for why an agent refused an instance. */
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
  /** Readable reasons, e.g. "cpus: needs 1000, free 3.8" or "constraint hostname:UNIQUE". */
  readonly reasons: readonly string[];
}

/** Why the last placement attempt left instances unplaced (an Exosphere extension of /v2/queue). */
export interface PlacementReport {
  readonly unplaced: number;
  readonly at: string;
  readonly agentsConsidered: number;
  readonly rejections: Readonly<Partial<Record<RejectionReason, number>>>;
  /** Refusals per constraint, keyed by "field:OPERATOR[:value]". */
  readonly constraintRejections: Readonly<Record<string, number>>;
  /** Per-agent detail (the master caps the number of entries). */
  readonly agents: readonly AgentRejection[];
}

/** An app waiting for launches (GET /v2/queue). */
export interface QueueEntry {
  readonly app: App;
  /** Instances still to launch. */
  readonly count: number;
  readonly delay: { readonly timeLeftSeconds: number; readonly overdue: boolean };
  readonly since: string;
  readonly processedOffersSummary: {
    readonly processedOffersCount: number;
    readonly unusedOffersCount: number;
    readonly rejectSummaryLastOffers: readonly {
      readonly reason: string;
      readonly declined: number;
      readonly processed: number;
    }[];
  };
  readonly placement?: PlacementReport;
}
