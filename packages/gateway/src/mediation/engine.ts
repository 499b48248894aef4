import type { Readable } from 'node:stream';
import type { Clock, Logger } from '@exosphere/common';
import { GatewayErrors } from '../errors.js';
import type {
  MediatedRequest,
  MediatedResponse,
  MediationContext,
  MediationFault,
  ServiceAnswer,
  ServiceCall,
} from '../policies/policy.js';
import type { Exchange } from '../proxy/exchange.js';
import type { UpstreamPool } from '../upstream/pool.js';
import { countBody } from '../proxy/body-limit.js';
import { BodyTooLargeError, readBody } from './body.js';
import type { MediationChain } from './chain.js';
import { faultOf, MediationErrors } from './mediation-errors.js';
import { createServiceCaller } from './services.js';
import { callUpstream } from './upstream-call.js';
import { writeMediatedResponse } from './write-response.js';

export interface MediationRun {
  readonly exchange: Exchange;
  readonly chain: MediationChain;
  /** The runtime's upstreams: content-based routing and policies' calls pick among them. */
  readonly upstreams: ReadonlyMap<string, UpstreamPool>;
  readonly bodyBytesMax: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onUpstreamError: (upstream: string, kind: string) => void;
}

/** The context as the engine fills it in, phase by phase. */
interface MutableContext extends MediationContext {
  response: MediatedResponse | undefined;
  fault: MediationFault | undefined;
}

/**
 * Runs a mediated exchange: request phase → upstream (unless a policy answered) → response
 * phase, and the fault phase when the upstream or a policy fails. Never throws: every outcome
 * ends in one answer to the client. Bodies are buffered only when the chain needs them; a
 * chain of header and query policies streams both ways like the plain proxy.
 */
export function runMediation(run: MediationRun): void {
  mediate(run).catch((error: unknown) => {
    run.logger.error('mediation failed', { route: run.exchange.route?.name, error });
    run.exchange.response.destroy();
  });
}

async function mediate(run: MediationRun): Promise<void> {
  const { exchange, chain } = run;
  const route = exchange.route!;
  const abort = new AbortController();
  exchange.upstreamRequest = { destroy: () => abort.abort() };
  const queryAt = exchange.upstreamPath.indexOf('?');
  const originalQuery = queryAt < 0 ? '' : exchange.upstreamPath.slice(queryAt + 1);
  const message: MediatedRequest = {
    method: exchange.method,
    path: queryAt < 0 ? exchange.upstreamPath : exchange.upstreamPath.slice(0, queryAt),
    query: new URLSearchParams(originalQuery),
    headers: exchange.upstreamHeaders as Record<string, string | string[]>,
    body: undefined,
    upstream: route.upstream.name,
  };
  const normalizedQuery = message.query.toString();
  const services = createServiceCaller({
    upstreams: run.upstreams,
    clock: run.clock,
    signal: abort.signal,
  });
  const context: MutableContext = {
    request: exchange.policyRequest!,
    message,
    response: undefined,
    fault: undefined,
    bodyBytesMax: run.bodyBytesMax,
    call: (call: ServiceCall): Promise<ServiceAnswer> => services(call),
  };
  let stream: Readable | undefined;
  try {
    if (chain.requestBody && exchange.hasBody) message.body = await readRequestBody(run);
    let answer: MediatedResponse | undefined;
    let responseStart = 0;
    for (const step of chain.request) {
      answer = await step.onRequest!(context);
      if (answer) {
        // A policy that also has a response step (a cache) answered at its own position:
        // the response phase resumes after it.
        responseStart = chain.response.indexOf(step) + 1;
        break;
      }
    }
    if (!answer) {
      const upstream = await sendUpstream(run, message, originalQuery, normalizedQuery, abort);
      if (chain.responseBody && exchange.method !== 'HEAD') {
        answer = { status: upstream.status, headers: upstream.headers, body: undefined };
        answer.body = await readUpstreamBody(upstream.body, run.bodyBytesMax, message.upstream);
      } else {
        stream = upstream.body;
        answer = { status: upstream.status, headers: upstream.headers, body: undefined };
      }
    }
    context.response = answer;
    for (const step of chain.response.slice(responseStart))
      await step.onResponse!(context as MutableContext & { response: MediatedResponse });
    writeMediatedResponse(exchange, context.response, stream);
  } catch (error) {
    stream?.destroy();
    if (exchange.answered || exchange.response.destroyed || abort.signal.aborted) return;
    let fault = faultOf(error);
    if (!fault) {
      run.logger.error('a mediation policy failed', { route: route.name, error });
      fault = {
        status: GatewayErrors.EXO_GATEWAY_INTERNAL.status,
        code: 'EXO_GATEWAY_INTERNAL',
        message: 'a policy of this route failed',
      };
    }
    const response = await runFaultPhase(run, context, fault);
    // The rest of a request body over the limit is not read: the connection cannot be reused.
    if (fault.code === 'EXO_GATEWAY_BODY_TOO_LARGE') response.headers.connection = 'close';
    writeMediatedResponse(exchange, response, undefined);
  }
}

