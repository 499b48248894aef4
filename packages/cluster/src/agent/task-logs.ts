import { open, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { Clock } from '@exosphere/common';

/** A single read answers with at most this much; follow streams in chunks of it. */
export const logChunkBytesMax = 1024 * 1024;

export interface LogStreamOptions {
  readonly file: string;
  /** Start here; a negative offset counts back from the end (the last N bytes). */
  readonly offset: number;
  readonly follow: boolean;
  /** Whether the task has ended (then following stops once everything is sent). */
  readonly taskEnded: () => boolean;
  readonly clock: Clock;
  readonly pollIntervalMs: number;
  readonly response: ServerResponse;
}

/**
 * Sends a task's log file as text from an offset. With `follow`, it keeps the response open
 * and sends bytes as they are appended (chunked), polling the file size — fs.watch misses
 * appends on several file systems — until the task ends or the client goes away.
 */
export async function streamLog(options: LogStreamOptions): Promise<void> {
  const { response } = options;
  let size = await fileSize(options.file);
  let position =
    options.offset < 0 ? Math.max(0, size + options.offset) : Math.min(options.offset, size);
  response.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'x-exo-log-offset': String(position),
    'cache-control': 'no-store',
  });
  if (!options.follow) {
    const end = Math.min(size, position + logChunkBytesMax);
    response.end(await readRange(options.file, position, end));
    return;
  }
  let closed = false;
  response.on('close', () => (closed = true));
  for (;;) {
    const ended = options.taskEnded();
    size = await fileSize(options.file);
    while (!closed && position < size) {
      const end = Math.min(size, position + logChunkBytesMax);
      const chunk = await readRange(options.file, position, end);
      position = end;
      if (!response.write(chunk)) await waitForDrain(response);
    }
    // The size was read after checking `ended`, so everything written before the end is sent.
    if (closed || ended) break;
    await options.clock.sleep(options.pollIntervalMs);
  }
  if (!closed) response.end();
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function readRange(file: string, start: number, end: number): Promise<Buffer> {
  if (end <= start) return Buffer.alloc(0);
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function waitForDrain(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
