import { resolve } from 'node:path';
import { createLogger, loadConfig } from '@exosphere/common';
import { masterSettingsSchema, startMaster } from '@exosphere/cluster';
import type { Command } from '../command.js';
import { parseFlags, parsePort } from '../flags.js';
import { untilSignal } from '../signals.js';

export const masterCommand: Command = {
  name: 'master',
  summary: 'run a master (cluster state, scheduler, Marathon-compatible API)',
  usage:
    'exo master --home DIR [--host 127.0.0.1] [--port 8080] [--config FILE.json] [--heartbeat-interval-ms N] [--agent-timeout-ms N] [--placement-strategy binpack|spread] [--job-history-max N]',
  async run(argv) {
    const { values } = parseFlags(argv, {
      home: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      config: { type: 'string' },
      'heartbeat-interval-ms': { type: 'string' },
      'agent-timeout-ms': { type: 'string' },
      'reconcile-interval-ms': { type: 'string' },
      'job-history-max': { type: 'string' },
      'placement-strategy': { type: 'string' },
    });
    const home = resolve(values.home ?? process.env.EXO_HOME ?? '.exosphere');
    const settings = loadConfig(masterSettingsSchema, {
      file: values.config,
      env: process.env,
      flags: {
        heartbeatIntervalMs: values['heartbeat-interval-ms'],
        agentTimeoutMs: values['agent-timeout-ms'],
        reconcileIntervalMs: values['reconcile-interval-ms'],
        jobHistoryMax: values['job-history-max'],
        placementStrategy: values['placement-strategy'],
      },
    });
    const logger = createLogger({ fields: { process: 'master' } });
    const running = await startMaster({
      home,
      host: values.host ?? '127.0.0.1',
      port: parsePort(values.port, '--port', 8080),
      logger,
      settings,
    });
    console.log(`master listening on ${running.url}`);
    if (running.tokenCreated) {
      console.log(
        `cluster token (printed once; stored with mode 0600 in ${home}/token): ${running.token}`,
      );
    }
    await untilSignal();
    await running.close();
    return 0;
  },
};
