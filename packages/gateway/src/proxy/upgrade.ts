import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import type { GatewayErrorCode } from '../errors.js';
import { GatewayErrors } from '../errors.js';
import { applyRewrite } from '../routing/rewrite.js';
import { endToEndHeaders, upstreamRequestHeaders } from './headers.js';
import { hostName, parseRequestTarget } from './request-target.js';
import type { Runtime } from './runtime.js';
import type { PolicyRequest } from '../policies/policy.js';
import { nextTraceContext } from './traceparent.js';

/**
 * WebSocket (and any HTTP/1.1 Upgrade, RFC 9110 §7.8) pass-through: route like any request,
 * send the upgrade request upstream with its Connection/Upgrade fields (hop-by-hop, so carried
 * over explicitly), relay the 101 and then splice the two sockets. Policies of the route run
 * first; a rejection is written as a plain HTTP response on the socket.
 */
export function handleUpgrade(options: {
  request: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  runtime: Runtime;
  protocol: 'http' | 'https';
  nowMs: number;
}): void {
  const { request, socket, head, runtime } = options;
  socket.on('error', () => socket.destroy());
  const target = parseRequestTarget(request.url ?? '/');
  // RFC 9112 §3.2.2: an absolute-form target's authority replaces the Host field.
  if (target?.authority !== undefined) request.headers.host = target.authority;
  const method = request.method ?? 'GET';
  if (!target) return refuse(socket, 'EXO_GATEWAY_BAD_REQUEST', 'the request target is not a path');
  const match = runtime.table.find(
    hostName(request.headers.host),
    target.path,
    method,
    request.headers,
  );
  if (!match)
    return refuse(socket, 'EXO_GATEWAY_NO_ROUTE', `no route for ${method} ${target.path}`);
  const route = match.route;
  const found = match;
  const { path, query } = target;
  const upstreamChanges = new Map<string, string | undefined>();
  if (route.policies.length === 0) return connect();
  // The route's policies judge the handshake, as they would any request.
  const policyRequest: PolicyRequest = {
    method,
    path: target.path,
    query: new URLSearchParams(target.query),
    headers: request.headers,
    remoteAddress: request.socket.remoteAddress ?? '',
    routeName: route.name,
    attributes: new Map(),
    upstreamHeaders: {
      set: (name, value) => void upstreamChanges.set(name.toLowerCase(), value),
      remove: (name) => void upstreamChanges.set(name.toLowerCase(), undefined),
    },
  };
  void (async () => {
    for (const policy of route.policies) {
      const answer = policy.respond?.(policyRequest);
      if (answer) return writeAnswer(socket, answer.status, answer.headers, answer.body ?? '');
      const rejection = await policy.onRequest(policyRequest);
      if (rejection) {
        const body = JSON.stringify({ code: rejection.code, message: rejection.message });
        return writeAnswer(
          socket,
          rejection.status,
          { ...rejection.headers, 'content-type': 'application/json; charset=utf-8' },
          body,
        );
      }
    }
    connect();
  })().catch(() => refuse(socket, 'EXO_GATEWAY_INTERNAL', 'a policy of this route failed'));

  function connect(): void {
    const pool = route.upstream;
    const picked = pool.balancer.pick({
      nowMs: options.nowMs,
      hashKey: request.socket.remoteAddress ?? '',
      exclude: undefined,
    });
    if (!picked)
      return refuse(
        socket,
        'EXO_GATEWAY_UPSTREAM_UNAVAILABLE',
        `upstream ${pool.name} has no healthy target`,
      );
    const headers = upstreamRequestHeaders(request.headers, {
      clientAddress: request.socket.remoteAddress ?? '',
      protocol: options.protocol,
      traceparent: nextTraceContext(request.headers.traceparent).traceparent,
    });
    headers.connection = 'Upgrade';
    if (request.headers.upgrade) headers.upgrade = request.headers.upgrade;
    headers.host =
      route.preserveHost && request.headers.host ? request.headers.host : picked.authority;
    for (const [name, value] of upstreamChanges) {
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    }
    const send = picked.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send({
      host: picked.hostname,
      port: picked.port,
      method,
      path: applyRewrite(route.rewrite, path, found) + query,
      headers,
      setHost: false,
      timeout: pool.config.timeouts.connectMs,
    });
    pool.acquire(picked);
    let released = false;
    const release = (): void => {
      if (!released) {
        released = true;
        pool.release(picked);
      }
    };
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.on('error', () => {
      release();
      refuse(socket, 'EXO_GATEWAY_BAD_GATEWAY', `upstream ${pool.name} failed the upgrade`);
    });
    upstream.on('response', (response) => {
      // The upstream declined to switch protocols: relay its answer as a normal response.
      release();
      socket.write(
        statusLine(response.statusCode ?? 502, response.statusMessage) +
          headerLines(endToEndHeaders(response.headers)) +
          '\r\n',
      );
      response.pipe(socket);
    });
    upstream.on('upgrade', (response, upstreamSocket, upstreamHead) => {
      upstream.setTimeout(0);
      upstreamSocket.setTimeout(0);
      const relayed = {
        ...endToEndHeaders(response.headers),
        connection: 'Upgrade',
        upgrade: response.headers.upgrade ?? 'websocket',
      };
      socket.write(statusLine(101, 'Switching Protocols') + headerLines(relayed) + '\r\n');
      if (upstreamHead.length) socket.write(upstreamHead);
      if (head.length) upstreamSocket.write(head);
      upstreamSocket.on('error', () => socket.destroy());
      upstreamSocket.on('close', () => {
        release();
        socket.destroy();
      });
      socket.on('close', () => upstreamSocket.destroy());
      // Servers keep half-open sockets (allowHalfOpen); a WebSocket has no use for half a
      // connection, so the end of either side ends both.
      socket.on('end', () => {
        upstreamSocket.end();
        socket.end();
      });
      upstreamSocket.on('end', () => {
        socket.end();
        upstreamSocket.end();
      });
      upstreamSocket.pipe(socket);
      socket.pipe(upstreamSocket);
    });
    upstream.end();
  }
}

function writeAnswer(
  socket: Duplex,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  if (socket.destroyed || !socket.writable) return;
  socket.end(
    statusLine(status, STATUS_CODES[status]) +
      headerLines({ ...headers, 'content-length': Buffer.byteLength(body), connection: 'close' }) +
      '\r\n' +
      body,
  );
}

function refuse(socket: Duplex, code: GatewayErrorCode, message: string): void {
  if (socket.destroyed || !socket.writable) return;
  const body = JSON.stringify({ code, message });
  const status = GatewayErrors[code].status;
  socket.end(
    statusLine(status, STATUS_CODES[status]) +
      headerLines({
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        connection: 'close',
      }) +
      '\r\n' +
      body,
  );
}

function statusLine(status: number, message: string | undefined): string {
  return `HTTP/1.1 ${status} ${message ?? STATUS_CODES[status] ?? ''}\r\n`;
}

function headerLines(headers: Record<string, string | string[] | number | undefined>): string {
  let text = '';
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value])
      text += `${name}: ${String(item)}\r\n`;
  }
  return text;
}
