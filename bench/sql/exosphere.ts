// Starts a throwaway Exosphere data plane for benchmarks: N leaves and one aggregator, each its
// own process (`exo sql leaf`, `exo sql aggregator`), with their files in a temporary folder.
// The leaves share this machine, so each gets its share of its cores (`--cores`), as leaves
// sharing a host are deployed: with two leaves each using every core, four engine threads ran
// on two cores and TPC-H took 15–20 % longer.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const EXO = fileURLToPath(new URL('../../../packages/cli/dist/src/main.js', import.meta.url));

export interface ExosphereHandle {
  readonly url: string;
  stop(): Promise<void>;
}

async function start(
  args: readonly string[],
  pattern: RegExp,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [EXO, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const match = pattern.exec(line);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once('exit', (code) =>
      reject(new Error(`exo ${args.join(' ')} exited with ${String(code)}`)),
    );
  });
  return { child, port };
}

export async function startExosphere(options: { leaves: number }): Promise<ExosphereHandle> {
  const home = await mkdtemp(join(tmpdir(), 'exo-bench-sql-'));
  const children: ChildProcess[] = [];
  const leafPorts: number[] = [];
  const cores = Math.max(1, Math.floor(availableParallelism() / options.leaves));
  for (let index = 0; index < options.leaves; index += 1) {
    const leaf = await start(
      [
        'sql',
        'leaf',
        '--home',
        join(home, `leaf${index}`),
        '--port',
        '0',
        '--cores',
        String(cores),
      ],
      /listening on [^:]+:(\d+)/,
    );
    children.push(leaf.child);
    leafPorts.push(leaf.port);
  }
  const aggregator = await start(
    [
      'sql',
      'aggregator',
      '--home',
      join(home, 'aggregator'),
      '--port',
      '0',
      '--single-node',
      ...leafPorts.flatMap((port) => ['--leaf', `127.0.0.1:${port}`]),
    ],
    /listening on mysql:\/\/root@[^:]+:(\d+)/,
  );
  children.push(aggregator.child);
  return {
    url: `mysql://root@127.0.0.1:${aggregator.port}/`,
    stop: async () => {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
      await rm(home, { recursive: true, force: true });
    },
  };
}
