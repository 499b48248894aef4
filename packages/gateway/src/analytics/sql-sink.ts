import type { Logger } from '@exosphere/common';
import { createConnection, type Connection } from 'mysql2/promise';
import type { CallRecord } from './call-record.js';
import { parseSqlUrl, type AnalyticsSqlSettings, type SqlEndpoint } from './settings.js';
import { insertStatement, tableStatements, toSqlRow, type SqlRow } from './sql-table.js';

export interface SqlSinkCounters {
  /** Rows written (the INSERT succeeded). */
  flushedRows: number;
  /** Rows dropped: the retry buffer was full, or the server refused a batch for its content. */
  droppedRows: number;
  /** Rows of failed batches put back for another attempt. */
  retriedRows: number;
  /** Failed connects, DDL and INSERTs. */
  errors: number;
}

/**
 * Server errors after which the statement is not retried (the batch is dropped and counted):
 * the rows themselves are refused, so another attempt would fail the same way. Anything else
 * (lost connection, timeout, server shutting down, missing table) reconnects, re-creates the
 * table if needed and retries the batch.
 */
function isContentError(error: { errno?: number; fatal?: boolean; code?: string }): boolean {
  if (error.fatal === true || error.errno === undefined) return false;
  // 1046 no database, 1049 unknown database, 1146 no such table: the DDL runs again on reconnect.
  if ([1046, 1049, 1146].includes(error.errno)) return false;
  // Client-side 2xxx codes are connection trouble; server codes in 1xxx / 3xxx+ are statements.
  return error.errno < 2000 || error.errno >= 3000;
}

/**
 * Writes call records to a SQL table in multi-row INSERTs, on one connection, never in the way
 * of the proxy: `offer` appends to a bounded buffer and returns; a batch goes out when
 * `batchRows` rows are waiting or every `flushIntervalMs`, one statement at a time. While the
 * server is down or slow, rows wait in the buffer (up to `bufferRowsMax`; beyond it new rows
 * are dropped and counted), failed batches are retried in order, and the connection is
 * re-made after `retryMinMs` doubling to `retryMaxMs` (±20 % jitter), re-creating the
 * database and table when missing. Delivery is at least once: a statement that timed out may
 * have been applied before it is retried.
 */
export class SqlSink {
  readonly counters: SqlSinkCounters = {
    flushedRows: 0,
    droppedRows: 0,
    retriedRows: 0,
    errors: 0,
  };
  private readonly endpoint: SqlEndpoint;
  private readonly insert: string;
  /** Full batches, oldest first, then `filling`. */
  private readonly batches: SqlRow[][] = [];
  private filling: SqlRow[] = [];
  private buffered = 0;
  private connection: Connection | undefined;
  private connecting = false;
  private writing = false;
  private closed = false;
  private retryDelayMs: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly flushTimer: NodeJS.Timeout;
  private outageLogged = false;

  constructor(
    readonly settings: AnalyticsSqlSettings,
    private readonly logger: Logger,
  ) {
    const endpoint = parseSqlUrl(settings.url);
    // The schema validated the URL; a message here is a bug.
    if (typeof endpoint === 'string') throw new Error(`invariant violated: ${endpoint}`);
    this.endpoint = endpoint;
    this.insert = insertStatement(settings);
    this.retryDelayMs = settings.retryMinMs;
    this.flushTimer = setInterval(() => this.pump(true), settings.flushIntervalMs);
    this.flushTimer.unref();
    void this.connect();
  }

  /** Rows waiting (buffered and in the statement being written). */
  get bufferedRows(): number {
    return this.buffered;
  }

  get connected(): boolean {
    return this.connection !== undefined;
  }

  /** Constant work: convert and append, or drop and count when the buffer is full. */
  offer(record: CallRecord): void {
    if (this.closed) return;
    if (this.buffered >= this.settings.bufferRowsMax) {
      this.counters.droppedRows++;
      return;
    }
    this.filling.push(toSqlRow(record));
    this.buffered++;
    if (this.filling.length >= this.settings.batchRows) {
      this.batches.push(this.filling);
      this.filling = [];
      this.pump(false);
    }
  }

