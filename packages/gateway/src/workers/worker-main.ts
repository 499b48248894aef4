// A worker process of `exo gateway --workers N` (started by primary.ts through node:cluster).
import { createLogger, silentLogger } from '@exosphere/common';
import { startGateway } from '../gateway.js';
import { isClusterMessage, type ClusterMessage, type WorkerSettings } from './messages.js';
import { WorkerLink } from './worker-link.js';

const settings = await new Promise<WorkerSettings>((resolve) => {
  process.on('message', function onStart(message: unknown) {
    if (!isClusterMessage(message) || message.exo !== 'start') return;
    process.off('message', onStart);
    resolve(message.settings);
  });
  process.send?.({ exo: 'hello' } satisfies ClusterMessage);
});
const link = new WorkerLink(settings.index, settings.workers);
const logger = settings.quiet
  ? silentLogger()
  : createLogger({ fields: { process: 'gateway', worker: settings.index } });
const gateway = await startGateway({
  home: settings.home,
  host: settings.host,
  port: settings.port,
  adminHost: settings.adminHost,
  adminPort: settings.adminPort,
  ...(settings.configPath !== undefined ? { configPath: settings.configPath } : {}),
  ...(settings.tls ? { tls: settings.tls } : {}),
  ...(settings.accessLogPath !== undefined ? { accessLogPath: settings.accessLogPath } : {}),
  master: settings.master,
  logger,
  worker: link,
  dataPath: settings.dataPath,
});
let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  void gateway.close().finally(() => {
    link.close();
    process.exit(0);
  });
};
link.handleShutdown(shutdown);
// The primary went away: a worker never serves alone (its rate limits would be wrong).
process.on('disconnect', shutdown);
// Signals go to the whole process group; the primary decides when workers stop.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
link.send({ exo: 'ready', url: gateway.url, adminUrl: gateway.adminUrl });
