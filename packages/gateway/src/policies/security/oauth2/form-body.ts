import type { IncomingMessage } from 'node:http';

export type FormBodyResult =
  | { readonly parameters: URLSearchParams }
  | { readonly failure: 'media-type' | 'too-large' | 'aborted' };

/**
 * Reads an `application/x-www-form-urlencoded` body (RFC 6749 §4.4.2 requires that format),
 * refusing more than `bytesMax` bytes: a token request is a few hundred bytes, so anything
 * larger is a mistake or an attack and is not buffered.
 */
export async function readFormBody(
  request: IncomingMessage,
  options: { bytesMax: number },
): Promise<FormBodyResult> {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/x-www-form-urlencoded') {
    request.resume();
    return { failure: 'media-type' };
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > options.bytesMax) {
    request.resume();
    return { failure: 'too-large' };
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > options.bytesMax) {
        request.resume();
        return { failure: 'too-large' };
      }
      chunks.push(chunk);
    }
  } catch {
    return { failure: 'aborted' };
  }
  return { parameters: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) };
}
