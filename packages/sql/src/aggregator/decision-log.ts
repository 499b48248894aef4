/**
 * The coordinator's durable record of two-phase-commit decisions. A transaction is committed
 * the moment its COMMIT record is fsync'ed: after that, every participant is told to commit,
 * now or after a crash (presumed abort: a prepared transaction with no record is rolled back).
 * Records are text lines "C <txn>"; the file is compacted when no decision is still needed.
 */
import { closeSync, fsyncSync, openSync, readFileSync, writeSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export const DECISION_FILE = 'decisions.log';

export class DecisionLog {
  private readonly committed = new Set<string>();
  private file: number;
  private readonly path: string;

  constructor(directory: string) {
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
  }

  /** Makes the commit decision durable; only then may participants be told to commit. */
  recordCommit(txn: string): void {
    writeSync(this.file, `C ${txn}\n`);
    fsyncSync(this.file);
    this.committed.add(txn);
  }

  isCommitted(txn: string): boolean {
    return this.committed.has(txn);
  }

  /** Every participant acknowledged the outcome: the decision is no longer needed. */
  forget(txn: string): void {
    this.committed.delete(txn);
  }

  /** Rewrites the file with the decisions still needed. */
  compact(): void {
    const temporary = `${this.path}.tmp`;
    const file = openSync(temporary, 'w', 0o600);
    writeSync(file, [...this.committed].map((txn) => `C ${txn}\n`).join(''));
    fsyncSync(file);
    closeSync(file);
    renameSync(temporary, this.path);
    closeSync(this.file);
    this.file = openSync(this.path, 'a', 0o600);
  }

  close(): void {
    closeSync(this.file);
  }
}
