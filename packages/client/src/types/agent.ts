export interface PortRange {
  readonly begin: number;
  readonly end: number;
}

export interface Resources {
  readonly cpus: number;
  /** MiB. */
  readonly mem: number;
  /** MiB. */
  readonly disk: number;
}

export type AgentCondition = 'active' | 'unreachable';

/** An agent as the master lists it (GET /v1/agents). */
export interface Agent {
  readonly id: string;
  readonly hostname: string;
  /** Where the agent's own API (task logs) answers. */
  readonly url: string;
  readonly condition: AgentCondition;
  readonly attributes: Readonly<Record<string, string>>;
  readonly resources: Resources & { readonly ports: readonly PortRange[] };
  /** What its active tasks reserve. */
  readonly used: Resources;
  /** Active tasks on it. */
  readonly tasks: number;
  /** How tasks are isolated (cgroups, or why not). */
  readonly isolation: string;
  readonly registeredAt: string;
  readonly lastHeartbeatAt: string;
}
