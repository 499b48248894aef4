import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createLogger, loadConfig } from '@exosphere/common';
import {
  defaultGatewayWorkers,
  defaultMasterOf,
  gatewayMasterSettingsSchema,
  startGateway,
  startGatewayCluster,
  type DataPath,
} from '@exosphere/gateway';
import { UsageError, type Command } from '../command.js';
import { parseFlags, parsePort } from '../flags.js';
import { untilSignal } from '../signals.js';

export const gatewayCommand: Command = {
  name: 'gateway',
  summary:
    'run the API gateway (reverse proxy with declarative YAML configuration and an admin API)',
  usage:
    'exo gateway --home DIR [--host 127.0.0.1] [--port 8000] [--admin-host 127.0.0.1] [--admin-port 8001] [--config FILE.yaml] [--tls-cert FILE --tls-key FILE] [--access-log FILE] [--master-url URL [--master-token-file FILE]] [--workers N|auto (default 1; auto: one per core)] [--data-path fast|node (default fast)]',
  async run(argv) {
    const { values } = parseFlags(argv, {
      home: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'admin-host': { type: 'string' },
      'admin-port': { type: 'string' },
      config: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'access-log': { type: 'string' },
      'master-url': { type: 'string' },
      'master-token-file': { type: 'string' },
      workers: { type: 'string' },
      'data-path': { type: 'string' },
    });
    const dataPath = parseDataPath(values['data-path']);
    const workers = parseWorkers(values.workers);
    const home = resolve(values.home ?? process.env.EXO_HOME ?? '.exosphere');
    if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined))
      throw new UsageError('--tls-cert and --tls-key go together');
    const tls =
      values['tls-cert'] && values['tls-key']
        ? { cert: await readFile(values['tls-cert']), key: await readFile(values['tls-key']) }
        : undefined;
    // The master for `app` upstreams: flags, else EXO_MASTER_URL / EXO_MASTER_TOKEN(_FILE).
    const masterSettings = loadConfig(gatewayMasterSettingsSchema, {
      env: process.env,
      flags: {
        masterUrl: values['master-url'],
        masterTokenFile: values['master-token-file'],
      },
    });
    const common = {
      home,
      host: values.host ?? '127.0.0.1',
      port: parsePort(values.port, '--port', 8000),
      adminHost: values['admin-host'] ?? '127.0.0.1',
      adminPort: parsePort(values['admin-port'], '--admin-port', 8001),
      ...(values.config ? { configPath: resolve(values.config) } : {}),
      ...(tls ? { tls } : {}),
      ...(values['access-log'] ? { accessLogPath: resolve(values['access-log']) } : {}),
      master: defaultMasterOf(masterSettings),
      dataPath,
    };
    // One worker runs in this process; more run under node:cluster, this process their primary.
    const running =
      workers === 1
        ? await startGateway({
            ...common,
            logger: createLogger({ fields: { process: 'gateway' } }),
          })
        : await startGatewayCluster({ ...common, workers });
    if (workers > 1) console.log(`gateway workers: ${workers}`);
    console.log(`gateway listening on ${running.url}`);
    console.log(`gateway admin listening on ${running.adminUrl}`);
    console.log(`gateway configuration: ${common.configPath ?? resolve(home, 'gateway.yaml')}`);
    await untilSignal();
    await running.close();
    return 0;
  },
};

/**
 * The plain-HTTP data plane's stack: `fast` (the gateway's own HTTP/1.1 path, handing what it
 * does not serve to node:http) or `node` (node:http and undici for every request).
 */
function parseDataPath(value: string | undefined): DataPath {
  if (value === undefined || value === 'fast' || value === 'node') return value ?? 'fast';
  throw new UsageError('--data-path must be fast or node');
}

function parseWorkers(value: string | undefined): number {
  // One process by default: response caches, circuit breakers and health state are per
  // process, so several workers change what one instance observes; `auto` opts in.
  if (value === undefined) return 1;
  if (value === 'auto') return defaultGatewayWorkers();
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new UsageError('--workers must be auto or an integer from 1 to 64');
  return workers;
}
