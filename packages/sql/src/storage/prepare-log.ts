/**
 * The leaf's prepare log for two-phase commit (neither engine has PREPARE TRANSACTION).
 *
 * Records: u32 payload length, u32 CRC-32 of the payload, payload. A prepare record holds a
 * transaction's whole write set and is fsync'ed before `prepare` answers; a done record
 * (committed or rolled back) is appended without fsync, since recovery can tell a committed
 * transaction by its `_exo_applied` rows. Appends are batched: concurrent prepares share one
 * fsync (group commit). A torn or corrupt tail is cut off on open.
 */
import { crc32 } from 'node:zlib';
import { open, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

const HEADER_BYTES = 8;
export const LOG_RECORD_BYTES_MAX = 1024 * 1024 * 1024;

interface Pending {
  readonly bytes: Buffer;
  readonly durable: boolean;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export function frameRecord(payload: Buffer): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

/** Splits a log file into its valid records; `validBytes` is where the valid prefix ends. */
export function parseRecords(data: Buffer): { records: Buffer[]; validBytes: number } {
  const records: Buffer[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= data.length) {
    const length = data.readUInt32LE(offset);
    const checksum = data.readUInt32LE(offset + 4);
    const end = offset + HEADER_BYTES + length;
    if (length > LOG_RECORD_BYTES_MAX || end > data.length) break;
    const payload = data.subarray(offset + HEADER_BYTES, end);
    if (crc32(payload) !== checksum) break;
    records.push(payload);
    offset = end;
  }
  return { records, validBytes: offset };
}

export class PrepareLog {
  private pending: Pending[] = [];
  private flushing = false;
  private compacting = false;
  private bytes: number;

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    size: number,
  ) {
    this.bytes = size;
  }

  /** Opens the log, cutting off a torn tail, and returns its records. */
  static async open(file: string): Promise<{ log: PrepareLog; records: Buffer[] }> {
    const handle = await open(file, 'a+');
    const data = await handle.readFile();
    const { records, validBytes } = parseRecords(data);
    if (validBytes < data.length) {
      await handle.truncate(validBytes);
      await handle.datasync();
    }
    return { log: new PrepareLog(file, handle, validBytes), records };
  }

  get size(): number {
    return this.bytes;
  }

  append(payload: Buffer, durable: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ bytes: frameRecord(payload), durable, resolve, reject });
      if (!this.flushing && !this.compacting) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const data = Buffer.concat(batch.map((item) => item.bytes));
        await this.handle.write(data);
        this.bytes += data.length;
        if (batch.some((item) => item.durable)) await this.handle.datasync();
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch)
          item.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    this.flushing = false;
  }

  /**
   * Replaces the log with `live` records only (the prepared transactions still undecided):
   * written to a temporary file, fsync'ed, then renamed over the log.
   */
  async compact(live: () => readonly Buffer[]): Promise<void> {
    if (this.compacting) return;
    this.compacting = true;
    try {
      while (this.flushing) await new Promise((resolve) => setImmediate(resolve));
      const temporary = `${this.file}.compact`;
      const handle = await open(temporary, 'w');
      const data = Buffer.concat(live().map(frameRecord));
      await handle.write(data);
      await handle.datasync();
      await handle.close();
      await rename(temporary, this.file);
      const directory = await open(path.dirname(this.file), 'r');
      await directory.sync().finally(() => directory.close());
      await this.handle.close();
      this.handle = await open(this.file, 'a+');
      this.bytes = data.length;
    } finally {
      this.compacting = false;
      if (this.pending.length > 0) void this.flush();
    }
  }

  async close(): Promise<void> {
    while (this.flushing) await new Promise((resolve) => setImmediate(resolve));
    await this.handle.close();
  }
}
