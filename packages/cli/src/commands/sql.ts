import { join, resolve } from 'node:path';
import { createLogger } from '@exosphere/common';
import { DEFAULT_LEAF_PORT, DEFAULT_SQL_PORT, startAggregator, startLeaf } from '@exosphere/sql';
import { UsageError, type Command } from '../command.js';
import { parseFlags, parsePort } from '../flags.js';
import { untilSignal } from '../signals.js';

const USAGE = [
  'exo sql aggregator --home DIR [--host 127.0.0.1] [--port 3306] [--leaf HOST:PORT ...] [--single-node]',
  'exo sql leaf --home DIR [--host 127.0.0.1] [--port 3307]',
].join('\n       ');

function parseLeaf(value: string): { host: string; port: number } {
  const match = /^(.+):(\d+)$/.exec(value);
  if (match === null) throw new UsageError(`--leaf wants HOST:PORT, not "${value}"`);
  return {
    host: (match[1] ?? '').replace(/^\[|\]$/g, ''),
    port: parsePort(match[2], '--leaf', DEFAULT_LEAF_PORT),
  };
}

async function runAggregator(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    home: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    leaf: { type: 'string', multiple: true },
    'single-node': { type: 'boolean' },
  });
  const home = resolve(values.home ?? process.env.EXO_HOME ?? '.exosphere');
  const logger = createLogger({ fields: { process: 'sql-aggregator' } });
  const aggregator = await startAggregator({
    home: join(home, 'aggregator'),
    host: values.host ?? '127.0.0.1',
    port: parsePort(values.port, '--port', DEFAULT_SQL_PORT),
    singleNode: values['single-node'] === true,
    leaves: (values.leaf ?? []).map(parseLeaf),
    logger: (event, fields) => logger.info(event, fields),
  });
  console.log(`sql aggregator listening on mysql://root@${aggregator.host}:${aggregator.port}`);
  await untilSignal();
  await aggregator.close();
  return 0;
}

async function runLeaf(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    home: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
  });
  const home = resolve(values.home ?? process.env.EXO_HOME ?? '.exosphere');
  const leaf = await startLeaf({
    dataDir: join(home, 'leaf'),
    host: values.host ?? '127.0.0.1',
    port: parsePort(values.port, '--port', DEFAULT_LEAF_PORT),
  });
  console.log(`sql leaf listening on ${values.host ?? '127.0.0.1'}:${leaf.port}`);
  await untilSignal();
  await leaf.close();
  return 0;
}

export const sqlCommand: Command = {
  name: 'sql',
  summary: 'run the data plane: a MySQL-protocol aggregator, or a leaf holding partitions',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'aggregator') return runAggregator(rest);
    if (sub === 'leaf') return runLeaf(rest);
    throw new UsageError(`usage: ${USAGE}`);
  },
};
