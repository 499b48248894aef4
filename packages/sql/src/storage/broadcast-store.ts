/**
 * Broadcast tables on a leaf (`BroadcastRequest` in `leaf/api.ts`): tables of an in-memory
 * database ATTACHed to the leaf's DuckDB instance. DuckDB shares attached databases among all
 * connections of an instance, so the partition connections that run the statement see the
 * table (a TEMP table would be visible to its own connection only). Nothing is written to
 * disk but the Parquet files of a copy in flight (`temporary`, removed however the statement
 * ends, and emptied when the leaf first uses it); a restarted leaf starts without any.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { sqlError } from '../errors.js';
import { BROADCAST_CATALOG, BROADCAST_NAME_PATTERN, type BroadcastRequest } from '../leaf/api.js';
import { appendDuckValue } from './duckdb-values.js';
import { duckdbError } from './engine-errors.js';
import { quoteIdentifier } from './names.js';

/** The leaf's folder for Parquet files in flight (a dot name: never a database folder). */
export const BROADCAST_FOLDER = '.broadcast-files';
/** Broadcast tables alive at once on one leaf. */
export const BROADCAST_TABLES_MAX = 1024;
const COLUMNS_MAX = 4096;
/** DuckDB type names as the aggregator writes them: `DECIMAL(15,2)`, `VARCHAR`, `BLOB`, ... */
const ENGINE_TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9 ]{0,40}(\(\d{1,3}(,\s?\d{1,3})?\))?$/;

export class BroadcastStore {
  private attached: Promise<DuckDBConnection> | undefined;
  private readonly names = new Set<string>();
  /** Operations running on the store's connection; `close` waits for them. */
  private readonly running = new Set<Promise<unknown>>();
  private closing = false;

  private folder: Promise<string> | undefined;

  /** `temporary`: a folder of the leaf's own for Parquet files in flight. */
  constructor(
    private readonly instance: DuckDBInstance,
    private readonly temporary: string,
  ) {}

  /**
   * A partition query's rows as Parquet bytes: `run` executes the COPY on the partition's
   * connection (where the query's bare table names resolve). Parquet keeps DuckDB's values as
   * they are stored (DECIMAL, DATE, TIMESTAMP, strings and blobs byte for byte, NULLs).
   */
  async exportRows(sql: string, run: (copy: string) => Promise<unknown>): Promise<Uint8Array> {
    if (!/^\s*SELECT\s/i.test(sql))
      throw sqlError('WRONG_ARGUMENTS', 'A broadcast export runs a SELECT');
    const file = await this.temporaryFile();
    try {
      await run(`COPY (${sql}) TO ${stringLiteral(file)} (FORMAT parquet)`);
      return await readFile(file);
    } finally {
      await rm(file, { force: true });
    }
  }

  /** Names of the tables alive now (for tests and for cleanup). */
  tables(): string[] {
    return [...this.names];
  }

  create(request: BroadcastRequest): Promise<void> {
    return this.track(() => this.createTable(request));
  }

  private async createTable(request: BroadcastRequest): Promise<void> {
    validate(request);
    if (this.names.has(request.name))
      throw sqlError('TABLE_EXISTS', `Broadcast table '${request.name}' already exists`);
    if (this.names.size >= BROADCAST_TABLES_MAX)
      throw sqlError('INTERNAL', `Too many broadcast tables (${BROADCAST_TABLES_MAX})`);
    this.names.add(request.name);
    try {
      await this.withConnection((connection) => this.fill(connection, request));
    } catch (error) {
      await this.dropTable(request.name);
      throw duckdbError(error);
    }
  }

  private async fill(connection: DuckDBConnection, request: BroadcastRequest): Promise<void> {
    const table = `${quoteIdentifier(BROADCAST_CATALOG)}.main.${quoteIdentifier(request.name)}`;
    const columns = request.columns
      .map((column) => `${quoteIdentifier(column.name)} ${column.engineType}`)
      .join(', ');
    await connection.run(`CREATE TABLE ${table} (${columns})`);
    if (request.parquet !== undefined) {
      await this.fillFromParquet(connection, table, request.parquet);
      return;
    }
    if (request.rows.length === 0) return;
    const appender = await connection.createAppender(request.name, 'main', BROADCAST_CATALOG);
    try {
      for (const row of request.rows) {
        for (const value of row) appendDuckValue(appender, value);
        appender.endRow();
      }
    } finally {
      appender.closeSync();
    }
  }

