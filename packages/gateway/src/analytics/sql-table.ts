import type { CallRecord } from './call-record.js';
import type { AnalyticsSqlSettings } from './settings.js';

/**
 * The `api_calls` table: one row per call. Columns and their widths; longer strings are cut
 * to fit, so a strict server never refuses a batch for one long value.
 */
const columns = [
  ['ts', 'DATETIME(3) NOT NULL'],
  ['route', 'VARCHAR(128) NOT NULL'],
  ['api', 'VARCHAR(256)'],
  ['operation', 'VARCHAR(512) NOT NULL'],
  ['application', 'VARCHAR(256)'],
  ['status', 'INT NOT NULL'],
  ['latency_ms', 'DOUBLE NOT NULL'],
  ['upstream_latency_ms', 'DOUBLE'],
  ['request_bytes', 'BIGINT NOT NULL'],
  ['response_bytes', 'BIGINT NOT NULL'],
  ['client_ip', 'VARCHAR(64) NOT NULL'],
  ['error_code', 'VARCHAR(64)'],
  ['trace_id', 'VARCHAR(32) NOT NULL'],
] as const;

export const sqlColumnNames: readonly string[] = columns.map(([name]) => name);

export type SqlRow = Array<string | number | null>;

function quote(identifier: string): string {
  // Settings allow only [A-Za-z0-9_] names, so backticks cannot appear inside.
  return `\`${identifier}\``;
}

/**
 * The statements that prepare the table, in order. `exosphere` (the data plane speaks
 * SingleStore DDL): a columnstore table sorted by time, so time-range scans read few segments,
 * and sharded on the trace id, which is unique per call, so inserts spread evenly across
 * partitions however skewed the traffic is across APIs or applications (sharding on `api`
 * would put a popular API on one partition). `mysql`: the same columns with a plain index on
 * time, for MySQL or MariaDB, which reject SHARD KEY and SORT KEY.
 */
export function tableStatements(settings: AnalyticsSqlSettings): string[] {
  const table = `${quote(settings.database)}.${quote(settings.table)}`;
  const definitions = columns.map(([name, type]) => `${quote(name)} ${type}`);
  if (settings.dialect === 'exosphere')
    definitions.push(`SORT KEY (${quote('ts')})`, `SHARD KEY (${quote('trace_id')})`);
  else definitions.push(`KEY ${quote(`${settings.table}_ts`)} (${quote('ts')})`);
  return [
    `CREATE DATABASE IF NOT EXISTS ${quote(settings.database)}`,
    `CREATE TABLE IF NOT EXISTS ${table} (\n  ${definitions.join(',\n  ')}\n)`,
  ];
}

/** A multi-row INSERT with one `?` that the client expands to `(…), (…)` from the rows. */
export function insertStatement(settings: AnalyticsSqlSettings): string {
  return `INSERT INTO ${quote(settings.database)}.${quote(settings.table)} (${sqlColumnNames
    .map(quote)
    .join(', ')}) VALUES ?`;
}

/** The record as values in column order; times in UTC ("YYYY-MM-DD hh:mm:ss.fff"). */
export function toSqlRow(record: CallRecord): SqlRow {
  return [
    new Date(record.timestampMs).toISOString().slice(0, 23).replace('T', ' '),
    record.route.slice(0, 128),
    record.api?.slice(0, 256) ?? null,
    record.operation.slice(0, 512),
    record.application?.slice(0, 256) ?? null,
    record.status,
    microseconds(record.latencyMs),
    record.upstreamLatencyMs === undefined ? null : microseconds(record.upstreamLatencyMs),
    record.requestBytes,
    record.responseBytes,
    record.clientIp.slice(0, 64),
    record.errorCode?.slice(0, 64) ?? null,
    record.traceId.slice(0, 32),
  ];
}

function microseconds(valueMs: number): number {
  return Math.round(valueMs * 1000) / 1000;
}
