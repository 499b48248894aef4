// A throwaway MariaDB server for benchmarks and tests: initialised in a temporary folder, listening
// on a free 127.0.0.1 port and a unix socket, stopped cleanly (SIGTERM, then SIGKILL after a
// timeout). It uses only node: modules so any test in the repository can start one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface MariadbOptions {
  /** Folder for the data files; a new temporary folder (removed by stop()) when omitted. */
  readonly dataDir?: string;
  /** InnoDB buffer pool; 2G by default. */
  readonly bufferPoolSize?: string;
  /** How long to wait for the server to accept connections; 60 s by default. */
  readonly startTimeoutMs?: number;
}

export interface MariadbHandle {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  readonly socketPath: string;
  /** mysql://root@127.0.0.1:port/ */
  readonly url: string;
  stop(): Promise<void>;
}

const stopTimeoutMs = 30_000;

function findBinary(name: string): string {
  for (const directory of ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin']) {
    const path = join(directory, name);
    if (existsSync(path)) return path;
  }
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = which.stdout.trim();
  if (which.status === 0 && path) return path;
  throw new Error(`${name} not found (apt-get install -y mariadb-server)`);
}

/** Why MariaDB cannot start here, or undefined when its binaries are installed. */
export function missingMariadb(): string | undefined {
  try {
    findBinary('mariadbd');
    findBinary('mariadb-install-db');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A port that was free a moment ago: bind port 0, read it, release it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function logTail(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).split('\n').slice(-15).join('\n');
  } catch {
    return '(no error log)';
  }
}

/**
 * Initialises and starts a MariaDB server. Settings favour a fair, durable comparison:
 * innodb_flush_log_at_trx_commit=1 (every commit reaches the disk), a 2G buffer pool so the
 * benchmark data stays in memory, no name resolution, 200 connections, LOAD DATA LOCAL allowed.
 */
export async function startMariadb(options: MariadbOptions = {}): Promise<MariadbHandle> {
  const mariadbd = findBinary('mariadbd');
  const installDb = findBinary('mariadb-install-db');
  const base = await mkdtemp(join(tmpdir(), 'exo-mariadb-'));
  const dataDir = options.dataDir ?? join(base, 'data');
  await mkdir(dataDir, { recursive: true });
  const socketPath = join(base, 'mysqld.sock');
  const errorLog = join(base, 'error.log');
  const runAsRoot = userInfo().uid === 0 ? ['--user=root'] : [];
  const removeOwned = async (): Promise<void> => {
    await rm(base, { recursive: true, force: true });
  };

  if (!existsSync(join(dataDir, 'mysql'))) {
    const install = spawnSync(
      installDb,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...runAsRoot,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (install.status !== 0) {
      await removeOwned();
      throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
    }
  }

  const port = await freePort();
  const child = spawn(
    mariadbd,
    [
      '--no-defaults',
      ...runAsRoot,
      `--datadir=${dataDir}`,
      `--socket=${socketPath}`,
      `--pid-file=${join(base, 'mysqld.pid')}`,
      `--log-error=${errorLog}`,
      '--bind-address=127.0.0.1',
      `--port=${port}`,
      `--innodb-buffer-pool-size=${options.bufferPoolSize ?? '2G'}`,
      '--innodb-flush-log-at-trx-commit=1',
      '--innodb-log-file-size=512M',
      '--skip-name-resolve',
      '--max-connections=200',
      '--local-infile=1',
      '--max-allowed-packet=64M',
      '--tmp-table-size=256M',
      '--max-heap-table-size=256M',
      '--skip-log-bin',
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const tail = await logTail(errorLog);
      await removeOwned();
      throw new Error(`mariadbd exited during start (${child.exitCode}):\n${tail}`);
    }
    if (existsSync(socketPath) && (await canConnect(port))) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      const tail = await logTail(errorLog);
      await removeOwned();
      throw new Error(`mariadbd did not accept connections in time:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    user: 'root',
    socketPath,
    url: `mysql://root@127.0.0.1:${port}/`,
    stop(): Promise<void> {
      stopped ??= (async () => {
        child.kill('SIGTERM');
        if (!(await exited(child, stopTimeoutMs))) {
          child.kill('SIGKILL');
          await exited(child, 5_000);
        }
        // A caller-provided data folder is kept; the temporary folder always goes.
        await removeOwned();
      })();
      return stopped;
    },
  };
}
