import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createLogger, silentLogger, type Logger } from '@exosphere/common';
import { LeaseCounters } from './lease-counters.js';
import { isClusterMessage, type ClusterMessage, type WorkerSettings } from './messages.js';

export interface GatewayClusterOptions {
  /** Worker processes (1 to 64); each runs the whole data plane. */
  readonly workers: number;
  readonly home: string;
  readonly host?: string;
  readonly port?: number;
  readonly adminHost?: string;
  readonly adminPort?: number;
  readonly configPath?: string;
  /** PEM text (serialized to the workers). */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  readonly accessLogPath?: string;
  readonly master?: WorkerSettings['master'];
  /** No log lines (benchmarks, tests). */
  readonly quiet?: boolean;
  /** The data plane's HTTP stack of every worker (gateway.ts `dataPath`; default 'fast'). */
  readonly dataPath?: 'fast' | 'node';
  /** How long to wait for each worker to serve (default 60 s). */
  readonly startTimeoutMs?: number;
}

export interface RunningGatewayCluster {
  readonly url: string;
  readonly adminUrl: string;
  readonly workers: number;
  /** Process ids of the workers now (a restarted worker has a new one). */
  workerPids(): number[];
  close(): Promise<void>;
}

/** Tokens in one rate-limit lease at most (see lease-counters.ts). */
const leaseMax = 1024;
const workersMax = 64;
const restartDelayMs = 1000;

/**
 * The default worker count of `exo gateway`: one per core the process may use. `exo up`
 * keeps one, because its gateway shares the machine with the master, agents and data plane.
 */
export function defaultGatewayWorkers(): number {
  return Math.max(1, Math.min(workersMax, availableParallelism()));
}

/**
 * Runs the gateway in `workers` processes with node:cluster. The primary serves no request:
 * it accepts connections and hands them to the workers (node:cluster's round-robin; Node 20
 * has no SO_REUSEPORT option), holds the exact rate-limit counters and grants leases of them,
 * relays configuration and catalog changes, analytics and metrics, and restarts a worker that
 * dies. Worker 0 serves the admin API, sums the analytics of every worker and aggregates
 * /metrics with a `worker` label. Worker 0 starts first, so state files created at first start
 * (signing keys) are created once.
 */
