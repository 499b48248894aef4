/**
 * The aggregator's own DuckDB (in memory): it finishes the queries that cannot run whole on
 * partitions. Rows gathered from partitions (or generated, for information_schema) are loaded
 * into temporary tables of one connection, the translated query runs over them, and the
 * connection is closed, which drops the tables. Each query gets its own connection, so
 * concurrent queries never see each other's tables and run in parallel on DuckDB's threads.
 *
 * A table may arrive as Parquet files instead of values (`partial-fetch.ts`: the partitions'
 * partial results written by DuckDB `COPY … TO`): the files are written to a private folder
 * and the table is a view reading them with `read_parquet`, so their rows never become
 * JavaScript values nor a copy in memory.
 *
 * Given a `folder` (the aggregator's home), the Parquet files and what DuckDB spills to disk
 * when a query outgrows its memory go there — by default DuckDB spills into `.tmp` under the
 * process's working directory — and the folder is emptied when the engine starts, so a crash
 * leaves nothing behind for long. Without one, a temporary folder of its own is used.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckColumnMeta, duckConverter, type DuckConverter } from '../storage/duckdb-values.js';
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { duckdbError } from '../storage/engine-errors.js';
import { registerDuckFunctions } from '../dialect/index.js';
import { interruptedError, onAbort } from '../storage/interrupt-scope.js';
import type { ColumnMeta, SqlValue } from '../values.js';
import { castToColumn, createTable, loadValues } from './merge-load.js';
import { readDuckRows } from '../storage/duckdb-rows.js';

export interface MergeTable {
  /** Engine name of the temporary table. */
  readonly name: string;
  /** Column names with their DuckDB types. */
  readonly columns: readonly { readonly name: string; readonly engineType: string }[];
  readonly rows: readonly (readonly SqlValue[])[];
  /**
   * Parquet files holding the rows (then `rows` is empty), read by position into `columns`
   * (their DuckDB types cast each value as an INSERT does).
   */
  readonly parquet?: readonly Uint8Array[];
}

export interface MergeResult {
  readonly columns: readonly ColumnMeta[];
  readonly rows: SqlValue[][];
}

/** Inside the engine's folder: Parquet files in flight, and DuckDB's spilled blocks. */
const FILES_FOLDER = 'files';
const SPILL_FOLDER = 'spill';

