/** Starting data-plane processes for crash tests, and waiting for their port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';

const SCRIPT = fileURLToPath(new URL('./sql-process.js', import.meta.url));

export interface SqlProcess {
  readonly port: number;
  readonly child: ChildProcess;
  kill(): Promise<void>;
}

export async function startSqlProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<SqlProcess> {
  const child = spawn(process.execPath, [SCRIPT, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once('exit', (code) =>
      reject(new Error(`${args[0] ?? 'process'} exited with ${String(code)} before listening`)),
    );
  });
  return {
    port,
    child,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Two leaves and an aggregator over them, each its own process, with their folders in `home`. */
export class ProcessCluster {
  private readonly started: SqlProcess[] = [];

  private constructor(
    readonly home: string,
    readonly leaves: SqlProcess[],
    readonly aggregator: SqlProcess,
  ) {
    this.started.push(...leaves, aggregator);
  }

  static async start(home: string): Promise<ProcessCluster> {
    const leaves: SqlProcess[] = [];
    try {
      for (const index of [0, 1])
        leaves.push(await startSqlProcess(['leaf', join(home, `leaf${index}`)]));
      const ports = leaves.map((leaf) => String(leaf.port));
      const aggregator = await startSqlProcess([
        'aggregator',
        join(home, 'aggregator'),
        '0',
        ...ports,
      ]);
      return new ProcessCluster(home, leaves, aggregator);
    } catch (error) {
      for (const leaf of leaves) await leaf.kill();
      throw error;
    }
  }

  /** A mysql2 connection to the aggregator as root. */
  connect(database?: string): Promise<Connection> {
    return createConnection({
      host: '127.0.0.1',
      port: this.aggregator.port,
      user: 'root',
      ...(database !== undefined ? { database } : {}),
    });
  }

  leafDir(index: number): string {
    return join(this.home, `leaf${index}`);
  }

  /** Starts leaf `index` again on its folder and port (after its kill). */
  async restartLeaf(index: number): Promise<SqlProcess> {
    const port = String(this.leaves[index]?.port ?? 0);
    const leaf = await startSqlProcess(['leaf', this.leafDir(index), port]);
    this.leaves[index] = leaf;
    this.started.push(leaf);
    return leaf;
  }

  async close(): Promise<void> {
    for (const process of this.started) await process.kill();
  }
}