export async function startGatewayCluster(
  options: GatewayClusterOptions,
): Promise<RunningGatewayCluster> {
  if (!Number.isInteger(options.workers) || options.workers < 1 || options.workers > workersMax)
    throw new Error(`workers must be an integer from 1 to ${workersMax}`);
  if (!cluster.isPrimary) throw new Error('startGatewayCluster runs in a primary process');
  const logger: Logger = options.quiet
    ? silentLogger()
    : createLogger({ fields: { process: 'gateway', role: 'primary' } });
  const counters = new LeaseCounters({ workers: options.workers, leaseMax, keysMax: 1_000_000 });
  const base: Omit<WorkerSettings, 'index'> = {
    workers: options.workers,
    home: options.home,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    adminHost: options.adminHost ?? '127.0.0.1',
    adminPort: options.adminPort ?? 0,
    configPath: options.configPath,
    tls: options.tls
      ? { cert: options.tls.cert.toString(), key: options.tls.key.toString() }
      : undefined,
    accessLogPath: options.accessLogPath,
    master: options.master,
    quiet: options.quiet ?? false,
    dataPath: options.dataPath ?? 'fast',
  };
  cluster.setupPrimary({
    exec: fileURLToPath(new URL('./worker-main.js', import.meta.url)),
    args: [],
    serialization: 'advanced',
  });
  const slots: Array<Worker | undefined> = new Array<Worker | undefined>(options.workers);
  let closing = false;
  let nextId = 1;
  const gathering = new Map<
    number,
    {
      from: Worker;
      requestId: number;
      waiting: Set<number>;
      done: (index: number, text?: string) => void;
    }
  >();

  const send = (worker: Worker | undefined, message: ClusterMessage): void => {
    if (worker?.isConnected()) worker.send(message);
  };

  /** Fans a request out to every other worker and answers `from` once all did (or time is up). */
  function fanOut(
    from: Worker,
    fromIndex: number,
    requestId: number,
    message: (id: number) => ClusterMessage,
    finish: (texts: Array<{ worker: number; text: string }>) => ClusterMessage,
  ): void {
    const id = nextId++;
    const texts: Array<{ worker: number; text: string }> = [];
    const waiting = new Set<number>();
    slots.forEach((worker, index) => {
      if (index !== fromIndex && worker?.isConnected()) waiting.add(index);
    });
    const timer = setTimeout(() => complete(), 10_000);
    const complete = (): void => {
      clearTimeout(timer);
      gathering.delete(id);
      send(from, finish(texts));
    };
    gathering.set(id, {
      from,
      requestId,
      waiting,
      done: (index, text) => {
        waiting.delete(index);
        if (text !== undefined) texts.push({ worker: index, text });
        if (waiting.size === 0) complete();
      },
    });
    if (waiting.size === 0) return complete();
    for (const index of waiting) send(slots[index], message(id));
  }

  function onMessage(worker: Worker, index: number, message: ClusterMessage): void {
    switch (message.exo) {
      case 'lease': {
        const granted = counters.grant(message);
        send(worker, { exo: 'lease-granted', id: message.id, ...granted });
        return;
      }
      case 'changed':
        fanOut(
          worker,
          index,
          message.id,
          (id) => ({ exo: 'reload', id, what: message.what }),
          () => ({ exo: 'propagated', id: message.id }),
        );
        return;
      case 'reloaded':
        gathering.get(message.id)?.done(index);
        return;
      case 'metrics-request':
        fanOut(
          worker,
          index,
          message.id,
          (id) => ({ exo: 'metrics-request', id }),
          (texts) => ({ exo: 'metrics-gathered', id: message.id, texts }),
        );
        return;
      case 'metrics':
        gathering.get(message.id)?.done(index, message.text);
        return;
      case 'analytics':
        if (index !== 0) send(slots[0], message);
        return;
      default:
        return;
    }
  }

  function fork(index: number): Promise<{ url: string; adminUrl: string }> {
    const worker = cluster.fork({ EXO_GATEWAY_WORKER: String(index) });
    slots[index] = worker;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `gateway worker ${index} did not start within ${options.startTimeoutMs ?? 60_000} ms`,
            ),
          ),
        options.startTimeoutMs ?? 60_000,
      );
      let ready = false;
      worker.on('message', (message: unknown) => {
        if (!isClusterMessage(message)) return;
        if (message.exo === 'hello') {
          send(worker, { exo: 'start', settings: { ...base, index } });
          return;
        }
        if (message.exo === 'ready' && !ready) {
          ready = true;
          clearTimeout(timer);
          resolve({ url: message.url, adminUrl: message.adminUrl });
          return;
        }
        onMessage(worker, index, message);
      });
      worker.on('exit', (code, signal) => {
        clearTimeout(timer);
        for (const request of gathering.values()) request.done(index);
        if (slots[index] === worker) slots[index] = undefined;
        if (!ready) {
          reject(new Error(`gateway worker ${index} exited at start (${signal ?? code})`));
          return;
        }
        if (closing) return;
        logger.error('gateway worker died; restarting it', { worker: index, code, signal });
        setTimeout(() => {
          if (!closing)
            fork(index).catch((error: unknown) =>
              logger.error('gateway worker did not restart', { worker: index, error }),
            );
        }, restartDelayMs).unref();
      });
    });
  }

  async function stopAll(): Promise<void> {
    closing = true;
    await Promise.all(
      slots.map(async (worker) => {
        if (worker === undefined || worker.isDead()) return;
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        send(worker, { exo: 'shutdown' });
        const timer = setTimeout(() => worker.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  try {
    // Worker 0 first: it creates what a first start creates (signing keys) before the others read it.
    const first = await fork(0);
    const others = [];
    for (let index = 1; index < options.workers; index++) others.push(fork(index));
    await Promise.all(others);
    logger.info('gateway workers serving', { workers: options.workers, url: first.url });
    return {
      url: first.url,
      adminUrl: first.adminUrl,
      workers: options.workers,
      workerPids: () =>
        slots.flatMap((worker) => (worker?.process.pid === undefined ? [] : [worker.process.pid])),
      close: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
