import type { ServerResponse } from 'node:http';
import type { GatewayErrorCode } from '../errors.js';
import { GatewayErrors } from '../errors.js';

/** Answers with the gateway's JSON error body `{code, message}`, unless headers already left. */
export function respondError(
  response: ServerResponse,
  code: GatewayErrorCode | { status: number; code: string },
  message: string,
  extraHeaders?: Readonly<Record<string, string | string[]>>,
): void {
  const status = typeof code === 'string' ? GatewayErrors[code].status : code.status;
  const name = typeof code === 'string' ? code : code.code;
  if (response.headersSent || response.destroyed) {
    // The status line is gone: the only honest signal left is to cut the message short.
    response.destroy();
    return;
  }
  const body = JSON.stringify({ code: name, message });
  response.writeHead(status, {
    ...extraHeaders,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
