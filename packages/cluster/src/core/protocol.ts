/**
 * Messages between agents and the master. The same types travel over HTTP in production
 * and through the simulated network in the deterministic simulation.
 */
import type { HealthCheckResult, HealthCheckSpec } from './health.js';
import type { AgentResources, Resources } from './resources.js';
import type { TaskState } from './task-state.js';

/** What an agent knows about one task; the agent is the authority on these fields. */
export interface TaskStatus {
  readonly taskId: string;
  readonly state: TaskState;
  /** Epoch ms of the last state change on the agent. */
  readonly updatedAt: number;
  /** undefined until the first health verdict, or when the task has no health checks. */
  readonly healthy?: boolean | undefined;
  readonly healthCheckResults?: readonly HealthCheckResult[] | undefined;
  readonly exitCode?: number | undefined;
  /** Why the task ended or failed (e.g. "exited with code 1", "OOM killed", "killed"). */
  readonly message?: string | undefined;
  readonly startedAt?: number | undefined;
}

/**
 * One artifact to fetch into the sandbox before the task starts (Marathon's `fetch`,
 * Metronome's `run.artifacts`, Mesos' CommandInfo.URI).
 */
export interface FetchUri {
  readonly uri: string;
  /** Unpack archives (.tar, .tar.gz/.tgz, .tar.bz2, .tar.xz/.txz, .zip, .gz) into the sandbox. */
  readonly extract: boolean;
  /** Mark the file executable (and do not extract it). */
  readonly executable: boolean;
  /** Accepted for compatibility; every fetch downloads afresh. */
  readonly cache: boolean;
  /** The file name in the sandbox; the URI's last path segment when absent. */
  readonly outputFile?: string | undefined;
}

/** Everything an agent needs to run one task. */
export interface TaskLaunchSpec {
  readonly taskId: string;
  readonly appId: string;
  /** Shell command (run with /bin/sh -c); exclusive with args. */
  readonly cmd?: string | undefined;
  /** Executable and arguments, run without a shell. */
  readonly args?: readonly string[] | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly resources: Resources;
  /** Host ports assigned to the task. */
  readonly ports: readonly number[];
  /** Names of the ports (portDefinitions[].name), for EXO_PORT_<NAME> variables. */
  readonly portNames: readonly (string | undefined)[];
  /** SIGTERM → SIGKILL delay when stopping. */
  readonly killGracePeriodMs: number;
  readonly healthChecks: readonly HealthCheckSpec[];
  /** App version the task runs (for labels and env). */
  readonly version: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Artifacts fetched into the sandbox before the command starts (absent: none). */
  readonly fetch?: readonly FetchUri[] | undefined;
  /** The account the command runs as (Marathon's and Metronome's `user`; absent: the agent's). */
  readonly user?: string | undefined;
}

export interface RegisterRequest {
  readonly agentId: string;
  readonly hostname: string;
  /** Base URL of the agent's HTTP API, as the master should reach it. */
  readonly url: string;
  readonly resources: AgentResources;
  readonly attributes: Readonly<Record<string, string>>;
  /** Tasks the agent runs now (after a restart: the re-attached ones). */
  readonly tasks: readonly TaskStatus[];
  /** Notes on isolation, e.g. "cgroups v1: cpu, memory" or why it is not enforced. */
  readonly isolation: string;
}

export interface RegisterResponse {
  readonly masterId: string;
  readonly heartbeatIntervalMs: number;
}

export interface HeartbeatRequest {
  readonly agentId: string;
  /** Full status of every task the agent runs or recently ended (not yet acknowledged). */
  readonly tasks: readonly TaskStatus[];
}

export interface HeartbeatResponse {
  /** False when the master does not know this agent (it must register again). */
  readonly known: boolean;
  /** Tasks the agent must kill (unknown to the master, or to be killed). */
  readonly kill: readonly { readonly taskId: string; readonly gracePeriodMs: number }[];
  /** Tasks the master assigned to this agent that the agent has not reported (resent launches). */
  readonly launch: readonly TaskLaunchSpec[];
  /** Terminal task ids the master has recorded; the agent may forget them. */
  readonly acknowledged: readonly string[];
}

/** The agent as the master talks to it (HTTP in production, simulated in tests). */
export interface AgentLink {
  launch(agentUrl: string, tasks: readonly TaskLaunchSpec[]): Promise<void>;
  kill(
    agentUrl: string,
    kills: readonly { taskId: string; gracePeriodMs: number }[],
  ): Promise<void>;
}

/** The master as an agent talks to it. */
export interface MasterLink {
  register(request: RegisterRequest): Promise<RegisterResponse>;
  heartbeat(request: HeartbeatRequest): Promise<HeartbeatResponse>;
}
