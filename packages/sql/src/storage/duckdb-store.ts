/**
 * The columnstore side of the leaf. One `DuckDBInstance` per leaf (an in-memory main database
 * that stays empty) ATTACHes each partition's file under its alias, so every partition shares
 * one thread pool and one buffer manager, and memory_limit bounds the whole leaf. Each
 * connection runs `USE "<alias>"` once, so the bare table names the aggregator sends resolve
 * to that partition. Connections are pooled per partition with their prepared statements.
 *
 * DuckDB fsyncs its WAL on every commit (so acknowledged commits survive power loss) and
 * checkpoints when the WAL passes `checkpoint_threshold` (16 MiB by default).
 */
import {
  DuckDBInstance,
  ResultReturnType,
  type DuckDBConnection,
  type DuckDBPreparedStatement,
} from '@duckdb/node-api';
import type { ColumnMeta } from '../values.js';
import { coerceRows } from './coerce.js';
import { readDuckRows } from './duckdb-rows.js';
import {
  duckColumnMeta,
  duckConverter,
  bindDuckParam,
  appendDuckValue,
  type DuckConverter,
} from './duckdb-values.js';
import { duckdbError } from './engine-errors.js';
import { replacedRowDeletes } from './duckdb-replace.js';
import {
  APPLIED_PRUNE_EVERY,
  APPLIED_TABLE,
  changesRows,
  type EngineTxn,
  type ExecOutcome,
  type RowsInput,
  type StatementInput,
} from './exec-types.js';
import { quoteIdentifier } from './names.js';
import { registerDuckFunctions } from '../dialect/index.js';
import { StatementCache } from './statement-cache.js';
import { DuckTxn } from './duckdb-txn.js';
import type { WriteLock } from './write-lock.js';
import { sqlError } from '../errors.js';
import { DUPLICATE_KEY, retryConflicts, WRITE_CONFLICT } from './conflict-retry.js';
import { currentInterruptSignal, interruptedError, onInterrupt } from './interrupt-scope.js';

const STATEMENT_CACHE_SIZE = 128;
const IDLE_CONNECTIONS_MAX = 8;
/**
 * Statement types (duckdb StatementType) whose plans are worth keeping — only when they take
 * parameters: DuckDB plans a statement without parameters once, pruning filters and sizing
 * joins from the table statistics of that moment, so running it again after writes can miss
 * rows (`WHERE id > 10` prepared while the largest id was 9 stays empty). A statement with
 * parameters is planned again for the values bound at each execution.
 */
const CACHED_TYPES = new Set([1, 2, 3, 5, 30]);
const SELECT_TYPES = new Set([1, 4, 17, 19]);
/** CREATE, ALTER and DROP: they may change a table's CHECK constraints. */
const DDL_TYPES = new Set([7, 9, 15]);
/** A CHECK clause that calls a function run in JavaScript (dialect/shared-functions.ts). */
const SCRIPT_CHECK = "expression LIKE '%exo\\_%' ESCAPE '\\'";

export class DuckEngine {
  private admin: Promise<DuckDBConnection>;
  /** Set once a load turned preserve_insertion_order off (a global setting). */
  insertionOrderRelaxed = false;
  private adminChain: Promise<unknown> = Promise.resolve();
  /**
   * By `<alias>.<table>`: whether one of the table's CHECK constraints calls a function run in
   * JavaScript. Such a table is never appended to directly: the appender flushes on the
   * JavaScript thread, where that function would wait for it forever. Cleared by any DDL.
   */
  readonly scriptChecks = new Map<string, boolean>();

  private constructor(readonly instance: DuckDBInstance) {
    this.admin = instance.connect();
  }

  static async create(options: {
    threads: number;
    memoryLimit?: string;
    /** Where DuckDB spills what outgrows memory (by default `.tmp` in the working directory). */
    spillFolder?: string;
  }): Promise<DuckEngine> {
    // No perfect-hash aggregation: it trusts column statistics, which rows a transaction
    // has written but not committed can exceed ("Perfect hash aggregate: aggregate group …
    // exceeded total groups"), failing GROUP BY inside transactions.
    const config: Record<string, string> = {
      threads: String(options.threads),
      perfect_ht_threshold: '0',
    };
    if (options.memoryLimit !== undefined) config['memory_limit'] = options.memoryLimit;
    if (options.spillFolder !== undefined) config['temp_directory'] = options.spillFolder;
    const instance = await DuckDBInstance.create(':memory:', config);
    const engine = new DuckEngine(instance);
    registerDuckFunctions(await engine.admin);
    return engine;
  }

