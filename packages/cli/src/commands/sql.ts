import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLogger } from '@exosphere/common';
import { DEFAULT_LEAF_PORT, DEFAULT_SQL_PORT, startAggregator, startLeaf } from '@exosphere/sql';
import { UsageError, type Command } from '../command.js';
import { parseFlags, parsePort } from '../flags.js';
import { untilSignal } from '../signals.js';

const USAGE = [
  'exo sql aggregator --home DIR [--host 127.0.0.1] [--port 3306] [--leaf HOST:PORT ...] [--single-node]\n' +
    '                    [--tls-cert FILE --tls-key FILE [--require-secure-transport]] [--no-local-reads] [--no-local-writes]',
  'exo sql leaf --home DIR [--host 127.0.0.1] [--port 3307] [--cores N]',
].join('\n       ');

function parseLeaf(value: string): { host: string; port: number } {
  const match = /^(.+):(\d+)$/.exec(value);
  if (match === null) throw new UsageError(`--leaf wants HOST:PORT, not "${value}"`);
  return {
    host: (match[1] ?? '').replace(/^\[|\]$/g, ''),
    port: parsePort(match[2], '--leaf', DEFAULT_LEAF_PORT),
  };
}

/**
 * Reads the PEM certificate and key that enable TLS on the MySQL port. Both flags or neither;
 * undefined when neither is given.
 */
export function readSqlTls(options: {
  certFile: string | undefined;
  keyFile: string | undefined;
  certFlag: string;
  keyFlag: string;
}): { cert: string; key: string } | undefined {
  const { certFile, keyFile, certFlag, keyFlag } = options;
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined)
    throw new UsageError(`${certFlag} and ${keyFlag} go together`);
  const read = (file: string, flag: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`${flag}: cannot read ${file}: ${(error as Error).message}`);
    }
  };
  return { cert: read(certFile, certFlag), key: read(keyFile, keyFlag) };
}

async function runAggregator(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    home: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    leaf: { type: 'string', multiple: true },
    'single-node': { type: 'boolean' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'require-secure-transport': { type: 'boolean' },
    'no-local-reads': { type: 'boolean' },
    'no-local-writes': { type: 'boolean' },
  });
  const tls = readSqlTls({
    certFile: values['tls-cert'],
    keyFile: values['tls-key'],
    certFlag: '--tls-cert',
    keyFlag: '--tls-key',
  });
  const requireSecureTransport = values['require-secure-transport'] === true;
  if (requireSecureTransport && tls === undefined)
    throw new UsageError('--require-secure-transport needs --tls-cert and --tls-key');
  const home = resolve(values.home ?? process.env.EXO_HOME ?? '.exosphere');
  const logger = createLogger({ fields: { process: 'sql-aggregator' } });
  const aggregator = await startAggregator({
    home: join(home, 'aggregator'),
    host: values.host ?? '127.0.0.1',
    port: parsePort(values.port, '--port', DEFAULT_SQL_PORT),
    singleNode: values['single-node'] === true,
    leaves: (values.leaf ?? []).map(parseLeaf),
    ...(tls !== undefined ? { tls } : {}),
    requireSecureTransport,
    localReads: values['no-local-reads'] !== true,
    localWrites: values['no-local-writes'] !== true,
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
    cores: { type: 'string' },
  });
  const home = resolve(values.home ?? process.env.EXO_HOME ?? '.exosphere');
  const cores = parseCores(values.cores);
  const leaf = await startLeaf({
    dataDir: join(home, 'leaf'),
    host: values.host ?? '127.0.0.1',
    port: parsePort(values.port, '--port', DEFAULT_LEAF_PORT),
    ...(cores !== undefined ? { cores } : {}),
  });
  console.log(`sql leaf listening on ${values.host ?? '127.0.0.1'}:${leaf.port}`);
  await untilSignal();
  await leaf.close();
  return 0;
}

/**
 * The cores a leaf uses (its engine's threads, and one partition per core in a new database's
 * default): all of the machine's by default; a share of them when several leaves run on one.
 */
function parseCores(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const cores = Number(value);
  if (!/^\d+$/.test(value) || cores < 1 || cores > 1024)
    throw new UsageError(`--cores must be a whole number 1-1024, got '${value}'`);
  return cores;
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