async function sendUpstream(
  run: MediationRun,
  message: MediatedRequest,
  originalQuery: string,
  normalizedQuery: string,
  abort: AbortController,
): Promise<{ status: number; headers: Record<string, string | string[]>; body: Readable }> {
  const { exchange, chain } = run;
  const route = exchange.route!;
  const pool = run.upstreams.get(message.upstream);
  // Validation checked every upstream a policy may choose; a miss here is a bug.
  if (!pool) throw new Error(`invariant violated: upstream ${message.upstream} is not configured`);
  const query = message.query.toString();
  // An untouched query keeps its exact original encoding.
  const search = query === normalizedQuery ? originalQuery : query;
  let body: Buffer | Readable | null = null;
  if (message.body !== undefined) {
    body = message.body;
    message.headers['content-length'] = String(message.body.length);
    delete message.headers['transfer-encoding'];
  } else if (exchange.hasBody && !chain.requestBody) {
    body = exchange.request;
    // A body without Content-Length is counted while it streams (proxy/body-limit.ts).
    if (exchange.bodyBytesMax !== undefined) countBody(exchange, exchange.bodyBytesMax);
  }
  // Policies read the response body: ask for it without content coding.
  if (chain.responseBody) delete message.headers['accept-encoding'];
  // The gateway's server already answered `Expect: 100-continue`; undici refuses the field.
  delete message.headers.expect;
  exchange.upstreamStartedMs = performance.now();
  const answer = await callUpstream({
    pool,
    clock: run.clock,
    method: message.method,
    path: search ? `${message.path}?${search}` : message.path,
    headers: message.headers,
    body,
    host: route.preserveHost ? exchange.request.headers.host : undefined,
    hashKey: hashKey(exchange),
    signal: abort.signal,
    onUpstreamError: run.onUpstreamError,
    onAttempt: (target) => {
      exchange.target = target;
    },
  });
  exchange.upstreamMs = performance.now() - exchange.upstreamStartedMs;
  return answer;
}

async function readRequestBody(run: MediationRun): Promise<Buffer> {
  try {
    return await readBody(run.exchange.request, run.bodyBytesMax, 'pause');
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw GatewayErrors.create(
        'EXO_GATEWAY_BODY_TOO_LARGE',
        `request body exceeds ${run.bodyBytesMax} bytes`,
      );
    throw error;
  }
}

async function readUpstreamBody(
  body: Readable,
  bytesMax: number,
  upstream: string,
): Promise<Buffer> {
  try {
    return await readBody(body, bytesMax);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw MediationErrors.create(
        'EXO_GATEWAY_UPSTREAM_BODY_TOO_LARGE',
        `the response of upstream ${upstream} exceeds ${bytesMax} bytes`,
      );
    throw GatewayErrors.create(
      'EXO_GATEWAY_BAD_GATEWAY',
      `upstream ${upstream} broke off its response`,
    );
  }
}

/**
 * The fault phase: the gateway's JSON error `{code, message}` is the response, and fault
 * policies may rewrite it (status, headers, body). A fault policy that fails itself is logged
 * and the plain error goes out.
 */
async function runFaultPhase(
  run: MediationRun,
  context: MutableContext,
  fault: MediationFault,
): Promise<MediatedResponse> {
  const plain = (): MediatedResponse => ({
    status: fault.status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: Buffer.from(JSON.stringify({ code: fault.code, message: fault.message })),
  });
  context.fault = fault;
  context.response = plain();
  for (const step of run.chain.fault) {
    try {
      await step.onFault!(
        context as MutableContext & { response: MediatedResponse; fault: MediationFault },
      );
    } catch (error) {
      run.logger.warn('a fault policy failed; the plain error is sent', {
        route: run.exchange.route?.name,
        error,
      });
      return plain();
    }
  }
  return context.response;
}

function hashKey(exchange: Exchange): string {
  const hashOn = exchange.route!.hashOn;
  if (hashOn === 'ip') return exchange.request.socket.remoteAddress ?? '';
  if (hashOn === 'path') return exchange.path;
  const value = exchange.request.headers[hashOn];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}
