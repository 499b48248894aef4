import type { App, AppDefinition } from './app.js';

/** A group as a user submits it (POST/PUT /v2/groups). */
export interface GroupDefinition {
  readonly id?: string;
  readonly apps?: readonly AppDefinition[];
  readonly groups?: readonly GroupDefinition[];
  readonly dependencies?: readonly string[];
  /** Alone in a PUT, scales every app of the group by this factor. */
  readonly scaleBy?: number;
}

/** A group as the master returns it (GET /v2/groups/{id}). */
export interface Group {
  readonly id: string;
  readonly apps: readonly App[];
  readonly groups: readonly Group[];
  readonly pods: readonly unknown[];
  readonly dependencies: readonly string[];
  readonly version: string;
  readonly enforceRole?: boolean;
}
