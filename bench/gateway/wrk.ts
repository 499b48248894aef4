import { spawn, spawnSync } from 'node:child_process';

export interface WrkResult {
  readonly requestsPerSecond: number;
  /** Requests completed during the run. */
  readonly requests: number;
  /**
   * CPU time the measured proxy's processes used per request, in µs (user + system, from
   * /proc); NaN when not measured.
   */
  readonly cpuUsPerRequest: number;
  /** The same for the origin process, which every proxy shares. */
  readonly originCpuUsPerRequest: number;
  /** CPU time of the whole machine per request, in µs, all processes included. */
  readonly machineCpuUsPerRequest: number;
  /** Share of the machine's CPU time that was busy during the run (0 to 1). */
  readonly machineBusy: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

/** Why the bench cannot run here, or undefined when wrk and nginx are installed. */
export function missingTools(): string | undefined {
  const missing = ['wrk', 'nginx'].filter(
    (tool) =>
      spawnSync('sh', ['-c', `command -v ${tool} || test -x /usr/sbin/${tool}`]).status !== 0,
  );
  return missing.length
    ? `${missing.join(' and ')} not installed (apt-get install -y wrk nginx-light; scripts/setup.sh does it)`
    : undefined;
}

/** Runs wrk and parses Requests/sec and the 50 % / 99 % latencies of `--latency`. */
export function runWrk(options: {
  url: string;
  durationSeconds: number;
  connections: number;
  threads: number;
  headers?: Readonly<Record<string, string>> | undefined;
}): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const headers = Object.entries(options.headers ?? {}).flatMap(([name, value]) => [
      '-H',
      `${name}: ${value}`,
    ]);
    const wrk = spawn('wrk', [
      `-t${options.threads}`,
      `-c${options.connections}`,
      `-d${options.durationSeconds}s`,
      '--latency',
      ...headers,
      options.url,
    ]);
    let output = '';
    wrk.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    wrk.on('error', reject);
    wrk.on('exit', () => {
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
      if (!rps) return reject(new Error(`cannot parse wrk output:\n${output}`));
      const total = /(\d+) requests in/.exec(output);
      const errors = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
      const socketErrors =
        /Socket errors:.*?connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
      resolve({
        requestsPerSecond: Number(rps[1]),
        requests: Number(total?.[1] ?? NaN),
        cpuUsPerRequest: NaN,
        originCpuUsPerRequest: NaN,
        machineCpuUsPerRequest: NaN,
        machineBusy: NaN,
        p50Ms: latencyMs(output, '50%'),
        p99Ms: latencyMs(output, '99%'),
        errors:
          Number(errors?.[1] ?? 0) +
          (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
      });
    });
  });
}

/**
 * The run with the median requests/s (the upper middle one for an even count), with the median
 * CPU per request of all runs (CPU per request is steadier than requests/s on a shared
 * machine, and the two medians need not come from the same run).
 */
export function median(results: readonly WrkResult[]): WrkResult {
  const sorted = [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error('no wrk run to take the median of');
  const middleOf = (read: (result: WrkResult) => number): number =>
    results.map(read).sort((a, b) => a - b)[Math.floor(results.length / 2)] ?? NaN;
  return {
    ...middle,
    cpuUsPerRequest: middleOf((result) => result.cpuUsPerRequest),
    originCpuUsPerRequest: middleOf((result) => result.originCpuUsPerRequest),
    machineCpuUsPerRequest: middleOf((result) => result.machineCpuUsPerRequest),
    machineBusy: middleOf((result) => result.machineBusy),
  };
}

function latencyMs(output: string, percentile: string): number {
  const match = new RegExp(`${percentile}\\s+([\\d.]+)(us|ms|s)`).exec(output);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}
