import type { RecordBatch } from '../analytics/record-batch.js';
import type { TokenSource } from '../discovery/master-api.js';

/**
 * The IPC messages between the primary of `exo gateway --workers N` and its workers (node:cluster
 * channels, structured-clone serialization). Every message has `exo`, its kind; a request that
 * expects an answer carries an `id` the answer repeats.
 */
export type ClusterMessage =
  /**
   * worker → primary, once its listener is attached (a message sent before that would be
   * lost); the primary answers `start` with the worker's settings.
   */
  | { readonly exo: 'hello' }
  | { readonly exo: 'start'; readonly settings: WorkerSettings }
  /** worker → primary: the worker serves. */
  | { readonly exo: 'ready'; readonly url: string; readonly adminUrl: string }
  /** worker → primary: tokens for one window of one rate-limit key (see lease-counters.ts). */
  | {
      readonly exo: 'lease';
      readonly id: number;
      readonly key: string;
      readonly windowMs: number;
      readonly windowStartMs: number;
      readonly limit: number;
    }
  /** primary → worker: `tokens` granted (0: the window is used up); `count` taken so far. */
  | {
      readonly exo: 'lease-granted';
      readonly id: number;
      readonly tokens: number;
      readonly count: number;
    }
  /** admin worker → primary: the configuration or the API catalog changed on disk. */
  | { readonly exo: 'changed'; readonly id: number; readonly what: ChangeKind }
  /** primary → other workers: re-read it; they answer `reloaded`. */
  | { readonly exo: 'reload'; readonly id: number; readonly what: ChangeKind }
  | { readonly exo: 'reloaded'; readonly id: number }
  /** primary → admin worker: every worker re-read it (or the wait timed out). */
  | { readonly exo: 'propagated'; readonly id: number }
  /**
   * worker → primary → admin worker: drained call records in columns (analytics/record-batch.ts),
   * summed into one set of rollups.
   */
  | { readonly exo: 'analytics'; readonly batch: RecordBatch }
  /** admin worker → primary → workers: their Prometheus text, for an aggregated /metrics. */
  | { readonly exo: 'metrics-request'; readonly id: number }
  | { readonly exo: 'metrics'; readonly id: number; readonly text: string }
  | {
      readonly exo: 'metrics-gathered';
      readonly id: number;
      readonly texts: ReadonlyArray<{ readonly worker: number; readonly text: string }>;
    }
  /** primary → worker: close gracefully and exit. */
  | { readonly exo: 'shutdown' };

export type ChangeKind = 'config' | 'apim';

/** What a worker needs to start its gateway: the serializable part of GatewayOptions. */
export interface WorkerSettings {
  readonly index: number;
  readonly workers: number;
  readonly home: string;
  readonly host: string;
  readonly port: number;
  /** Only the admin worker (index 0) serves the admin API. */
  readonly adminHost: string;
  readonly adminPort: number;
  readonly configPath: string | undefined;
  readonly tls: { readonly cert: string; readonly key: string } | undefined;
  readonly accessLogPath: string | undefined;
  readonly master: { readonly url: string; readonly token?: TokenSource | undefined } | undefined;
  /** No log lines at all (benchmarks, tests). */
  readonly quiet: boolean;
  /** The data plane's HTTP stack (gateway.ts `dataPath`). */
  readonly dataPath: 'fast' | 'node';
}

export function isClusterMessage(value: unknown): value is ClusterMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { exo?: unknown }).exo === 'string'
  );
}
