/** Starting data-plane processes for crash tests, and waiting for their port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

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
