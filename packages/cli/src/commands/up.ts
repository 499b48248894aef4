import { open, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createLogger, isLoopbackAddress } from '@exosphere/common';
import { masterSettingsSchema, startAgent, startMaster } from '@exosphere/cluster';
import { startGateway } from '@exosphere/gateway';
import { DEFAULT_SQL_PORT, startAggregator, startLeaf } from '@exosphere/sql';
import { loadConfig } from '@exosphere/common';
import type { Command } from '../command.js';
import { parseFlags, parsePort } from '../flags.js';
import { readSqlTls } from './sql.js';
import { untilSignal } from '../signals.js';

export const upCommand: Command = {
  name: 'up',
  summary:
    'run the whole platform on this machine (master, agent, gateway, SQL aggregator and leaf), in the foreground',
  usage:
    'exo up [--home DIR] [--master-port 8080] [--gateway-port 8000] [--gateway-admin-port 8001] [--sql-port 3306] [--sql-tls-cert FILE --sql-tls-key FILE] [--resources SPEC] [--attribute k=v ...]',
  async run(argv) {
    const { values } = parseFlags(argv, {
      home: { type: 'string' },
      'master-port': { type: 'string' },
      'agent-port': { type: 'string' },
      'gateway-port': { type: 'string' },
      'gateway-admin-port': { type: 'string' },
      'sql-port': { type: 'string' },
      'sql-tls-cert': { type: 'string' },
      'sql-tls-key': { type: 'string' },
      resources: { type: 'string' },
      attribute: { type: 'string', multiple: true },
    });
    const home = resolve(
      values.home ?? process.env.EXO_HOME ?? join(process.env.HOME ?? '.', '.exosphere'),
    );
    const host = '127.0.0.1';
    // Read before anything starts, so a bad file is reported at once.
    const sqlTls = readSqlTls({
      certFile: values['sql-tls-cert'],
      keyFile: values['sql-tls-key'],
      certFlag: '--sql-tls-cert',
      keyFlag: '--sql-tls-key',
    });
    const logger = createLogger({ fields: { process: 'up' } });
    const settings = loadConfig(masterSettingsSchema, { env: process.env });
    const master = await startMaster({
      home,
      host,
      port: parsePort(values['master-port'], '--master-port', 8080),
      logger,
      settings,
    });
    const agent = await startAgent({
      home: join(home, 'agent'),
      masterUrl: master.url,
      host,
      port: parsePort(values['agent-port'], '--agent-port', 0),
      ...(values.resources ? { resources: values.resources } : {}),
      attributes: Object.fromEntries(
        (values.attribute ?? []).map((a) => [a.split('=')[0]!, a.split('=').slice(1).join('=')]),
      ),
      token: master.token,
      logger,
    });
    await waitForAgent(master.url, agent.agentId);
    // The data plane: one leaf (port chosen by the system) and the aggregator clients use.
    const leaf = await startLeaf({ dataDir: join(home, 'sql', 'leaf'), host, port: 0 });
    const aggregator = await startAggregator({
      home: join(home, 'sql', 'aggregator'),
      host,
      port: parsePort(values['sql-port'], '--sql-port', DEFAULT_SQL_PORT),
      singleNode: true,
      leaves: [{ host, port: leaf.port }],
      ...(sqlTls !== undefined ? { tls: sqlTls } : {}),
      logger: (event, fields) => logger.info(event, fields),
    });
    const sqlUrl = `mysql://root@${aggregator.host}:${aggregator.port}`;
    const gatewayPort = parsePort(values['gateway-port'], '--gateway-port', 8000);
    const gateway = await startGateway({
      home: join(home, 'gateway'),
      host,
      port: gatewayPort,
      adminHost: host,
      // `--gateway-port 0` asks for any free port: the admin port follows unless it is given, so
      // that several platforms started that way never collide on 8001.
      adminPort: parsePort(
        values['gateway-admin-port'],
        '--gateway-admin-port',
        gatewayPort === 0 ? 0 : 8001,
      ),
      logger,
      // Routes may name a compute-plane app (`upstream.app`): this platform's master resolves it.
      master: { url: master.url, token: { value: master.token } },
      // Call records also go to this platform's data plane (exo_analytics.api_calls).
      analyticsSql: { url: sqlUrl },
    });
    const endpoints: Record<string, string> = {
      master: master.url,
      agent: agent.url,
      gateway: gateway.url,
      gateway_admin: gateway.adminUrl,
      sql: sqlUrl,
    };
    // Everything listens on loopback, where users need no token; it is written only when needed.
    if (!isLoopbackAddress(host)) endpoints.token = master.token;
    await writeJsonAtomically(join(home, 'endpoints.json'), endpoints);
    console.log(`Exosphere is up (home ${home})`);
    for (const [name, url] of Object.entries(endpoints)) console.log(`  ${name.padEnd(13)} ${url}`);
    if (master.tokenCreated)
      console.log(
        `cluster token (printed once; stored with mode 0600 in ${home}/token): ${master.token}`,
      );
    await untilSignal();
    // The gateway first: it writes its last analytics rows to the data plane while it runs.
    console.log('stopping: gateway, sql, tasks, agent, master');
    await gateway.close();
    await aggregator.close();
    await leaf.close();
    await agent.close({ killTasks: true });
    await master.close();
    return 0;
  },
};

/** Resolves once the master lists the agent (registration is asynchronous). */
async function waitForAgent(masterUrl: string, agentId: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const response = await fetch(`${masterUrl}/v1/agents/${agentId}`);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the agent did not register with the master within 10 s');
}

async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(value, null, 2) + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}