  /** ATTACH and DETACH run one at a time on the admin connection. */
  private admin_(sql: string): Promise<void> {
    const next = this.adminChain.then(async () => {
      const connection = await this.admin;
      await connection.run(sql);
    });
    this.adminChain = next.catch(() => undefined);
    return next;
  }

  async attach(file: string, alias: string): Promise<void> {
    try {
      await this.admin_(
        `ATTACH IF NOT EXISTS '${file.replaceAll("'", "''")}' AS ${quoteIdentifier(alias)}`,
      );
    } catch (error) {
      throw duckdbError(error);
    }
  }

  async detach(alias: string): Promise<void> {
    await this.admin_(`DETACH DATABASE IF EXISTS ${quoteIdentifier(alias)}`);
  }

  async close(): Promise<void> {
    await this.adminChain;
    (await this.admin).closeSync();
    this.instance.closeSync();
  }
}

export class DuckConnection {
  private readonly cache = new StatementCache<DuckDBPreparedStatement>(
    STATEMENT_CACHE_SIZE,
    (statement) => statement.destroySync(),
  );

  /** Set once a session setting was changed: the connection is closed, not pooled again. */
  changedSettings = false;

  constructor(
    readonly connection: DuckDBConnection,
    private readonly engine: DuckEngine,
    private readonly alias: string,
  ) {}

  async run(input: StatementInput): Promise<ExecOutcome> {
    let statement = this.cache.get(input.sql);
    let cached = statement !== undefined;
    // KILL QUERY and statement timeouts stop the query inside DuckDB (interrupt-scope.ts).
    const interrupt = onInterrupt(() => this.connection.interrupt(), { repeat: true });
    try {
      if (statement === undefined) {
        statement = await this.connection.prepare(input.sql);
        cached = CACHED_TYPES.has(statement.statementType) && statement.parameterCount > 0;
        if (cached) this.cache.set(input.sql, statement);
      }
      if (statement.parameterCount !== input.params.length) {
        throw sqlError(
          'WRONG_ARGUMENTS',
          `Incorrect arguments to EXECUTE: ${statement.parameterCount} expected, ${input.params.length} given`,
        );
      }
      input.params.forEach((value, index) =>
        bindDuckParam(statement as DuckDBPreparedStatement, index + 1, value),
      );
      const wrote = !SELECT_TYPES.has(statement.statementType);
      if (DDL_TYPES.has(statement.statementType)) this.engine.scriptChecks.clear();
      const result = await statement.run();
      if (result.returnType !== ResultReturnType.QUERY_RESULT) {
        return {
          result: { columns: [], rows: [], affectedRows: Number(result.rowsChanged) },
          wrote,
        };
      }
      const metas: ColumnMeta[] = [];
      const converters: DuckConverter[] = [];
      for (let index = 0; index < result.columnCount; index++) {
        const type = result.columnType(index);
        const wanted = input.columns?.[index];
        metas.push(wanted ?? duckColumnMeta(result.columnName(index), type));
        converters.push(duckConverter(type, wanted?.scale));
      }
      const rows = await readDuckRows(result, converters);
      if (input.columns !== undefined) coerceRows(rows, input.columns);
      return { result: { columns: metas, rows, affectedRows: 0 }, wrote };
    } catch (error) {
      if (interrupt.stopped()) throw interruptedError(currentInterruptSignal());
      throw duckdbError(error, input.sql);
    } finally {
      interrupt.done();
      if (statement !== undefined && !cached) statement.destroySync();
    }
  }

