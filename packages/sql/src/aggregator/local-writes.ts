/**
 * Autocommit writes to rowstore partitions on a leaf of this host (`local-leaves.ts`), without
 * the leaf hop: the statements of one partition run in one SQLite transaction on the
 * partition's file (`SqliteWriter`), with the leaf's own connection settings, so the commit is
 * as durable and as visible as one the leaf makes.
 *
 * The leaf stays the owner of its files. A write goes to the leaf whenever it could wait, be
 * redone, or miss the leaf's view of the partition: the file is busy (a leaf transaction holds
 * its write lock: the leaf's lock queue makes the write wait, or fail with 1205/1213 as InnoDB
 * would); its write fence is not the one the leaf reported (the leaf restarted, or is moving
 * the partition: `write-fence.ts`); a transaction of this process wrote on the leaf and has not
 * ended, or a commit decision is unconfirmed there (a leaf that died mid-commit redoes such a
 * transaction at its restart, and a write made in between would have skipped its locks); the
 * leaf had in-doubt transactions when checked; the statement is not a point statement; or it
 * failed in any way (the leaf then runs it, and reports its error itself).
 */
import { SqlError } from '../errors.js';
import type { Engine, ExecRequest, ExecResult } from '../leaf/api.js';
import { advanceWriteEpoch } from '../leaf/write-epoch.js';
import type { RowsInput, StatementInput } from '../storage/exec-types.js';
import { SqliteWriter } from '../storage/sqlite-writer.js';
import type { PartitionTarget } from './cluster.js';
import type { Transaction } from './coordinator.js';
import { FileHandles } from './local-handles.js';
import type { LocalLeaf, LocalLeaves } from './local-leaves.js';

/** What decides whether a write may be local: only autocommit rowstore writes are. */
export interface WriteKind {
  readonly engine: Engine;
  readonly transaction: Transaction | undefined;
}

function isLocalKind(write: WriteKind): boolean {
  return write.engine === 'row' && write.transaction === undefined;
}

export interface LocalWritesOptions {
  readonly leaves: LocalLeaves;
  readonly catalogVersion: () => number;
  /** Whether a transaction of this process wrote on the leaf and has not ended. */
  readonly writing: (leafId: string) => boolean;
}

export class LocalWrites {
  /** Writes committed here since start (SHOW STATUS `Exo_local_writes`). */
  count = 0;
  private readonly writers: FileHandles<SqliteWriter>;

  constructor(private readonly options: LocalWritesOptions) {
    this.writers = new FileHandles((file) => SqliteWriter.open(file), options.catalogVersion);
  }

  /**
   * The results of one partition's statements, committed as one transaction when they are
   * autocommit rowstore writes (`write`: the statement's engine and transaction); undefined:
   * ask the leaf.
   */
  exec(
    target: PartitionTarget,
    write: WriteKind,
    requests: readonly Pick<ExecRequest, 'sql' | 'params' | 'columns'>[],
  ): ExecResult[] | undefined {
    if (!isLocalKind(write)) return undefined;
    const inputs: StatementInput[] = requests.map((request) => ({
      sql: request.sql,
      params: request.params ?? [],
      columns: request.columns,
    }));
    return this.attempt(target, (writer, local) =>
      writer.write(local.fence, inputs)?.map((outcome) => outcome.result),
    );
  }

  /** The rows inserted (affected rows), committed as one transaction; undefined: ask the leaf. */
  insert(target: PartitionTarget, write: WriteKind, input: RowsInput): number | undefined {
    if (!isLocalKind(write)) return undefined;
    return this.attempt(target, (writer, local) => writer.insert(local.fence, input));
  }

  close(): void {
    this.writers.close();
  }

  private attempt<T>(
    target: PartitionTarget,
    write: (writer: SqliteWriter, local: LocalLeaf) => T | undefined,
  ): T | undefined {
    const local = this.options.leaves.local(target.leaf);
    if (local === undefined || !local.settled || this.options.writing(target.leaf.id))
      return undefined;
    const file = this.options.leaves.file(local, target);
    const writer = this.writers.get(file);
    if (writer === undefined) return undefined;
    let result: T | undefined;
    try {
      result = write(writer, local);
    } catch (error) {
      // Rolled back: the leaf runs the statement and reports its error. A failure that is not
      // the statement's (the file itself) also leaves the file to the leaf for a while.
      if (!(error instanceof SqlError)) this.writers.fail(file);
      return undefined;
    }
    if (result !== undefined) {
      // Cached row counts made before this write are stale (`write-epoch.ts`).
      advanceWriteEpoch();
      this.count += 1;
    }
    return result;
  }
}
