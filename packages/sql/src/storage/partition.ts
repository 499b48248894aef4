/**
 * A partition: `<dataDir>/<database>/<ordinal>/` holding `rowstore.sqlite` (SQLite, rowstore
 * tables) and `columnstore.duckdb` (DuckDB, columnstore tables), ATTACHed to the leaf's
 * single DuckDB instance.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Engine, PartitionRef } from '../leaf/api.js';
import type { DuckEngine, DuckStore as DuckStoreType } from './duckdb-store.js';
import { DuckStore } from './duckdb-store.js';
import type { EngineTxn, ExecOutcome, RowsInput, StatementInput } from './exec-types.js';
import { COLUMNSTORE_FILE, ROWSTORE_FILE, duckAlias, partitionDirectory } from './names.js';
import { SqliteStore } from './sqlite-store.js';
import type { LockTable } from './write-lock.js';

export interface PartitionContext {
  readonly dataDir: string;
  readonly duck: DuckEngine;
  readonly locks: LockTable;
  readonly lockWaitTimeoutMs: number;
}

export class Partition {
  private constructor(
    readonly ref: PartitionRef,
    readonly directory: string,
    readonly rowstore: SqliteStore,
    readonly columnstore: DuckStoreType,
    private readonly context: PartitionContext,
  ) {}

  /**
   * Opens (creating the files if needed) a partition, and sets its rowstore file's write fence
   * (`write-fence.ts`) to `fence`.
   */
  static async open(
    context: PartitionContext,
    ref: PartitionRef,
    fence: number,
  ): Promise<Partition> {
    const directory = partitionDirectory(context.dataDir, ref);
    await mkdir(directory, { recursive: true });
    const rowstore = new SqliteStore(
      path.join(directory, ROWSTORE_FILE),
      context.locks.create(),
      context.lockWaitTimeoutMs,
    );
    const alias = duckAlias(ref);
    try {
      await rowstore.setFence(fence);
      await context.duck.attach(path.join(directory, COLUMNSTORE_FILE), alias);
      const columnstore = new DuckStore(context.duck, alias, {
        lock: context.locks.create(),
        timeoutMs: context.lockWaitTimeoutMs,
      });
      await columnstore.init();
      return new Partition(
        { database: ref.database, ordinal: ref.ordinal },
        directory,
        rowstore,
        columnstore,
        context,
      );
    } catch (error) {
      rowstore.close();
      throw error;
    }
  }

  exec(engine: Engine, input: StatementInput): Promise<ExecOutcome> {
    return engine === 'row' ? this.rowstore.exec(input) : this.columnstore.exec(input);
  }

  /** An autocommit rowstore statement run at once, or undefined when it must wait or is columnstore. */
  execNow(engine: Engine, input: StatementInput): ExecOutcome | undefined {
    return engine === 'row' ? this.rowstore.execNow(input) : undefined;
  }

  insert(engine: Engine, rows: RowsInput): Promise<number> {
    return engine === 'row' ? this.rowstore.insert(rows) : this.columnstore.insert(rows);
  }

  async begin(engine: Engine, owner: string): Promise<EngineTxn> {
    return engine === 'row' ? this.rowstore.begin(owner) : this.columnstore.begin(owner);
  }

  async isApplied(engine: Engine, txn: string): Promise<boolean> {
    return engine === 'row' ? this.rowstore.isApplied(txn) : this.columnstore.isApplied(txn);
  }

  setFence(fence: number): Promise<void> {
    return this.rowstore.setFence(fence);
  }

  /** Both engines' files hold every commit (before the files are copied elsewhere). */
  async checkpoint(): Promise<void> {
    await this.rowstore.checkpoint();
    await this.columnstore.checkpoint();
  }

  async close(): Promise<void> {
    this.rowstore.close();
    this.columnstore.close();
    await this.context.duck.detach(this.columnstore.alias);
  }

  /** Closes the partition and deletes its files. */
  async destroy(): Promise<void> {
    await this.close();
    await rm(this.directory, { recursive: true, force: true });
  }
}
