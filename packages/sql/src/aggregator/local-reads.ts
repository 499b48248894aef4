/**
 * Point reads of rowstore partitions on a leaf of this host (`local-leaves.ts`), without the
 * leaf hop: an autocommit point lookup (`SqliteReader`) reads the partition's SQLite file
 * directly. SQLite in WAL mode shows such a reader every committed transaction and nothing
 * uncommitted: the answer is the one the leaf would give outside a transaction (READ
 * COMMITTED).
 *
 * A read goes to the leaf instead whenever the files might not hold every acknowledged write
 * or the placement may be stale: the leaf is not known to be local on its current connection,
 * a commit decision is still unconfirmed there, the catalog changed since the file was opened
 * (every file is closed), or the reader failed in any way (the leaf then answers, or reports
 * the error itself).
 */
import type { ExecResult } from '../leaf/api.js';
import type { StatementInput } from '../storage/exec-types.js';
import { SqliteReader } from '../storage/sqlite-reader.js';
import type { PartitionTarget } from './cluster.js';
import { FileHandles } from './local-handles.js';
import type { LocalLeaves } from './local-leaves.js';

export class LocalReads {
  /** Point reads answered here since start (SHOW STATUS `Exo_local_reads`). */
  count = 0;
  private readonly readers: FileHandles<SqliteReader>;

  constructor(
    private readonly leaves: LocalLeaves,
    catalogVersion: () => number,
  ) {
    this.readers = new FileHandles((file) => SqliteReader.open(file), catalogVersion);
  }

  /** The statement's result read from the partition file, or undefined: ask the leaf. */
  read(target: PartitionTarget, input: StatementInput): ExecResult | undefined {
    const local = this.leaves.local(target.leaf);
    if (local === undefined) return undefined;
    const file = this.leaves.file(local, target);
    const reader = this.readers.get(file);
    if (reader === undefined) return undefined;
    try {
      const outcome = reader.pointRead(input);
      if (outcome === undefined) return undefined;
      this.count += 1;
      return outcome.result;
    } catch {
      // A busy or recovering file, a schema read mid-change, an engine error: the leaf answers.
      this.readers.fail(file);
      return undefined;
    }
  }

  close(): void {
    this.readers.close();
  }
}
