import type { Readable } from 'node:stream';

export class BodyTooLargeError extends Error {
  constructor(readonly bytesMax: number) {
    super(`body exceeds ${bytesMax} bytes`);
  }
}

/**
 * Reads a whole body into memory, up to `bytesMax`: beyond it the promise rejects with
 * BodyTooLargeError, so memory never holds more than the limit (plus one chunk). The stream is
 * then destroyed, or only paused when `overLimit` is 'pause': a client's request stays open
 * for the 413 answer, whose `Connection: close` ends it.
 */
export function readBody(
  stream: Readable,
  bytesMax: number,
  overLimit: 'destroy' | 'pause' = 'destroy',
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    function onData(chunk: Buffer): void {
      received += chunk.length;
      if (received > bytesMax) {
        cleanup();
        if (overLimit === 'pause') stream.pause();
        else stream.destroy();
        reject(new BodyTooLargeError(bytesMax));
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    }
    function onError(error: Error): void {
      cleanup();
      reject(error);
    }
    function onClose(): void {
      cleanup();
      reject(new Error('the body stream closed before its end'));
    }
    function cleanup(): void {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    }
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
