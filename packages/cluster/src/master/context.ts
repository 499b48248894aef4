import type { Clock, Logger, Random } from '@exosphere/common';
import type { AgentLink } from '../core/protocol.js';
import type { PlacementStrategy } from '../core/placement-types.js';
import type { EventBus } from './events.js';
import type { MasterMetrics } from './master-metrics.js';
import type { ClusterState } from './state.js';
import type { StateStore, StoreOperation } from './store/state-store.js';
import type { TaskRecord } from './model.js';
import type { TaskState } from '../core/task-state.js';

export interface MasterSettings {
  /** How often agents heartbeat. */
  readonly heartbeatIntervalMs: number;
  /** Silence after which an agent is declared unreachable and its tasks replaced. */
  readonly agentTimeoutMs: number;
  /** Scheduling round period (rounds also run right after any change). */
  readonly reconcileIntervalMs: number;
  /** A STAGING task the agent never reported is declared lost after this. */
  readonly launchTimeoutMs: number;
  readonly placementStrategy: PlacementStrategy;
  /** Service ports assigned for portDefinitions with port 0. */
  readonly servicePortRange: { readonly begin: number; readonly end: number };
  /** Versions kept per app. */
  readonly versionsMax: number;
  /** Finished runs kept per job and outcome (successful, failed), and missed runs kept per job. */
  readonly jobHistoryMax: number;
}

export const defaultMasterSettings: MasterSettings = {
  heartbeatIntervalMs: 500,
  agentTimeoutMs: 3000,
  reconcileIntervalMs: 250,
  launchTimeoutMs: 60_000,
  placementStrategy: 'binpack',
  servicePortRange: { begin: 10000, end: 20000 },
  versionsMax: 50,
  jobHistoryMax: 100,
};

/** What every master component shares. */
export interface MasterContext {
  readonly masterId: string;
  readonly state: ClusterState;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly events: EventBus;
  readonly metrics: MasterMetrics;
  readonly settings: MasterSettings;
  readonly agentLink: AgentLink;
  /** Commits operations durably, in order. A failed commit stops the master (see Master.persist). */
  persist(operations: readonly StoreOperation[]): Promise<void>;
  /** Asks for a scheduling round soon. */
  wake(): void;
  readonly store: StateStore;
  /**
   * Called on every task state change (after the record is updated, before a terminal task
   * is dropped); returns store operations to commit with the change. The jobs runner uses it.
   */
  readonly taskListeners: Array<(task: TaskRecord, previous: TaskState) => StoreOperation[]>;
}
