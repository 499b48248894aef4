import type { MediatedRequest, MediatedResponse } from '../policies/policy.js';
import { mediationError } from './mediation-errors.js';

export type BodySide = 'request' | 'response';

/**
 * Parses a buffered body as JSON. An invalid request body is the client's error (400); an
 * invalid response body is the upstream's (502). An empty body is `undefined`.
 */
export function parseJsonBody(body: Buffer | undefined, side: BodySide, policy: string): unknown {
  if (body === undefined || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw invalidBody(
      side,
      `${policy}: the ${side} body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

export function invalidBody(side: BodySide, message: string): Error {
  return mediationError(
    side === 'request' ? 'EXO_GATEWAY_INVALID_REQUEST_BODY' : 'EXO_GATEWAY_INVALID_UPSTREAM_BODY',
    message,
  );
}

/** Replaces a message body; the engine sets Content-Length from it. */
export function setBody(
  message: MediatedRequest | MediatedResponse,
  body: Buffer,
  contentType: string,
): void {
  message.body = body;
  message.headers['content-type'] = contentType;
  // The new body is sent whole, with its own length and no content coding.
  delete message.headers['content-encoding'];
  delete message.headers['content-length'];
  delete message.headers['etag'];
}

export function setJsonBody(message: MediatedRequest | MediatedResponse, value: unknown): void {
  setBody(
    message,
    Buffer.from(JSON.stringify(value === undefined ? null : value)),
    'application/json; charset=utf-8',
  );
}

/** The first value of a header, if any. */
export function headerValue(
  headers: Readonly<Record<string, string | string[] | number | undefined>>,
  name: string,
): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0] : String(value);
}
