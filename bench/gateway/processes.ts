import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A process the bench started, with what it printed on its first stdout line. */
export interface BenchProcess<T> {
  readonly info: T;
  readonly pid: number;
  readonly stop: () => Promise<void>;
}

/**
 * Starts `script` (a file of this folder, compiled next to this one) with Node and waits for
 * its first stdout line, a JSON object (its URLs). Fails if it exits or says nothing in time.
 */
export function startScript<T>(options: {
  script: string;
  args: readonly string[];
  startTimeoutMs?: number;
}): Promise<BenchProcess<T>> {
  const path = fileURLToPath(new URL(options.script, import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [path, ...options.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${options.script} said nothing within ${options.startTimeoutMs ?? 15_000} ms: ${errors}`,
        ),
      );
    }, options.startTimeoutMs ?? 15_000);
    child.stderr!.on(
      'data',
      (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)),
    );
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`${options.script} exited (${code}) at start: ${errors}`));
    };
    child.once('exit', onExit);
    child.stdout!.on('data', function onData(chunk: Buffer) {
      output += chunk.toString();
      const newline = output.indexOf('\n');
      if (newline < 0) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      child.off('exit', onExit);
      clearTimeout(timer);
      resolve({
        info: JSON.parse(output.slice(0, newline)) as T,
        pid: child.pid!,
        stop: () => stopChild(child),
      });
    });
  });
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
