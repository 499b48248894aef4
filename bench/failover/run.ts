/**
 * Benchmark (b): failover with real processes. One master and two agents run as real
 * `exo` processes on loopback. An app with one instance and an HTTP health check runs on one
 * agent; the benchmark SIGKILLs that agent and measures the time until a replacement is
 * RUNNING and healthy on the other one. The killed agent is then restarted (its orphaned task
 * is killed as a duplicate) and the next run kills whichever agent now hosts the task.
 *
 * Usage: node bench/dist/failover/run.js [--runs 20] [--agent-timeout-ms 3000] [--heartbeat-interval-ms 500]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const exoMain = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'packages',
  'cli',
  'dist',
  'src',
  'main.js',
);

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown>;
}

function startExo(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [exoMain, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, EXO_LOG_LEVEL: 'warn' },
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`exo ${args[0]} did not start: ${text}`)),
      20_000,
    );
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, exited });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  });
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json' } });
  return (await response.json()) as T;
}

interface Task {
  id: string;
  agentId: string;
  state: string;
  healthy?: boolean;
}

async function until<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface FailoverOptions {
  runs: number;
  agentTimeoutMs: number;
  heartbeatIntervalMs: number;
}

export interface FailoverResult {
  runsMs: number[];
  medianMs: number;
  p99Ms: number;
  maxMs: number;
}

export async function runFailoverBench(options: FailoverOptions): Promise<FailoverResult> {
  const home = await mkdtemp(join(tmpdir(), 'exo-bench-failover-'));
  const processes: Running[] = [];
  try {
    const master = await startExo([
      'master',
      '--home',
      join(home, 'master'),
      '--port',
      '0',
      '--agent-timeout-ms',
      String(options.agentTimeoutMs),
      '--heartbeat-interval-ms',
      String(options.heartbeatIntervalMs),
    ]);
    processes.push(master);
    const token = (await readFile(join(home, 'master', 'token'), 'utf8')).trim();
    const agents: Running[] = [];
    const startAgent = async (index: number): Promise<Running> => {
      const base = 20000 + index * 1000 + Math.floor(Math.random() * 9) * 100;
      const agent = await startExo([
        'agent',
        '--home',
        join(home, `agent${index}`),
        '--master',
        master.url,
        '--port',
        '0',
        '--token',
        token,
        '--hostname',
        `127.0.0.${index + 1}`,
        '--resources',
        `cpus=2;mem=1024;disk=100;ports=[${base}-${base + 99}]`,
      ]);
      agents[index] = agent;
      processes.push(agent);
      return agent;
    };
    await startAgent(0);
    await startAgent(1);
    const agentIds = async (): Promise<Map<string, number>> => {
      const { agents: list } = await json<{ agents: { id: string; hostname: string }[] }>(
        `${master.url}/v1/agents`,
      );
      return new Map(list.map((a) => [a.id, Number(a.hostname.split('.')[3]) - 1]));
    };
    await until(async () => ((await agentIds()).size === 2 ? true : undefined), 10_000, 'agents');
    await json(`${master.url}/v2/apps`, {
      method: 'POST',
      body: JSON.stringify({
        id: '/bench/failover',
        cmd: 'exec python3 -m http.server --bind 127.0.0.1 $PORT0',
        // Marathon's default cpus. The agent enforces it with a CFS quota, so a tiny share
        // would measure the interpreter's throttled start-up, not failover.
        cpus: 1,
        mem: 64,
        healthChecks: [
          {
            protocol: 'HTTP',
            path: '/',
            intervalSeconds: 0.5,
            timeoutSeconds: 1,
            gracePeriodSeconds: 10,
            maxConsecutiveFailures: 3,
          },
        ],
      }),
    });
    const healthyTask = async (excludeAgent?: string): Promise<Task | undefined> => {
      const { tasks } = await json<{ tasks: Task[] }>(`${master.url}/v2/apps/bench/failover/tasks`);
      return tasks.find(
        (t) => t.state === 'TASK_RUNNING' && t.healthy === true && t.agentId !== excludeAgent,
      );
    };
    const runsMs: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      // The previous run's returning duplicate must be gone first, or it could be picked.
      const task = await until(
        async () => {
          const { tasks } = await json<{ tasks: Task[] }>(
            `${master.url}/v2/apps/bench/failover/tasks`,
          );
          const only = tasks.length === 1 ? tasks[0] : undefined;
          return only && only.state === 'TASK_RUNNING' && only.healthy === true ? only : undefined;
        },
        30_000,
        'exactly one healthy task',
      );
      await until(
        async () => {
          const { agents: list } = await json<{ agents: { condition: string }[] }>(
            `${master.url}/v1/agents`,
          );
          return list.every((a) => a.condition === 'active') ? true : undefined;
        },
        30_000,
        'both agents active',
      );
      const index = (await agentIds()).get(task.agentId)!;
      const victim = agents[index]!;
      const started = performance.now();
      victim.child.kill('SIGKILL');
      await until(() => healthyTask(task.agentId), 60_000, 'a healthy replacement');
      const elapsed = performance.now() - started;
      runsMs.push(elapsed);
      console.log(`run ${run + 1}/${options.runs}: ${elapsed.toFixed(0)} ms`);
      await victim.exited;
      await startAgent(index);
    }
    const sorted = [...runsMs].sort((a, b) => a - b);
    const quantile = (q: number): number =>
      sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
    return { runsMs, medianMs: quantile(0.5), p99Ms: quantile(0.99), maxMs: sorted.at(-1)! };
  } finally {
    await fetch(`${processes[0]?.url}/v2/apps/bench/failover?force=true`, {
      method: 'DELETE',
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    for (const running of processes.reverse()) {
      if (running.child.exitCode === null && running.child.signalCode === null) {
        running.child.kill('SIGTERM');
        await running.exited;
      }
    }
    await rm(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      'agent-timeout-ms': { type: 'string' },
      'heartbeat-interval-ms': { type: 'string' },
    },
  });
  const result = await runFailoverBench({
    runs: Number(values.runs ?? 20),
    agentTimeoutMs: Number(values['agent-timeout-ms'] ?? 3000),
    heartbeatIntervalMs: Number(values['heartbeat-interval-ms'] ?? 500),
  });
  console.log(
    `\nfailover (SIGKILL of agent → replacement RUNNING and healthy), ${result.runsMs.length} runs:`,
  );
  console.log(
    `  median ${(result.medianMs / 1000).toFixed(2)} s, p99 ${(result.p99Ms / 1000).toFixed(2)} s, max ${(result.maxMs / 1000).toFixed(2)} s (target ≤ 5 s)`,
  );
  console.log('  anchors (defaults): Mesos+Marathon ≈ 78 s, Kubernetes ≈ 6 min, Nomad 20–30 s');
}
