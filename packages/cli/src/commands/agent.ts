import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createLogger } from '@exosphere/common';
import { startAgent } from '@exosphere/cluster';
import { UsageError, type Command } from '../command.js';
import { parseAttributes, parseFlags, parsePort } from '../flags.js';
import { untilSignal } from '../signals.js';

export const agentCommand: Command = {
  name: 'agent',
  summary: 'run an agent that joins a master and runs its tasks',
  usage:
    "exo agent --home DIR --master URL [--host 127.0.0.1] [--port 5051] [--advertise-host H] [--hostname NAME] [--resources 'cpus=2;mem=4096;disk=10000;ports=[31000-32000]'] [--attribute k=v ...] [--token T | --token-file F] [--heartbeat-interval-ms N]",
  async run(argv) {
    const { values } = parseFlags(argv, {
      home: { type: 'string' },
      master: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'advertise-host': { type: 'string' },
      hostname: { type: 'string' },
      resources: { type: 'string' },
      attribute: { type: 'string', multiple: true },
      token: { type: 'string' },
      'token-file': { type: 'string' },
      'heartbeat-interval-ms': { type: 'string' },
      'kill-tasks-on-exit': { type: 'boolean' },
    });
    if (!values.master) throw new UsageError('--master URL is required');
    const home = resolve(values.home ?? process.env.EXO_HOME ?? '.exosphere-agent');
    const token = await readToken(values.token, values['token-file'], home);
    const logger = createLogger({ fields: { process: 'agent' } });
    const agent = await startAgent({
      home,
      masterUrl: values.master,
      host: values.host ?? '127.0.0.1',
      port: parsePort(values.port, '--port', 5051),
      ...(values['advertise-host'] ? { advertiseHost: values['advertise-host'] } : {}),
      ...(values.hostname ? { hostname: values.hostname } : {}),
      ...(values.resources ? { resources: values.resources } : {}),
      attributes: parseAttributes(values.attribute),
      token,
      logger,
      ...(values['heartbeat-interval-ms']
        ? { heartbeatIntervalMs: Number(values['heartbeat-interval-ms']) }
        : {}),
    });
    console.log(`agent ${agent.agentId} listening on ${agent.url}`);
    await untilSignal();
    // Tasks keep running across an agent restart; the next agent process re-attaches to them.
    await agent.close({ killTasks: values['kill-tasks-on-exit'] ?? false });
    return 0;
  },
};

/** The cluster token: --token, --token-file, EXO_TOKEN, or HOME/token (shared with a master). */
async function readToken(
  token: string | undefined,
  tokenFile: string | undefined,
  home: string,
): Promise<string> {
  if (token) return token;
  if (process.env.EXO_TOKEN) return process.env.EXO_TOKEN;
  for (const path of tokenFile ? [tokenFile] : [join(home, 'token')]) {
    try {
      const value = (await readFile(path, 'utf8')).trim();
      if (value) return value;
    } catch (error) {
      if (tokenFile)
        throw new UsageError(`cannot read --token-file ${tokenFile}: ${(error as Error).message}`);
    }
  }
  throw new UsageError(
    'the agent needs the cluster token: --token, --token-file, EXO_TOKEN, or HOME/token',
  );
}
