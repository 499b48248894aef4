import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Hop-by-hop fields (RFC 9110 §7.6.1) describe one connection, not the message: a proxy removes
 * them, plus every field the Connection header names. Proxy-Authorization/-Authenticate are
 * meant for this hop too (RFC 9110 §11.7).
 */
export const hopByHop: ReadonlySet<string> = new Set([
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

/** The fields the Connection field names besides its options (RFC 9110 §7.6.1), lower case. */
export function connectionNamed(headers: IncomingHttpHeaders): Set<string> | undefined {
  const connection = headers.connection;
  if (!connection) return undefined;
  // The common values name no field: skip the split.
  const lower = connection.length <= 10 ? connection.toLowerCase() : '';
  if (lower === 'keep-alive' || lower === 'close' || lower === 'upgrade') return undefined;
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

/**
 * End-to-end fields of a response head as undici hands it over (`[name, value, name, value…]`
 * as bytes), as a flat list for `writeHead`: names lower-case, values latin1 (the bytes as
 * received, like node:http's parser), repeated fields kept in order.
 */
export function endToEndRawHeaders(raw: readonly Buffer[]): string[] {
  const flat: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2)
    flat.push(raw[i]!.toString('latin1').toLowerCase(), raw[i + 1]!.toString('latin1'));
  return endToEndFields(flat);
}

/**
 * The end-to-end fields of a flat field list with lower-case names (`[name, value, …]`):
 * hop-by-hop fields and the fields Connection names are removed.
 */
export function endToEndFields(flat: readonly string[]): string[] {
  const result: string[] = [];
  let connection: string | undefined;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = flat[i]!;
    if (hopByHop.has(name)) {
      if (name === 'connection') {
        const value = flat[i + 1]!;
        connection = connection === undefined ? value : `${connection}, ${value}`;
      }
      continue;
    }
    result.push(name, flat[i + 1]!);
  }
  const named = connection === undefined ? undefined : connectionNamed({ connection });
  if (!named) return result;
  const kept: string[] = [];
  for (let i = 0; i < result.length; i += 2)
    if (!named.has(result[i]!)) kept.push(result[i]!, result[i + 1]!);
  return kept;
}

/** A flat field list as a record (repeated fields become arrays), for policies to amend. */
export function headerRecord(flat: readonly string[]): Record<string, string | string[]> {
  const record = Object.create(null) as Record<string, string | string[]>;
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i]!;
    const value = flat[i + 1]!;
    const existing = record[name];
    if (existing === undefined) record[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else record[name] = [existing, value];
  }
  return record;
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