export class MergeEngine {
  private folder: Promise<string> | undefined;
  private folderPath: string | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    home: string | undefined,
  ) {
    if (home !== undefined) {
      this.folderPath = home;
      this.folder = Promise.resolve(path.join(home, FILES_FOLDER));
    }
  }

  static async create(options: {
    threads: number;
    memoryLimit?: string;
    folder?: string;
  }): Promise<MergeEngine> {
    // No perfect-hash aggregation: it trusts column statistics, which rows a transaction
    // has written but not committed can exceed ("Perfect hash aggregate: aggregate group …
    // exceeded total groups"), failing GROUP BY inside transactions.
    const config: Record<string, string> = {
      threads: String(options.threads),
      perfect_ht_threshold: '0',
    };
    if (options.memoryLimit !== undefined) config['memory_limit'] = options.memoryLimit;
    if (options.folder !== undefined) {
      // What a crashed run left: files in flight and spilled blocks, nobody reads them now.
      rmSync(options.folder, { recursive: true, force: true });
      mkdirSync(path.join(options.folder, FILES_FOLDER), { recursive: true, mode: 0o700 });
      config['temp_directory'] = path.join(options.folder, SPILL_FOLDER);
    }
    const instance = await DuckDBInstance.create(':memory:', config);
    // The translated SQL calls the `exo_*` functions (dialect/duckdb-functions.ts).
    const connection = await instance.connect();
    registerDuckFunctions(connection);
    connection.closeSync();
    return new MergeEngine(instance, options.folder);
  }

  /**
   * Loads the tables, runs `sql` with `params`, and converts the result to data-plane values.
   * `signal` (here and below): the statement's interruption, which stops the query.
   */
  run(
    tables: readonly MergeTable[],
    sql: string,
    params: readonly SqlValue[] = [],
    signal?: AbortSignal,
  ): Promise<MergeResult> {
    return this.withTables(tables, signal, (connection) => query(connection, sql, params));
  }

  /**
   * Loads the tables and writes the result of `sql` (without parameters) as one Parquet file,
   * for a merge table of another query (`subplan-select.ts`): its rows never become values.
   */
  runToParquet(
    tables: readonly MergeTable[],
    sql: string,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    return this.withTables(tables, signal, async (connection) => {
      const file = path.join(await this.files(), `${randomBytes(8).toString('hex')}.parquet`);
      try {
        await connection.run(`COPY (${sql}) TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`);
        return await readFile(file);
      } finally {
        await rm(file, { force: true });
      }
    });
  }

  private async withTables<T>(
    tables: readonly MergeTable[],
    signal: AbortSignal | undefined,
    work: (connection: DuckDBConnection) => Promise<T>,
  ): Promise<T> {
    const connection = await this.instance.connect();
    // KILL QUERY and statement timeouts stop the query here too (storage/interrupt-scope.ts).
    const interrupt = onAbort(signal, () => connection.interrupt(), { repeat: true });
    const files: string[] = [];
    try {
      for (const table of tables) {
        if (table.parquet === undefined) await loadValues(connection, table);
        else await this.viewParquet(connection, table, table.parquet, files);
      }
      return await work(connection);
    } catch (error) {
      if (interrupt.stopped()) throw interruptedError(signal);
      throw duckdbError(error);
    } finally {
      interrupt.done();
      connection.closeSync();
      await Promise.all(files.map((file) => rm(file, { force: true })));
    }
  }

  close(): void {
    this.instance.closeSync();
    if (this.folderPath !== undefined) rmSync(this.folderPath, { recursive: true, force: true });
  }

  /**
   * A path for a file of the caller's in the engine's folder (emptied at start, so a crash
   * leaves nothing behind for long); the caller removes it.
   */
  async scratchFile(prefix: string): Promise<string> {
    return path.join(await this.files(), `${prefix}-${randomBytes(8).toString('hex')}`);
  }

  /**
   * The engine's folder for Parquet files in flight, made again when something removed it while
   * the process runs (a temporary-files cleaner, an operator): each use checks, since a missing
   * folder would fail every query that passes Parquet through it.
   */
  private async files(): Promise<string> {
    // Named by process, so each aggregator's files can be told apart on a shared machine.
    this.folder ??= mkdtemp(path.join(tmpdir(), `exo-merge-${process.pid}-`)).then((folder) => {
      this.folderPath = folder;
      return folder;
    });
    const folder = await this.folder;
    await mkdir(folder, { recursive: true, mode: 0o700 });
    return folder;
  }

  /**
   * A table given as Parquet files is a view reading them, each column cast to its type by
   * position: loading the rows into a temporary table first took longer than the query itself
   * (22 ms for TPC-H Q16's 118,000 partial rows, which the merge query reads from the files in
   * 7). The files stay until the connection's work is done (`files`, removed by the caller).
   */
  private async viewParquet(
    connection: DuckDBConnection,
    table: MergeTable,
    parquet: readonly Uint8Array[],
    files: string[],
  ): Promise<void> {
    if (parquet.length === 0) {
      await createTable(connection, table);
      return;
    }
    const folder = await this.files();
    const written = parquet.map(() =>
      path.join(folder, `${randomBytes(8).toString('hex')}.parquet`),
    );
    files.push(...written);
    await Promise.all(written.map((file, index) => writeFile(file, parquet[index] ?? [])));
    const list = written.map((file) => `'${file.replaceAll("'", "''")}'`).join(', ');
    const positions = table.columns.map((_column, index) => `exo_c${index + 1}`);
    const items = table.columns.map((column, index) => castToColumn(`exo_c${index + 1}`, column));
    await connection.run(
      `CREATE TEMP VIEW ${quoteEngineIdentifier(table.name)} AS SELECT ${items.join(', ')} FROM read_parquet([${list}]) AS exo_files(${positions.join(', ')})`,
    );
  }
}

async function query(
  connection: DuckDBConnection,
  sql: string,
  params: readonly SqlValue[],
): Promise<MergeResult> {
  const prepared = await connection.prepare(sql);
  params.forEach((value, index) => {
    if (value === null) prepared.bindNull(index + 1);
    else if (typeof value === 'number') {
      if (Number.isSafeInteger(value)) prepared.bindBigInt(index + 1, BigInt(value));
      else prepared.bindDouble(index + 1, value);
    } else if (typeof value === 'bigint') prepared.bindBigInt(index + 1, value);
    else if (typeof value === 'string') prepared.bindVarchar(index + 1, value);
    else prepared.bindBlob(index + 1, value);
  });
  const result = await prepared.run();
  const count = result.columnCount;
  const metas: ColumnMeta[] = [];
  const converters: DuckConverter[] = [];
  for (let index = 0; index < count; index += 1) {
    const type = result.columnType(index);
    const meta = duckColumnMeta(result.columnName(index), type);
    metas.push(meta);
    converters.push(duckConverter(type, meta.scale));
  }
  return { columns: metas, rows: await readDuckRows(result, converters) };
}
