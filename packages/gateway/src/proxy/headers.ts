import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Hop-by-hop fields (RFC 9110 §7.6.1) describe one connection, not the message: a proxy removes
 * them, plus every field the Connection header names. Proxy-Authorization/-Authenticate are
 * meant for this hop too (RFC 9110 §11.7).
 */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
]);

function connectionNamed(headers: IncomingHttpHeaders): Set<string> | undefined {
  const connection = headers.connection;
  if (!connection) return undefined;
  let named: Set<string> | undefined;
  for (const token of connection.split(',')) {
    const name = token.trim().toLowerCase();
    if (name && name !== 'close' && name !== 'keep-alive' && name !== 'upgrade')
      (named ??= new Set()).add(name);
  }
  return named;
}

/** End-to-end fields of a message, without hop-by-hop ones. */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = connectionNamed(headers);
  const result: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (hopByHop.has(name) || named?.has(name)) continue;
    result[name] = headers[name];
  }
  return result;
}

export interface ForwardingFacts {
  readonly clientAddress: string;
  readonly protocol: 'http' | 'https';
  readonly traceparent: string;
}

/**
 * The request fields sent upstream: end-to-end fields, then X-Forwarded-For (the client address
 * appended to any list the client sent), X-Forwarded-Proto and X-Forwarded-Host (the de-facto
 * fields; RFC 7239 Forwarded is their standard form), and the W3C traceparent of this hop.
 */
export function upstreamRequestHeaders(
  headers: IncomingHttpHeaders,
  facts: ForwardingFacts,
): OutgoingHttpHeaders {
  const result = endToEndHeaders(headers);
  const forwardedFor = headers['x-forwarded-for']?.toString();
  result['x-forwarded-for'] = forwardedFor
    ? `${forwardedFor}, ${facts.clientAddress}`
    : facts.clientAddress;
  result['x-forwarded-proto'] = facts.protocol;
  if (headers.host !== undefined) result['x-forwarded-host'] = headers.host;
  result.traceparent = facts.traceparent;
  return result;
}