  /** Loads Parquet files into the table in DuckDB (the columns are in the table's order). */
  private async fillFromParquet(
    connection: DuckDBConnection,
    table: string,
    parquet: readonly Uint8Array[],
  ): Promise<void> {
    if (parquet.length === 0) return;
    const files: string[] = [];
    try {
      await Promise.all(
        parquet.map(async (bytes) => {
          const file = await this.temporaryFile();
          files.push(file);
          await writeFile(file, bytes);
        }),
      );
      const list = files.map(stringLiteral).join(', ');
      await connection.run(`INSERT INTO ${table} SELECT * FROM read_parquet([${list}])`);
    } finally {
      await Promise.all(files.map((file) => rm(file, { force: true })));
    }
  }

  private async temporaryFile(): Promise<string> {
    this.folder ??= (async () => {
      // Files left by a leaf that stopped mid-copy belong to no statement now.
      await rm(this.temporary, { recursive: true, force: true });
      await mkdir(this.temporary, { recursive: true });
      return this.temporary;
    })();
    const folder = await this.folder;
    return path.join(folder, `${randomBytes(8).toString('hex')}.parquet`);
  }

  drop(name: string): Promise<void> {
    // A closing store drops nothing: its tables live in memory and go with the instance.
    if (this.closing) return Promise.resolve();
    return this.track(() => this.dropTable(name));
  }

  private async dropTable(name: string): Promise<void> {
    if (!this.names.has(name)) return;
    try {
      await this.withConnection((connection) =>
        connection.run(
          `DROP TABLE IF EXISTS ${quoteIdentifier(BROADCAST_CATALOG)}.main.${quoteIdentifier(name)}`,
        ),
      );
    } finally {
      this.names.delete(name);
    }
  }

  /**
   * Waits for the operations under way, then closes the connection that attached the catalog:
   * closing a DuckDB connection, or its instance, while a statement runs on it crashes or hangs
   * the process.
   */
  async close(): Promise<void> {
    this.closing = true;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    const attached = this.attached;
    this.attached = undefined;
    this.names.clear();
    await attached?.then((connection) => connection.closeSync()).catch(() => undefined);
  }

  /**
   * Runs `use` on a connection of its own, closed once `use` has settled. One DuckDB connection
   * runs one statement at a time: a statement started while another runs on it closes the
   * other's pending result ("Attempting to execute an unsuccessful or closed pending query
   * result"), so copies created or dropped at once each take a connection.
   */
  private async withConnection<T>(use: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    await this.attach();
    const connection = await this.instance.connect();
    try {
      return await use(connection);
    } finally {
      connection.closeSync();
    }
  }

  /** Runs `operation` unless the store is closing, and lets `close` wait for it. */
  private track<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closing)
      return Promise.reject(sqlError('LEAF_UNAVAILABLE', 'The leaf is shutting down'));
    const promise = operation();
    this.running.add(promise);
    const forget = (): void => {
      this.running.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  /** Attaches the in-memory catalog once, on a connection kept until the store closes. */
  private attach(): Promise<DuckDBConnection> {
    this.attached ??= (async () => {
      const connection = await this.instance.connect();
      await connection.run(
        `ATTACH IF NOT EXISTS ':memory:' AS ${quoteIdentifier(BROADCAST_CATALOG)}`,
      );
      return connection;
    })();
    return this.attached;
  }
}

/** A DuckDB string literal. */
function stringLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function validate(request: BroadcastRequest): void {
  if (!BROADCAST_NAME_PATTERN.test(request.name))
    throw sqlError('WRONG_ARGUMENTS', `Invalid broadcast table name '${request.name}'`);
  if (request.columns.length === 0 || request.columns.length > COLUMNS_MAX)
    throw sqlError('WRONG_ARGUMENTS', `Invalid broadcast column count ${request.columns.length}`);
  for (const column of request.columns) {
    if (!ENGINE_TYPE_PATTERN.test(column.engineType))
      throw sqlError('WRONG_ARGUMENTS', `Invalid broadcast column type '${column.engineType}'`);
  }
  if (request.rows.some((row) => row.length !== request.columns.length))
    throw sqlError('WRONG_VALUE_COUNT', "Column count doesn't match value count at row 1");
}
