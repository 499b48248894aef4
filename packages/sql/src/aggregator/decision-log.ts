/**
 * The coordinator's durable record of two-phase-commit decisions. A transaction is committed
 * the moment its COMMIT record is fsync'ed: after that, every participant is told to commit,
 * now or after a crash (presumed abort: a prepared transaction with no record is rolled back).
 * Records are text lines "C <txn>".
 *
 * Group commit: decisions recorded while an fsync is under way wait for the next one and share
 * it, and the fsync runs off the event loop, so concurrent two-phase commits (and every other
 * session) do not queue behind one another's disk flushes. Once the file passes
 * `compactBytes` (4 MiB), it is rewritten (temporary file, fsync, rename) with the decisions still
 * needed: those whose participants have not all acknowledged (`forget`).
 */
import {
  closeSync,
  fdatasync,
  fsync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  write,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

export const DECISION_FILE = 'decisions.log';
const COMPACT_BYTES = 4 * 1024 * 1024;

const writeAsync = promisify(write);
const datasyncAsync = promisify(fdatasync);
const fsyncAsync = promisify(fsync);

interface Pending {
  readonly txn: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class DecisionLog {
  private readonly committed = new Set<string>();
  private file: number;
  private readonly path: string;
  private bytes: number;
  private pending: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;
  private fileClosed = false;
  /** fsyncs done so far (tests check that concurrent decisions share them). */
  syncCount = 0;

  private readonly compactBytes: number;

  constructor(directory: string, options: { readonly compactBytes?: number } = {}) {
    this.compactBytes = options.compactBytes ?? COMPACT_BYTES;
    this.path = join(directory, DECISION_FILE);
    let text = '';
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    // A torn last line (crash mid-write) has no newline: it was never acknowledged, so drop it.
    const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    for (const line of complete.split('\n')) {
      if (line.startsWith('C ')) this.committed.add(line.slice(2));
    }
    this.file = openSync(this.path, 'a', 0o600);
    this.bytes = Buffer.byteLength(text);
    // A torn tail would glue itself to the next record: cut it off.
    if (complete.length < text.length) {
      ftruncateSync(this.file, Buffer.byteLength(complete));
      this.bytes = Buffer.byteLength(complete);
    }
  }

  /** Makes the commit decision durable; only then may participants be told to commit. */
  async recordCommit(txn: string): Promise<void> {
    if (txn.includes('\n')) throw new Error('A transaction id cannot hold a line break');
    await new Promise<void>((resolve, reject) => {
      this.pending.push({ txn, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  isCommitted(txn: string): boolean {
    return this.committed.has(txn);
  }

  /** Every participant acknowledged the outcome: the decision is no longer needed. */
  forget(txn: string): void {
    this.committed.delete(txn);
  }

  /** Writes and fsyncs every waiting decision in one go, until none is left. */
  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          if (this.closed) throw new Error('The decision log is closed');
          const data = Buffer.from(batch.map((item) => `C ${item.txn}\n`).join(''));
          for (let offset = 0; offset < data.length;) {
            offset += (await writeAsync(this.file, data, offset, data.length - offset))
              .bytesWritten;
          }
          await datasyncAsync(this.file);
          this.syncCount += 1;
          this.bytes += data.length;
          // Known before anyone hears of it, so a compaction right after keeps it.
          for (const item of batch) this.committed.add(item.txn);
          for (const item of batch) item.resolve();
        } catch (error) {
          for (const item of batch)
            item.reject(error instanceof Error ? error : new Error(String(error)));
        }
        if (this.bytes > this.compactBytes && this.pending.length === 0 && !this.closed) {
          // A failed compaction leaves the full log in place, which stays correct.
          await this.compactNow().catch(() => undefined);
        }
      }
    } finally {
      this.flushing = undefined;
      if (this.closed) this.closeFile();
    }
  }

  /** Rewrites the file with the decisions still needed. */
  private async compactNow(): Promise<void> {
    const temporary = `${this.path}.tmp`;
    const file = openSync(temporary, 'w', 0o600);
    try {
      const data = Buffer.from([...this.committed].map((txn) => `C ${txn}\n`).join(''));
      for (let offset = 0; offset < data.length;) {
        offset += (await writeAsync(file, data, offset, data.length - offset)).bytesWritten;
      }
      await fsyncAsync(file);
      this.bytes = data.length;
    } finally {
      closeSync(file);
    }
    renameSync(temporary, this.path);
    closeSync(this.file);
    this.file = openSync(this.path, 'a', 0o600);
    const folder = openSync(dirname(this.path), 'r');
    try {
      await fsyncAsync(folder);
    } finally {
      closeSync(folder);
    }
  }

  /** Closes the file once the decisions being written are durable; later ones fail. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.flushing === undefined) this.closeFile();
  }

  private closeFile(): void {
    if (this.fileClosed) return;
    this.fileClosed = true;
    closeSync(this.file);
  }
}
