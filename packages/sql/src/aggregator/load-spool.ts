/**
 * A copy of a LOAD DATA LOCAL file as it arrives, so the load can be read again from the start:
 * the fast path (`load-fast.ts`) stops at the first duplicate key or value that does not fit,
 * where MariaDB's LOCAL load skips or adjusts the row with a warning; the load then starts over
 * on the exact path from this copy (`load-data.ts`). The first `MEMORY_BYTES` stay as the
 * chunks that came (a steady ingest of small loads touches no file); past them everything goes
 * to a file in the merge engine's folder, written in batches without waiting for each other,
 * and removed after the load.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';

/** A file this small is kept in memory (by default). */
const MEMORY_BYTES = 16 * 1024 * 1024;
/** Chunks are gathered up to this many bytes per write. */
const BATCH_BYTES = 1024 * 1024;
/** Bytes written but not yet on file before `append` waits. */
const PENDING_BYTES_MAX = 64 * 1024 * 1024;
const READ_BYTES = 1024 * 1024;

interface SpoolFile {
  readonly path: string;
  readonly handle: FileHandle;
}

export class LoadSpool {
  /** Chunks not yet on file (all of them while the file is small). */
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  private pendingBytes = 0;
  private file: Promise<SpoolFile> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  /** `path` names the file made once the copy outgrows `memoryBytes`. */
  constructor(
    private readonly path: () => Promise<string>,
    private readonly memoryBytes = MEMORY_BYTES,
  ) {}

  /** Keeps the chunk (a view the caller does not change afterwards). */
  async append(chunk: Uint8Array): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.batch.push(chunk);
    this.batchBytes += chunk.byteLength;
    if (this.file === undefined && this.batchBytes < this.memoryBytes) return;
    if (this.batchBytes >= BATCH_BYTES) this.write();
    if (this.pendingBytes > PENDING_BYTES_MAX) await this.writing;
  }

  /** The whole file from its start, after everything appended is written. */
  async *read(): AsyncGenerator<Uint8Array> {
    if (this.file === undefined) {
      yield* this.batch;
      return;
    }
    this.write();
    await this.writing;
    if (this.failure !== undefined) throw this.failure;
    const { path } = await this.file;
    for await (const chunk of createReadStream(path, { highWaterMark: READ_BYTES }))
      yield chunk as Buffer;
  }

  async remove(): Promise<void> {
    this.batch = [];
    if (this.file === undefined) return;
    await this.writing;
    const file = await this.file.catch(() => undefined);
    if (file === undefined) return;
    await file.handle.close().catch(() => undefined);
    await rm(file.path, { force: true });
  }

  private write(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    const bytes = this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    this.pendingBytes += bytes;
    this.file ??= this.path().then(async (path) => ({
      path,
      handle: await open(path, 'wx', 0o600),
    }));
    const file = this.file;
    this.writing = this.writing.then(async () => {
      try {
        if (this.failure === undefined)
          await writeAll((await file).handle, Buffer.concat(batch, bytes));
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
      } finally {
        this.pendingBytes -= bytes;
      }
    });
  }
}

async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, null);
    done += bytesWritten;
  }
}
