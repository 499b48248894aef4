// OLTP driver for any MySQL-protocol server: one key-value table, preloaded, then for a fixed time
// (a) prepared point selects by random primary key and (b) single-row upserts
// (INSERT ... ON DUPLICATE KEY UPDATE), each at several concurrencies (one connection per client,
// each running its own closed loop). Reports operations per second and p50/p99 latency.
// In text mode the same statements go as COM_QUERY texts (mysql2 `query()` writes the values
// into the text on the client), so every statement is a new text, as most ORMs send them.
import type { Connection } from 'mysql2/promise';
import { connect, serverFlavor } from './connect.js';

export type OltpWorkload = 'point-select' | 'upsert';
/** Prepared statements (COM_STMT_EXECUTE) or texts with the values written in (COM_QUERY). */
export type OltpMode = 'prepared' | 'text';

export interface OltpOptions {
  readonly url: string;
  /** Name shown in reports; the URL by default. */
  readonly target?: string;
  /** Rows preloaded into kv (ids 1..rows); 100,000 by default. */
  readonly rows?: number;
  readonly durationMs: number;
  readonly concurrencies: readonly number[];
  readonly workloads?: readonly OltpWorkload[];
  /** 'prepared' only by default. */
  readonly modes?: readonly OltpMode[];
}

export interface OltpPhase {
  readonly workload: OltpWorkload;
  readonly mode: OltpMode;
  readonly concurrency: number;
  readonly operations: number;
  readonly errors: number;
  readonly operationsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface OltpReport {
  readonly target: string;
  readonly preloadMs: number;
  readonly phases: readonly OltpPhase[];
}

const database = 'exo_oltp';
const insertBatchRows = 1000;
const concurrencyMax = 1000;
const statements: Record<OltpWorkload, string> = {
  'point-select': 'select id, k, v, n from kv where id = ?',
  upsert:
    'insert into kv (id, k, v, n) values (?, ?, ?, 1) ' +
    'on duplicate key update k = values(k), v = values(v), n = n + 1',
};

/** The kv table; ROWSTORE is SingleStore's keyword, so MariaDB gets an InnoDB table instead. */
export function kvDdl(flavor: 'mariadb' | 'mysql'): string {
  const columns = '(id BIGINT PRIMARY KEY, k INT NOT NULL, v VARCHAR(100), n INT)';
  return flavor === 'mariadb'
    ? `CREATE TABLE kv ${columns} ENGINE=InnoDB`
    : `CREATE ROWSTORE TABLE kv ${columns}`;
}

function valueText(id: number): string {
  return `value-${id}-${'x'.repeat(id % 50)}`;
}

async function preload(connection: Connection, rows: number): Promise<void> {
  for (let first = 1; first <= rows; first += insertBatchRows) {
    const values: (string | number)[] = [];
    const last = Math.min(rows, first + insertBatchRows - 1);
    for (let id = first; id <= last; id += 1) values.push(id, id % 1000, valueText(id), 0);
    const placeholders = new Array<string>(last - first + 1).fill('(?, ?, ?, ?)').join(', ');
    await connection.query(`insert into kv (id, k, v, n) values ${placeholders}`, values);
  }
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] as number;
}

async function runPhase(
  connections: readonly Connection[],
  workload: OltpWorkload,
  options: { readonly mode: OltpMode; readonly rows: number; readonly durationMs: number },
): Promise<OltpPhase> {
  const { mode, rows, durationMs } = options;
  const latencies: number[] = [];
  let errors = 0;
  const sql = statements[workload];
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    connections.map(async (connection) => {
      while (performance.now() < deadline) {
        const id = 1 + Math.floor(Math.random() * rows);
        const parameters = workload === 'upsert' ? [id, id % 1000, valueText(id + 1)] : [id];
        const before = performance.now();
        try {
          if (mode === 'text') await connection.query(sql, parameters);
          else await connection.execute(sql, parameters);
          latencies.push(performance.now() - before);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const sorted = Float64Array.from(latencies).sort();
  return {
    workload,
    mode,
    concurrency: connections.length,
    operations: latencies.length,
    errors,
    operationsPerSecond: (latencies.length / elapsedMs) * 1000,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
}

export async function runOltp(options: OltpOptions): Promise<OltpReport> {
  const rows = options.rows ?? 100_000;
  if (options.concurrencies.some((count) => !(count >= 1 && count <= concurrencyMax)))
    throw new Error(`concurrency must be in [1, ${concurrencyMax}]`);
  const admin = await connect(options.url);
  const phases: OltpPhase[] = [];
  let preloadMs = 0;
  try {
    const flavor = await serverFlavor(admin);
    await admin.query(`create database if not exists ${database}`);
    await admin.query(`use ${database}`);
    await admin.query('drop table if exists kv');
    await admin.query(kvDdl(flavor));
    const preloadStarted = performance.now();
    await preload(admin, rows);
    preloadMs = performance.now() - preloadStarted;
    const modes = options.modes ?? (['prepared'] as const);
    for (const workload of options.workloads ?? (['point-select', 'upsert'] as const)) {
      for (const [mode, concurrency] of modes.flatMap((mode) =>
        options.concurrencies.map((count) => [mode, count] as const),
      )) {
        const connections = await Promise.all(
          Array.from({ length: concurrency }, () => connect(options.url, database)),
        );
        try {
          // A short warm-up prepares the statement on every connection and fills caches.
          const warmUpMs = Math.min(1000, options.durationMs / 5);
          await runPhase(connections, workload, { mode, rows, durationMs: warmUpMs });
          phases.push(
            await runPhase(connections, workload, { mode, rows, durationMs: options.durationMs }),
          );
        } finally {
          await Promise.all(
            connections.map((connection) => connection.end().catch(() => undefined)),
          );
        }
      }
    }
  } finally {
    await admin.end();
  }
  return { target: options.target ?? options.url, preloadMs, phases };
}