  /**
   * Stops: one last attempt to write what is buffered, bounded by `timeoutMs`, then the
   * connection closes. Rows still buffered are counted as dropped.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.flushTimer);
    clearTimeout(this.retryTimer);
    const deadline = Date.now() + this.settings.timeoutMs;
    while (this.connection && (this.buffered > 0 || this.writing) && Date.now() < deadline) {
      if (!this.writing) this.pump(true, true);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    this.counters.droppedRows += this.buffered;
    this.buffered = 0;
    this.batches.length = 0;
    this.filling = [];
    const connection = this.connection;
    this.connection = undefined;
    connection?.destroy();
  }

  /** Starts the next INSERT when connected and idle; `partial` also sends a batch not yet full. */
  private pump(partial: boolean, closing = false): void {
    if ((this.closed && !closing) || this.writing || !this.connection) return;
    if (this.batches.length === 0 && partial && this.filling.length > 0) {
      this.batches.push(this.filling);
      this.filling = [];
    }
    const batch = this.batches.shift();
    if (!batch) return;
    this.writing = true;
    void this.write(this.connection, batch);
  }

  private async write(connection: Connection, batch: SqlRow[]): Promise<void> {
    try {
      await connection.query({ sql: this.insert, timeout: this.settings.timeoutMs }, [batch]);
      this.counters.flushedRows += batch.length;
      this.buffered -= batch.length;
    } catch (error) {
      this.counters.errors++;
      if (isContentError(error as { errno?: number })) {
        this.counters.droppedRows += batch.length;
        this.buffered -= batch.length;
        this.logger.warn('analytics rows refused by the SQL server; batch dropped', {
          rows: batch.length,
          error: (error as Error).message,
        });
      } else {
        // Back at the front, so rows keep their order.
        this.batches.unshift(batch);
        this.counters.retriedRows += batch.length;
        this.lost(connection, error);
      }
    } finally {
      this.writing = false;
    }
    // More full batches waiting: keep going (a backlog after an outage drains at full speed).
    if (this.batches.length > 0) this.pump(false, this.closed);
  }

  private async connect(): Promise<void> {
    if (this.closed || this.connecting || this.connection) return;
    this.connecting = true;
    let connection: Connection | undefined;
    try {
      const { endpoint } = this;
      connection = await createConnection({
        ...(endpoint.socketPath !== undefined
          ? { socketPath: endpoint.socketPath }
          : { host: endpoint.host, port: endpoint.port }),
        user: endpoint.user,
        ...(endpoint.password !== undefined ? { password: endpoint.password } : {}),
        connectTimeout: this.settings.timeoutMs,
        // Rows carry UTC times as text; the session must not shift them.
        timezone: 'Z',
      });
      // A fatal error later (server gone) arrives as an event: without a listener it would crash.
      const established = connection;
      established.on('error', (error: Error) => this.lost(established, error));
      for (const statement of tableStatements(this.settings))
        await connection.query({ sql: statement, timeout: this.settings.timeoutMs });
    } catch (error) {
      this.counters.errors++;
      connection?.destroy();
      this.connecting = false;
      this.scheduleReconnect(error);
      return;
    }
    this.connecting = false;
    if (this.closed) {
      connection.destroy();
      return;
    }
    this.connection = connection;
    this.retryDelayMs = this.settings.retryMinMs;
    if (this.outageLogged) {
      this.logger.info('analytics SQL sink reconnected', { buffered: this.buffered });
      this.outageLogged = false;
    }
    this.pump(true);
  }

  private lost(connection: Connection, error: unknown): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    connection.destroy();
    this.scheduleReconnect(error);
  }

  private scheduleReconnect(error: unknown): void {
    if (this.closed || this.retryTimer !== undefined) return;
    if (!this.outageLogged) {
      this.logger.warn('analytics SQL sink unavailable; buffering and retrying', {
        error: (error as Error).message,
        buffered: this.buffered,
      });
      this.outageLogged = true;
    }
    const jitter = 0.8 + Math.random() * 0.4;
    const delayMs = Math.round(this.retryDelayMs * jitter);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.settings.retryMaxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delayMs);
    this.retryTimer.unref();
  }
}
