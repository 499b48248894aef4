import { join } from 'node:path';
import {
  createHttpService,
  ensureToken,
  listen,
  MetricsRegistry,
  RealClock,
  RealRandom,
  registerProcessMetrics,
  requiresUserToken,
  Router,
  type Logger,
} from '@exosphere/common';
import { HttpAgentLink } from '../agent/http-master-link.js';
import { addAgentRoutes } from './api/agents-routes.js';
import { addAppRoutes } from './api/apps-routes.js';
import { addDeploymentRoutes } from './api/deployments-routes.js';
import { addEventRoutes } from './api/events-routes.js';
import { addEventSubscriptionRoutes } from './api/event-subscriptions-routes.js';
import { addGroupRoutes } from './api/groups-routes.js';
import { addInfoRoutes } from './api/info-routes.js';
import { addQueueRoutes } from './api/queue-routes.js';
import { addPodRoutes } from './api/pods-routes.js';
import { addTaskRoutes } from './api/tasks-routes.js';
import { addJobRoutes } from './api/jobs-routes.js';
import type { MasterSettings } from './context.js';
import { EventCallbacks } from './event-callbacks.js';
import { Master } from './master.js';
import { FileStateStore } from './store/file-store.js';

export interface StartMasterOptions {
  home: string;
  host: string;
  port: number;
  logger: Logger;
  settings?: Partial<MasterSettings>;
  version?: string;
}

export interface RunningMaster {
  url: string;
  master: Master;
  token: string;
  /** True when this start generated the token (print it once). */
  tokenCreated: boolean;
  close(): Promise<void>;
}

/** Opens the durable store under HOME/master, starts the scheduling loop and serves the API. */
export async function startMaster(options: StartMasterOptions): Promise<RunningMaster> {
  const token = await ensureToken(options.home);
  const store = await FileStateStore.open({ directory: join(options.home, 'master') });
  const metrics = new MetricsRegistry();
  registerProcessMetrics(metrics);
  const logger = options.logger.child({ component: 'master' });
  const master = await Master.create({
    store,
    clock: new RealClock(),
    random: new RealRandom(),
    logger,
    metrics,
    agentLink: new HttpAgentLink({ token: token.token }),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const callbacks = await EventCallbacks.load(master.context);
  const router = new Router();
  const server = createHttpService({
    router,
    logger,
    metrics,
    token: token.token,
    requireTokenForUsers: requiresUserToken(options.host),
  });
  const started = await listen(server, options.host, options.port);
  const startedAt = Date.now();
  addInfoRoutes(router, master, {
    url: started.url,
    version: options.version ?? '0.1.0',
    startedAt,
  });
  addAppRoutes(router, master);
  addGroupRoutes(router, master);
  addTaskRoutes(router, master);
  addDeploymentRoutes(router, master);
  addQueueRoutes(router, master);
  addPodRoutes(router);
  addEventRoutes(router, master);
  addEventSubscriptionRoutes(router, callbacks);
  addAgentRoutes(router, master);
  addJobRoutes(router, master);
  master.start();
  logger.info('master started', { url: started.url, masterId: master.context.masterId });
  return {
    url: started.url,
    master,
    token: token.token,
    tokenCreated: token.created,
    close: async () => {
      await started.close();
      callbacks.close();
      await master.stop();
      await store.close();
    },
  };
}
