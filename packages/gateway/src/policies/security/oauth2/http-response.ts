import type { ServerResponse } from 'node:http';

/** Writes a JSON body; token responses must never be cached (RFC 6749 §5.1, §5.2). */
export function sendJson(
  response: ServerResponse,
  options: { status: number; body: unknown; headers?: Record<string, string> },
): void {
  const body = JSON.stringify(options.body);
  response.writeHead(options.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    pragma: 'no-cache',
    ...options.headers,
  });
  response.end(body);
}

/** The error codes of RFC 6749 §5.2 this endpoint uses. */
export type TokenErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unauthorized_client';

/**
 * An RFC 6749 §5.2 error response: 400 for everything except invalid_client, which is 401
 * with a challenge for the scheme the client may use (HTTP Basic, §2.3.1).
 */
export function sendTokenError(
  response: ServerResponse,
  options: {
    error: TokenErrorCode;
    description: string;
    realm: string;
    headers?: Record<string, string>;
  },
): void {
  const unauthorized = options.error === 'invalid_client';
  sendJson(response, {
    status: unauthorized ? 401 : 400,
    body: { error: options.error, error_description: options.description },
    headers: {
      ...(unauthorized
        ? { 'www-authenticate': `Basic realm="${options.realm}", charset="UTF-8"` }
        : {}),
      ...options.headers,
    },
  });
}
