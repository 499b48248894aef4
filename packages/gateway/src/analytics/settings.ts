import { z } from 'zod';

/** Where the SQL sink connects: TCP host and port, or a unix socket. */
export interface SqlEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string | undefined;
  /** Replaces host and port when set (a local server without networking). */
  readonly socketPath: string | undefined;
}

/**
 * Parses `mysql://user[:password]@host[:port]` (port 3306 when absent). A `?socket=/path` query
 * connects through a unix socket instead of TCP. Returns a message instead of throwing.
 */
export function parseSqlUrl(text: string): SqlEndpoint | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'expected mysql://user[:password]@host[:port]';
  }
  if (url.protocol !== 'mysql:') return `unsupported scheme ${url.protocol}; use mysql:`;
  const socketPath = url.searchParams.get('socket') ?? undefined;
  if (url.hostname === '' && socketPath === undefined) return 'mysql: needs a host';
  const port = url.port === '' ? 3306 : Number(url.port);
  return {
    // URL keeps the brackets of an IPv6 literal; sockets want the bare address.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port,
    user: url.username === '' ? 'root' : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    socketPath,
  };
}

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'letters, digits and "_", not starting with a digit');

export const analyticsSqlSchema = z.strictObject({
  url: z.string().refine((text) => typeof parseSqlUrl(text) !== 'string', {
    message: 'expected mysql://user[:password]@host[:port] (optionally ?socket=/path)',
  }),
  database: identifier.default('exo_analytics'),
  table: identifier.default('api_calls'),
  /**
   * `exosphere`: the data plane's SingleStore DDL (a columnstore table with SORT KEY and SHARD
   * KEY); `mysql`: plain MySQL/MariaDB DDL without those clauses.
   */
  dialect: z.enum(['exosphere', 'mysql']).default('exosphere'),
  /** Rows per multi-row INSERT. */
  batchRows: z.int().min(1).max(10_000).default(1000),
  /** The longest a row waits before its batch is written, when the batch does not fill. */
  flushIntervalMs: z.int().min(10).max(600_000).default(1000),
  /**
   * Rows kept while the data plane is down or slow; beyond it new rows are dropped and counted
   * in `exo_gateway_analytics_dropped_total{stage="sink"}`.
   */
  bufferRowsMax: z.int().min(1).max(10_000_000).default(100_000),
  /** Connecting and each statement give up after this. */
  timeoutMs: z.int().min(10).max(600_000).default(5000),
  /** Reconnect delay: `retryMinMs` doubling to `retryMaxMs`, with ±20 % jitter. */
  retryMinMs: z.int().min(1).max(600_000).default(100),
  retryMaxMs: z.int().min(1).max(3_600_000).default(5000),
});

/** The `analytics:` section of the gateway configuration. */
export const analyticsSettingsSchema = z.strictObject({
  /** Off: nothing is recorded (the proxy path does not even build a record). */
  enabled: z.boolean().default(true),
  /**
   * Records waiting for the next drain; when full, new records are dropped and counted in
   * `exo_gateway_analytics_dropped_total{stage="queue"}` rather than slowing the proxy.
   */
  queueMax: z.int().min(16).max(1_048_576).default(65_536),
  /** How often the queue is drained into the rollups and the SQL sink. */
  drainIntervalMs: z.int().min(10).max(60_000).default(250),
  /** How long per-minute rollups are kept for `GET /analytics/summary`. */
  retentionMinutes: z
    .int()
    .min(1)
    .max(31 * 24 * 60)
    .default(24 * 60),
  /**
   * Rollup entries (one per minute × route × API × operation × application × status) kept in
   * all; beyond it a minute's new combinations are counted under one "(other)" entry.
   */
  rollupEntriesMax: z.int().min(100).max(10_000_000).default(50_000),
  /** Also write every record to a SQL table (the data plane, or any MySQL server). */
  sql: analyticsSqlSchema.optional(),
});

export type AnalyticsSettings = z.output<typeof analyticsSettingsSchema>;
export type AnalyticsSqlSettings = z.output<typeof analyticsSqlSchema>;
export type AnalyticsSqlInput = z.input<typeof analyticsSqlSchema>;
