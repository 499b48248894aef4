/**
 * A rowstore partition file's write fence: a number in the file (SQLite's `user_version`)
 * that says which leaf process serves the file and that the file may be written from outside
 * it. The leaf sets it when it opens the partition, from the token it reports while serving
 * (`Leaf.info`), and sets it to `FENCE_CLOSED` while the partition is frozen for a move. A
 * writer in another process (the aggregator on a leaf of its host, `sqlite-writer.ts`) reads
 * it inside its own write transaction and writes only when it holds the token it was told:
 * SQLite serialises the two writes, so a write either commits before the fence moved, and is
 * in the file the move copies, or sees the new value and leaves the write to the leaf.
 */
import type Database from 'better-sqlite3';

export const FENCE_CLOSED = 0;

/** The fence a leaf process with this token sets: a positive 31-bit number. */
export function fenceOf(token: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < token.length; index++) {
    hash = Math.imul(hash ^ token.charCodeAt(index), 0x01000193);
  }
  return (hash >>> 1) | 1;
}

/** Reads the fence: a statement prepared once per connection. */
export function fenceReader(db: Database.Database): () => number {
  const statement = db.prepare('PRAGMA user_version').pluck();
  return () => Number(statement.get());
}

/** Sets the fence; the caller holds the file's write lock. */
export function writeFence(db: Database.Database, fence: number): void {
  if (!Number.isInteger(fence) || fence < 0 || fence > 0x7fffffff)
    throw new RangeError(`Invalid write fence ${fence}`);
  db.pragma(`user_version = ${fence}`);
}
