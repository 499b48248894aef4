/**
 * A copy of a LOAD DATA LOCAL file as it arrives, so the load can be read again from the start:
 * the fast path (`load-fast.ts`) stops at the first duplicate key or value that does not fit,
 * where MariaDB's LOCAL load skips or adjusts the row with a warning; the load then starts over
 * on the exact path from this copy (`load-data.ts`). Writes go out in batches without waiting
 * for each other; the file lives in the merge engine's folder and is removed after the load.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';

/** Chunks are gathered up to this many bytes per write. */
const BATCH_BYTES = 1024 * 1024;
/** Bytes written but not yet on file before `append` waits. */
const PENDING_BYTES_MAX = 64 * 1024 * 1024;
const READ_BYTES = 1024 * 1024;

export class LoadSpool {
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  private pendingBytes = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  private constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(file: string): Promise<LoadSpool> {
    return new LoadSpool(file, await open(file, 'wx', 0o600));
  }

  /** Keeps the chunk (a view the caller does not change afterwards). */
  async append(chunk: Uint8Array): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.batch.push(chunk);
    this.batchBytes += chunk.byteLength;
    if (this.batchBytes >= BATCH_BYTES) this.write();
    if (this.pendingBytes > PENDING_BYTES_MAX) await this.writing;
  }

  /** The whole file from its start, after everything appended is written. */
  async *read(): AsyncGenerator<Uint8Array> {
    this.write();
    await this.writing;
    if (this.failure !== undefined) throw this.failure;
    for await (const chunk of createReadStream(this.file, { highWaterMark: READ_BYTES }))
      yield chunk as Buffer;
  }

  async remove(): Promise<void> {
    await this.writing;
    await this.handle.close().catch(() => undefined);
    await rm(this.file, { force: true });
  }

  private async writeAll(data: Buffer): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, null);
      done += bytesWritten;
    }
  }

  private write(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    const bytes = this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    this.pendingBytes += bytes;
    this.writing = this.writing.then(async () => {
      try {
        if (this.failure === undefined) await this.writeAll(Buffer.concat(batch, bytes));
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
      } finally {
        this.pendingBytes -= bytes;
      }
    });
  }
}
