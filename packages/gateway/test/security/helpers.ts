import { constants, createHmac, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { silentLogger, VirtualClock, type Clock } from '@exosphere/common';
import type {
  PolicyFactoryContext,
  PolicyRequest,
  PolicyType,
  RequestPolicy,
} from '../../src/policies/policy.js';

export interface RecordedRequest extends PolicyRequest {
  /** Headers set for the upstream, by lower-case name. */
  readonly setHeaders: Map<string, string>;
  /** Headers removed before the upstream, lower-case. */
  readonly removedHeaders: Set<string>;
}

/** A hand-built PolicyRequest that records what the policy changes. */
export function policyRequest(
  options: {
    method?: string;
    path?: string;
    query?: string;
    headers?: IncomingHttpHeaders;
    remoteAddress?: string;
  } = {},
): RecordedRequest {
  const setHeaders = new Map<string, string>();
  const removedHeaders = new Set<string>();
  return {
    method: options.method ?? 'GET',
    path: options.path ?? '/orders',
    query: new URLSearchParams(options.query ?? ''),
    headers: options.headers ?? {},
    remoteAddress: options.remoteAddress ?? '127.0.0.1',
    routeName: 'orders',
    apiName: 'shop',
    attributes: new Map(),
    upstreamHeaders: {
      set: (name, value) => setHeaders.set(name.toLowerCase(), value),
      remove: (name) => removedHeaders.add(name.toLowerCase()),
    },
    setHeaders,
    removedHeaders,
  };
}

export function policyContext(clock: Clock = new VirtualClock()): PolicyFactoryContext {
  return { clock, logger: silentLogger() };
}

/** Validates raw configuration (as the loader would, YAML minus `type`) and creates the policy. */
export function configure(
  type: PolicyType,
  raw: unknown,
  context: PolicyFactoryContext = policyContext(),
): RequestPolicy {
  return type.create(type.schema.parse(raw), context);
}

/** Whether the raw configuration is rejected, and the issue paths and messages if so. */
export function configurationErrors(type: PolicyType, raw: unknown): string[] {
  const result = type.schema.safeParse(raw);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A real HTTP server on port 0 (never a fixed port, so tests can run in parallel). */
export async function startServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void | Promise<void>,
): Promise<TestServer> {
  const server = createServer((request, response) => {
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/**
 * Signs a JWT with node:crypto directly, independently of the code under test. ECDSA
 * signatures come out of node:crypto as DER and are converted here to the R || S form of
 * RFC 7518 §3.4 by hand, so the policy's reading of that form is checked for real.
 */
export function signToken(options: {
  algorithm: string;
  key: KeyObject | Buffer | string;
  payload: Record<string, unknown>;
  header?: Record<string, unknown>;
}): string {
  const header = base64url(
    JSON.stringify({ alg: options.algorithm, typ: 'JWT', ...options.header }),
  );
  const payload = base64url(JSON.stringify(options.payload));
  const input = `${header}.${payload}`;
  const family = options.algorithm.slice(0, 2);
  const hash = `sha${options.algorithm.slice(2)}`;
  let signature: Buffer;
  if (family === 'HS') {
    signature = createHmac(hash, options.key).update(input).digest();
  } else if (family === 'RS') {
    signature = sign(hash, Buffer.from(input), options.key);
  } else if (family === 'PS') {
    signature = sign(hash, Buffer.from(input), {
      key: options.key as KeyObject,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: Number(options.algorithm.slice(2)) / 8,
    });
  } else if (family === 'ES') {
    const size = { ES256: 32, ES384: 48, ES512: 66 }[options.algorithm] ?? 32;
    signature = derToRaw(sign(hash, Buffer.from(input), options.key), size);
  } else {
    signature = Buffer.alloc(0);
  }
  return `${input}.${base64url(signature)}`;
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } → r || s, each `size` bytes. */
function derToRaw(der: Buffer, size: number): Buffer {
  let offset = 2;
  if (der[1]! & 0x80) offset += der[1]! & 0x7f;
  const integers: Buffer[] = [];
  for (let i = 0; i < 2; i++) {
    const length = der[offset + 1]!;
    let value = der.subarray(offset + 2, offset + 2 + length);
    offset += 2 + length;
    while (value.length > size && value[0] === 0) value = value.subarray(1);
    integers.push(Buffer.concat([Buffer.alloc(size - value.length), value]));
  }
  return Buffer.concat(integers);
}
