/**
 * Autocommit writes to rowstore partitions on a leaf of this host (`local-leaves.ts`), without
 * the leaf hop: the statements of one partition run in one SQLite transaction on the
 * partition's file (`SqliteWriter`, which commits the writes asked for in one turn of the event
 * loop together: group commit), with the leaf's own connection settings, so the commit is as
 * durable and as visible as one the leaf makes.
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
  /** Transactions those writes were committed in (SHOW STATUS `Exo_local_write_groups`). */
  groups = 0;
  /** Upserts of those writes that took the short path (`upsert-now.ts`; `Exo_local_upserts`). */
  upserts = 0;
  private readonly writers: FileHandles<SqliteWriter>;

  constructor(private readonly options: LocalWritesOptions) {
    const committed = (): void => {
      this.groups += 1;
    };
    this.writers = new FileHandles(
      (file) => SqliteWriter.open(file, committed),
      options.catalogVersion,
    );
  }

  /**
   * The results of one partition's statements, committed as one transaction when they are
   * autocommit rowstore writes (`write`: the statement's engine and transaction), in the next
   * group commit of the partition's file; undefined, or a promise of undefined: ask the leaf.
   */
  exec(
    target: PartitionTarget,
    write: WriteKind,
    requests: readonly Pick<ExecRequest, 'sql' | 'params' | 'columns'>[],
  ): Promise<ExecResult[] | undefined> | undefined {
    if (!isLocalKind(write)) return undefined;
    const inputs: StatementInput[] = requests.map((request) => ({
      sql: request.sql,
      params: request.params ?? [],
      columns: request.columns,
    }));
    return this.attempt(target, (writer, local, admit) =>
      writer
        .write(local.fence, inputs, admit)
        ?.then((outcomes) => outcomes?.map((outcome) => outcome.result)),
    );
  }

  /** The rows inserted (affected rows), committed as one transaction; undefined: ask the leaf. */
  insert(
    target: PartitionTarget,
    write: WriteKind,
    input: RowsInput,
  ): Promise<number | undefined> | undefined {
    if (!isLocalKind(write)) return undefined;
    return this.attempt(target, (writer, local, admit) => writer.insert(local.fence, input, admit));
  }

  close(): void {
    this.writers.close();
  }

  private attempt<T>(
    target: PartitionTarget,
    write: (
      writer: SqliteWriter,
      local: LocalLeaf,
      admit: () => boolean,
    ) => Promise<T | undefined> | undefined,
  ): Promise<T | undefined> | undefined {
    const local = this.options.leaves.local(target.leaf);
    if (local === undefined) return undefined;
    // Checked when asked and again when the group runs, a turn of the event loop later.
    const admit = (): boolean => local.settled && !this.options.writing(target.leaf.id);
    if (!admit()) return undefined;
    const file = this.options.leaves.file(local, target);
    const writer = this.writers.get(file);
    if (writer === undefined) return undefined;
    return write(writer, local, admit)?.then(
      (result) => {
        if (result !== undefined) {
          // Cached row counts made before this write are stale (`write-epoch.ts`).
          advanceWriteEpoch();
          this.count += 1;
        }
        return result;
      },
      (error: unknown) => {
        // Rolled back: the leaf runs the statement and reports its error. A failure that is
        // not the statement's (the file itself) also leaves the file to the leaf for a while.
        if (!(error instanceof SqlError)) this.writers.fail(file);
        return undefined;
      },
    );
  }
}
