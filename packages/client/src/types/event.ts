import type { MarathonEventType } from '@exosphere/cluster';

/** Marathon event types served on GET /v2/events (the master's own list). */
export type ClusterEventType = MarathonEventType;

/** One event: its type and timestamp, and the fields Marathon defines for that type. */
export interface ClusterEvent {
  readonly eventType: ClusterEventType | (string & {});
  readonly timestamp: string;
  readonly [field: string]: unknown;
}
