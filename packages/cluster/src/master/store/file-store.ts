import { open, readFile, rename, unlink, mkdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from './crc32.js';
import type { StateStore, StoreEntry, StoreOperation } from './state-store.js';

/**
 * The embedded durable store: a snapshot file plus an append-only log of commits.
 *
 * Log record: 4-byte big-endian payload length, 4-byte CRC-32 of the payload, then the
 * payload (JSON array of operations). A commit is acknowledged only after its record is
 * written and fdatasync'ed, so an acknowledged commit survives kill -9 and power loss.
 * On open, records are replayed until the first torn or corrupt one (a crash mid-append),
 * and the log is truncated there: that record was never acknowledged.
 *
 * Commits that arrive while a write is in flight are grouped into the next write (group
 * commit), so many concurrent commits cost one fsync. When the log grows past
 * `compactBytes`, the whole map is written to a new snapshot (temp file, fsync, rename,
 * directory fsync) and the log restarts empty.
 */
export interface FileStateStoreOptions {
  directory: string;
  /** Log size that triggers compaction. */
  compactBytes?: number;
}

interface PendingCommit {
  operations: readonly StoreOperation[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

const headerBytes = 8;

export class FileStateStore implements StateStore {
  private readonly entries = new Map<string, string>();
  private log: FileHandle | undefined;
  private logBytes = 0;
  private pending: PendingCommit[] = [];
  private writing = false;
  private closed = false;
  private readonly compactBytes: number;

  private constructor(
    private readonly directory: string,
    compactBytes: number,
  ) {
    this.compactBytes = compactBytes;
  }

  static async open(options: FileStateStoreOptions): Promise<FileStateStore> {
    const store = new FileStateStore(options.directory, options.compactBytes ?? 64 * 1024 * 1024);
    await mkdir(options.directory, { recursive: true });
    await store.load();
    return store;
  }

  private get snapshotPath(): string {
    return join(this.directory, 'state.snapshot');
  }

  private get logPath(): string {
    return join(this.directory, 'state.log');
  }

  private async load(): Promise<void> {
    try {
      const snapshot = JSON.parse(await readFile(this.snapshotPath, 'utf8')) as Record<
        string,
        string
      >;
      for (const [key, value] of Object.entries(snapshot)) this.entries.set(key, value);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    let buffer: Buffer;
    try {
      buffer = await readFile(this.logPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      buffer = Buffer.alloc(0);
    }
    let offset = 0;
    while (offset + headerBytes <= buffer.length) {
      const length = buffer.readUInt32BE(offset);
      const checksum = buffer.readUInt32BE(offset + 4);
      const end = offset + headerBytes + length;
      if (end > buffer.length) break;
      const payload = buffer.subarray(offset + headerBytes, end);
      if (crc32(payload) !== checksum) break;
      this.apply(JSON.parse(payload.toString('utf8')) as StoreOperation[]);
      offset = end;
    }
    this.log = await open(this.logPath, 'a+');
    if (offset < buffer.length) {
      // A torn tail from a crash mid-append: it was never acknowledged, drop it.
      await this.log.truncate(offset);
      await this.log.sync();
    }
    this.logBytes = offset;
  }

  private apply(operations: readonly StoreOperation[]): void {
    for (const operation of operations) {
      if (operation.type === 'put')
        this.entries.set(operation.key, JSON.stringify(operation.value));
      else this.entries.delete(operation.key);
    }
  }

  list(prefix: string): Promise<StoreEntry[]> {
    const result: StoreEntry[] = [];
    for (const [key, value] of this.entries) {
      if (key.startsWith(prefix)) result.push({ key, value: JSON.parse(value) as unknown });
    }
    result.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return Promise.resolve(result);
  }

  get(key: string): Promise<unknown> {
    const value = this.entries.get(key);
    return Promise.resolve(value === undefined ? undefined : (JSON.parse(value) as unknown));
  }

  commit(operations: readonly StoreOperation[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('state store is closed'));
    if (operations.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pending.push({ operations, resolve, reject });
      if (!this.writing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.writing = true;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const records = batch.map((commit) => encodeRecord(commit.operations));
        const bytes = Buffer.concat(records);
        await this.log!.write(bytes, 0, bytes.length, null);
        await this.log!.datasync();
        this.logBytes += bytes.length;
        // Applied to memory only once durable: readers never see an unacknowledged write.
        for (const commit of batch) this.apply(commit.operations);
        for (const commit of batch) commit.resolve();
        if (this.logBytes > this.compactBytes) await this.compact();
      } catch (error) {
        for (const commit of batch) commit.reject(error);
      }
    }
    this.writing = false;
  }

  private async compact(): Promise<void> {
    const temporary = this.snapshotPath + '.tmp';
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(JSON.stringify(Object.fromEntries(this.entries)));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.snapshotPath);
    await syncDirectory(this.directory);
    await this.log!.close();
    await unlink(this.logPath);
    this.log = await open(this.logPath, 'a+');
    await syncDirectory(this.directory);
    this.logBytes = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.writing) await new Promise((resolve) => setTimeout(resolve, 1));
    await this.log?.close();
    this.log = undefined;
  }
}

function encodeRecord(operations: readonly StoreOperation[]): Buffer {
  const payload = Buffer.from(JSON.stringify(operations), 'utf8');
  const header = Buffer.alloc(headerBytes);
  header.writeUInt32BE(payload.length, 0);
  header.writeUInt32BE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
