import { pipeline, type Readable } from 'node:stream';
import type { MediatedResponse } from '../policies/policy.js';
import type { Exchange } from '../proxy/exchange.js';
import { policyHeaders } from '../proxy/forward.js';

/**
 * Sends a mediated response: a buffered body with its exact Content-Length, or the upstream's
 * body streamed with backpressure. Response headers of the route's other policies (CORS,
 * RateLimit-*) are added as on the plain proxy path.
 */
export function writeMediatedResponse(
  exchange: Exchange,
  response: MediatedResponse,
  stream: Readable | undefined,
): void {
  const client = exchange.response;
  if (client.headersSent || client.destroyed) {
    stream?.destroy();
    if (!client.destroyed) client.destroy();
    return;
  }
  const headers = policyHeaders(exchange, { ...response.headers });
  if (response.body !== undefined) {
    // A HEAD answer keeps the length its GET would have (RFC 9110 §9.3.2).
    if (exchange.method !== 'HEAD' || headers['content-length'] === undefined)
      headers['content-length'] = String(response.body.length);
    delete headers['transfer-encoding'];
    stream?.destroy();
    client.writeHead(response.status, headers);
    client.end(exchange.method === 'HEAD' ? undefined : response.body);
    return;
  }
  client.writeHead(response.status, headers);
  if (!stream) {
    client.end();
    return;
  }
  // A broken upstream body cuts the client response short: the only honest signal left.
  pipeline(stream, client, () => undefined);
}