  /**
   * Appends the rows to a temporary table, then moves them with one INSERT ... SELECT.
   * REPLACE deletes the rows that collide on any unique key first (`duckdb-replace.ts`), which
   * also yields MySQL's count: one per inserted row plus one per deleted row. The rows must not
   * collide among themselves (the aggregator keeps the last of such rows). Runs inside the
   * caller's transaction.
   */
  async insert(input: RowsInput): Promise<number> {
    if (input.onConflict === 'error') {
      try {
        if (await this.appendDirect(input)) return input.rows.length;
      } catch (error) {
        throw duckdbError(error);
      }
    }
    const temp = 'temp.main._exo_insert';
    const table = quoteIdentifier(input.table);
    const names = input.columns.map(quoteIdentifier).join(', ');
    try {
      await this.connection.run(
        `CREATE OR REPLACE TEMP TABLE _exo_insert AS SELECT ${names} FROM ${table} LIMIT 0`,
      );
      const appender = await this.connection.createAppender('_exo_insert', 'main', 'temp');
      try {
        for (const row of input.rows) {
          for (const value of row) appendDuckValue(appender, value);
          appender.endRow();
        }
      } finally {
        appender.closeSync();
      }
      let deleted = 0;
      if (input.onConflict === 'replace') {
        for (const sql of await replacedRowDeletes(
          this.connection,
          input.table,
          temp,
          input.columns,
        )) {
          const outcome = await this.run({ sql, params: [], columns: undefined });
          deleted += outcome.result.affectedRows;
        }
      }
      const verb = input.onConflict === 'ignore' ? 'INSERT OR IGNORE' : 'INSERT';
      const outcome = await this.run({
        sql: `${verb} INTO ${table} (${names}) SELECT * FROM ${temp}`,
        params: [],
        columns: undefined,
      });
      return outcome.result.affectedRows + deleted;
    } catch (error) {
      throw duckdbError(error);
    } finally {
      await this.connection.run(`DROP TABLE IF EXISTS ${temp}`).catch(() => undefined);
    }
  }

  /**
   * A plain INSERT appends straight into the table, inside the caller's transaction: DuckDB's
   * appender checks NOT NULL, primary and unique keys (a violation fails the append and aborts
   * the transaction, as a failed INSERT would) and casts each value to the column's type as
   * the temporary table's INSERT ... SELECT did. It needs every column, in the table's order,
   * which is the catalog's order (engines add columns at the end; see ddl-alter.ts); false
   * when the rows name a different column count, so the general path runs.
   */
  private async appendDirect(input: RowsInput): Promise<boolean> {
    if (input.rows.length === 0) return true;
    if (await this.checksCallScripts(input.table)) return false;
    const appender = await this.connection.createAppender(input.table);
    let closed = false;
    try {
      if (appender.columnCount !== input.columns.length) return false;
      for (const row of input.rows) {
        for (const value of row) appendDuckValue(appender, value);
        appender.endRow();
      }
      appender.closeSync();
      closed = true;
      return true;
    } finally {
      if (!closed) {
        try {
          appender.clear();
          appender.closeSync();
        } catch {
          // The append's own error is the one to report. Clearing matters: an appender left
          // with rows would flush them again when collected, into a later transaction.
        }
      }
    }
  }

  private async checksCallScripts(table: string): Promise<boolean> {
    const key = `${this.alias}.${table}`;
    const known = this.engine.scriptChecks.get(key);
    if (known !== undefined) return known;
    const reader = await this.connection.runAndReadAll(
      `SELECT 1 FROM duckdb_constraints() WHERE database_name = current_database() AND table_name = $1 AND constraint_type = 'CHECK' AND ${SCRIPT_CHECK} LIMIT 1`,
      [table],
    );
    const calls = reader.currentRowCount > 0;
    this.engine.scriptChecks.set(key, calls);
    return calls;
  }

  close(): void {
    this.cache.clear();
    this.connection.closeSync();
  }
}

let autocommitCounter = 0;

export class DuckStore {
  private readonly idle: DuckConnection[] = [];
  private commits = 0;
  private closed = false;

  constructor(
    readonly engine: DuckEngine,
    readonly alias: string,
    /**
     * The partition's row lock. Taken by a transaction's locking reads (SELECT … FOR UPDATE)
     * before its first statement here, so its snapshot follows the commit of the one before,
     * and by statements that change stored rows (`changesRows`): by a transaction to its end,
     * by an autocommit statement for itself. DuckDB would let a DELETE through past another
     * transaction's uncommitted UPDATE of the row; here it waits, as InnoDB's does. Inserts
     * stay optimistic (appends of distinct keys never wait).
     */
    readonly rowLock?: { readonly lock: WriteLock; readonly timeoutMs: number },
  ) {}

