import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A real MariaDB server for tests: no TCP (`--skip-networking`), a unix socket in a temp folder,
 * no grant tables (root without a password), small buffers. `kill` (SIGKILL) and `start` again
 * simulate an outage; the data folder survives, so rows written before the outage remain.
 */
export interface TestMariadb {
  readonly socketPath: string;
  /** `mysql://root@localhost/?socket=…` for the gateway's SQL sink. */
  readonly url: string;
  start(): Promise<void>;
  kill(): Promise<void>;
  /** SIGSTOP: the server keeps its connections but answers nothing (a stalled data plane). */
  pause(): void;
  /** SIGCONT after `pause`. */
  resume(): void;
  close(): Promise<void>;
}

const binary = ['/usr/sbin/mariadbd', '/usr/bin/mariadbd'].find((path) => existsSync(path));

/** Why the SQL sink tests cannot run here, or undefined. */
export function missingMariadb(): string | undefined {
  if (binary) return undefined;
  const found = spawnSync('sh', ['-c', 'command -v mariadbd']).status === 0;
  return found ? undefined : 'mariadbd not installed (apt-get install -y mariadb-server)';
}

export async function startTestMariadb(): Promise<TestMariadb> {
  const folder = await mkdtemp(join(tmpdir(), 'exo-mariadb-'));
  const dataDir = join(folder, 'data');
  await mkdir(dataDir);
  const socketPath = join(folder, 'mysqld.sock');
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const started = spawn(
      binary ?? 'mariadbd',
      [
        '--no-defaults',
        ...(userInfo().uid === 0 ? ['--user=root'] : []),
        `--datadir=${dataDir}`,
        `--socket=${socketPath}`,
        `--pid-file=${join(folder, 'mysqld.pid')}`,
        `--log-error=${join(folder, 'error.log')}`,
        '--skip-networking',
        '--skip-grant-tables',
        '--innodb-buffer-pool-size=16M',
        '--innodb-log-file-size=8M',
        '--skip-log-bin',
      ],
      { stdio: 'ignore' },
    );
    child = started;
    const deadline = Date.now() + 30_000;
    while (!(await accepts(socketPath))) {
      if (started.exitCode !== null) throw new Error(`mariadbd exited (${started.exitCode})`);
      if (Date.now() > deadline) throw new Error('mariadbd did not open its socket in 30 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function kill(): Promise<void> {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
    // A killed server leaves its socket file; the next start replaces it.
    await rm(socketPath, { force: true });
  }

  await start();
  return {
    socketPath,
    url: `mysql://root@localhost/?socket=${encodeURIComponent(socketPath)}`,
    start,
    kill,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    async close() {
      child?.kill('SIGCONT');
      await kill();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

function accepts(path: string): Promise<boolean> {
  if (!existsSync(path)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
