import { hostname as osHostname } from 'node:os';
import {
  RealClock,
  Router,
  MetricsRegistry,
  createHttpService,
  hostPort,
  listen,
  registerProcessMetrics,
  requiresUserToken,
  type Logger,
} from '@exosphere/common';
import { Agent } from './agent.js';
import { loadAgentId } from './agent-id.js';
import { detectResources } from './detect-resources.js';
import { addAgentRoutes } from './http-api.js';
import { HttpMasterLink } from './http-master-link.js';
import { ProcessExecutor } from './process-executor.js';

/** Per-request timeout to the master: well under the master's default 3 s agent timeout. */
const masterRequestTimeoutMs = 2000;

export interface StartAgentOptions {
  /** The agent home: agent id, checkpoint and sandboxes. */
  readonly home: string;
  readonly masterUrl: string;
  /** Address to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Port to bind; 0 picks a free one. */
  readonly port?: number;
  /** Host the master and tasks' clients should use to reach this agent. */
  readonly advertiseHost?: string;
  /** The name tasks see as HOST and health checks probe. */
  readonly hostname?: string;
  /** Mesos-style `cpus=2;mem=4096;...`; anything not given is detected. */
  readonly resources?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly token: string;
  readonly logger: Logger;
  readonly heartbeatIntervalMs?: number;
  /** Where the cgroup v1 controllers are mounted; false turns isolation off. */
  readonly cgroupRoot?: string | false;
}

export interface StartedAgent {
  readonly url: string;
  readonly agentId: string;
  readonly agent: Agent;
  /** Stops the agent; `killTasks: false` leaves tasks running for the next agent process. */
  close(options: { killTasks: boolean }): Promise<void>;
}

/** Everything `exo agent` runs: executor, agent core, HTTP API, registration with the master. */
export async function startAgent(options: StartAgentOptions): Promise<StartedAgent> {
  const clock = new RealClock();
  const bindHost = options.host ?? '127.0.0.1';
  const agentId = await loadAgentId(options.home);
  const logger = options.logger.child({ agentId });
  const resources = await detectResources({ workDir: options.home, explicit: options.resources });
  // A wildcard bind is reachable under the machine's name; a specific address is itself.
  const wildcard = bindHost === '0.0.0.0' || bindHost === '::';
  const advertiseHost = options.advertiseHost ?? (wildcard ? osHostname() : bindHost);
  const hostname = options.hostname ?? advertiseHost;
  const executor = new ProcessExecutor({
    workDir: options.home,
    agentId,
    hostname,
    clock,
    logger,
    ...(options.cgroupRoot === undefined ? {} : { cgroupRoot: options.cgroupRoot }),
  });
  const metrics = new MetricsRegistry();
  registerProcessMetrics(metrics);

  // The agent needs its URL (so the port) and the routes need the agent: the server binds
  // first and gets the agent routes right after. Until then only /health and /metrics answer,
  // and the master cannot know the URL before the agent registers.
  const late: { agent?: Agent } = {};
  const router = new Router();
  const server = createHttpService({
    router,
    logger,
    metrics,
    token: options.token,
    requireTokenForUsers: requiresUserToken(bindHost),
    health: () =>
      late.agent?.isRegistered() === true ? undefined : 'not registered with the master',
  });
  const started = await listen(server, bindHost, options.port ?? 0);
  const url = `http://${hostPort(advertiseHost, started.port)}`;
  const agent = new Agent({
    agentId,
    hostname,
    url,
    resources,
    attributes: options.attributes ?? {},
    executor,
    // A heartbeat that takes longer than a couple of intervals is as good as lost; waiting
    // longer would only leave the agent silent past the master's agent timeout.
    masterLink: new HttpMasterLink({
      masterUrl: options.masterUrl,
      token: options.token,
      timeoutMs: masterRequestTimeoutMs,
    }),
    clock,
    logger,
    metrics,
    ...(options.heartbeatIntervalMs === undefined
      ? {}
      : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
  });
  addAgentRoutes(router, {
    agent,
    sandboxDir: (taskId) => executor.sandboxDir(taskId),
    clock,
  });
  late.agent = agent;
  await agent.start();
  logger.info('agent started', { url, isolation: executor.isolation() });
  return {
    url,
    agentId,
    agent,
    async close(closeOptions) {
      await agent.stop(closeOptions);
      await started.close();
    },
  };
}
