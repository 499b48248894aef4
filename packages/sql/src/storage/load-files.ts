/**
 * The files of bulk loads (`LoadRequest`): each chunk a transaction loads into a partition is
 * kept as `<partition>/load/<txn>-<n>.csv` while the transaction lives. DuckDB reads it in place
 * (read_csv, in C++ and in parallel); `prepare` fsyncs it, so the file is the durable write set
 * the prepare log refers to (redo reads it again); commit or rollback deletes it. Files that no
 * live transaction refers to are leftovers of a crash and are deleted when the leaf opens.
 */
import { mkdir, open, readdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

const LOAD_DIRECTORY = 'load';
const LOAD_SUFFIX = '.csv';
let sequence = 0;

export function loadDirectory(partitionDirectory: string): string {
  return path.join(partitionDirectory, LOAD_DIRECTORY);
}

/** Writes a chunk (not yet durable) and returns its path. */
export async function writeLoadFile(
  partitionDirectory: string,
  txn: string,
  data: Uint8Array | readonly Uint8Array[],
): Promise<string> {
  const directory = loadDirectory(partitionDirectory);
  await mkdir(directory, { recursive: true });
  sequence += 1;
  const safe = txn.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100);
  const file = path.join(directory, `${safe}-${process.pid}-${sequence}${LOAD_SUFFIX}`);
  // One write: runs given in pieces are joined first.
  await writeFile(file, data instanceof Uint8Array ? data : Buffer.concat(data));
  return file;
}

/** fsyncs the files and the folders holding them (so their names survive a crash too), at once. */
export async function syncLoadFiles(files: readonly string[]): Promise<void> {
  const sync = async (target: string, flags: string, data: boolean): Promise<void> => {
    const handle = await open(target, flags);
    try {
      await (data ? handle.datasync() : handle.sync());
    } finally {
      await handle.close();
    }
  };
  await Promise.all(files.map((file) => sync(file, 'r+', true)));
  const directories = new Set(files.map((file) => path.dirname(file)));
  await Promise.all([...directories].map((directory) => sync(directory, 'r', false)));
}

export async function removeLoadFiles(files: readonly string[]): Promise<void> {
  await Promise.all(files.map((file) => unlink(file).catch(() => undefined)));
}

/** Deletes the load files under `partitionDirectories` that `keep` does not name. */
export async function removeLeftoverLoadFiles(
  partitionDirectories: Iterable<string>,
  keep: ReadonlySet<string>,
): Promise<number> {
  let removed = 0;
  for (const partitionDirectory of partitionDirectories) {
    const directory = loadDirectory(partitionDirectory);
    let names: string[];
    try {
      names = await readdir(directory);
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(directory, name);
      if (!name.endsWith(LOAD_SUFFIX) || keep.has(file)) continue;
      await unlink(file).catch(() => undefined);
      removed += 1;
    }
  }
  return removed;
}