  async init(): Promise<void> {
    await this.exec({
      sql: `CREATE TABLE IF NOT EXISTS ${APPLIED_TABLE} (txn VARCHAR PRIMARY KEY, applied_at BIGINT NOT NULL)`,
      params: [],
      columns: undefined,
    });
  }

  async take(): Promise<DuckConnection> {
    if (this.closed) throw sqlError('LEAF_UNAVAILABLE', 'Partition is closed');
    const idle = this.idle.pop();
    if (idle !== undefined) return idle;
    const connection = await this.engine.instance.connect();
    await connection.run(`USE ${quoteIdentifier(this.alias)}`);
    return new DuckConnection(connection, this.engine, this.alias);
  }

  give(connection: DuckConnection): void {
    if (!this.closed && !connection.changedSettings && this.idle.length < IDLE_CONNECTIONS_MAX)
      this.idle.push(connection);
    else connection.close();
  }

  /**
   * An autocommit statement. One that meets another transaction's write to the same rows runs
   * again (`conflict-retry.ts`): a single UPDATE waits as InnoDB's would, never answering 1213.
   */
  exec(input: StatementInput): Promise<ExecOutcome> {
    const lock = changesRows(input.sql) ? this.rowLock : undefined;
    return retryConflicts(
      async () => {
        // Owners of the lock graph are the leaf's: a name no rowstore statement takes.
        const owner = `columnstore-autocommit:${++autocommitCounter}`;
        if (lock !== undefined && !lock.lock.tryAcquire(owner))
          await lock.lock.acquire(owner, input.lockWaitMs ?? lock.timeoutMs);
        try {
          const connection = await this.take();
          try {
            return await connection.run(input);
          } finally {
            this.give(connection);
          }
        } finally {
          lock?.lock.release(owner);
        }
      },
      { errnos: [WRITE_CONFLICT], ...this.waitLimit(input.lockWaitMs) },
    );
  }

  /**
   * A bulk insert in its own transaction, so a failure leaves nothing behind. INSERT IGNORE and
   * REPLACE that race another insert of their keys run again and then skip or replace its row.
   */
  insert(input: RowsInput): Promise<number> {
    const once = async (): Promise<number> => {
      const connection = await this.take();
      try {
        await connection.connection.run('BEGIN TRANSACTION');
        try {
          const affected = await connection.insert(input);
          await connection.connection.run('COMMIT');
          return affected;
        } catch (error) {
          await connection.connection.run('ROLLBACK').catch(() => undefined);
          throw duckdbError(error);
        }
      } finally {
        this.give(connection);
      }
    };
    const errnos =
      input.onConflict === 'error' ? [WRITE_CONFLICT] : [WRITE_CONFLICT, DUPLICATE_KEY];
    return retryConflicts(once, { errnos, ...this.waitLimit(input.lockWaitMs) });
  }

  /** How long a write keeps meeting conflicts: the statement's lock wait, else the store's. */
  private waitLimit(lockWaitMs: number | undefined): { readonly waitMs?: number } {
    if (lockWaitMs !== undefined) return { waitMs: lockWaitMs };
    return this.rowLock === undefined ? {} : { waitMs: this.rowLock.timeoutMs };
  }

  /** Writes every commit into the database file (its WAL is then empty). */
  async checkpoint(): Promise<void> {
    const connection = await this.take();
    try {
      await connection.connection.run(`CHECKPOINT ${quoteIdentifier(this.alias)}`);
    } catch (error) {
      throw duckdbError(error);
    } finally {
      this.give(connection);
    }
  }

  async isApplied(txn: string): Promise<boolean> {
    const outcome = await this.exec({
      sql: `SELECT 1 FROM ${APPLIED_TABLE} WHERE txn = ?`,
      params: [txn],
      columns: undefined,
    });
    return outcome.result.rows.length > 0;
  }

  async begin(owner: string): Promise<EngineTxn> {
    const connection = await this.take();
    try {
      await connection.connection.run('BEGIN TRANSACTION');
    } catch (error) {
      this.give(connection);
      throw duckdbError(error);
    }
    return new DuckTxn(this, connection, owner);
  }

  shouldPrune(): boolean {
    this.commits += 1;
    return this.commits % APPLIED_PRUNE_EVERY === 0;
  }

  close(): void {
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.close();
  }
}
