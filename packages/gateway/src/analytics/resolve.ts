import {
  compilePathPattern,
  matchTemplate,
  splitPath,
  type PathPattern,
} from '../routing/path-pattern.js';
import type { CallRecord, CallSlot, RouteRef } from './call-record.js';

/** The route name of a call that matched no route. */
export const unmatchedRoute = '(unmatched)';

/**
 * Statuses the gateway answers itself, when no upstream response was relayed, and their codes
 * in the gateway's registry (errors.ts). A policy's rejection carries its own code instead. 503
 * is also EXO_GATEWAY_CIRCUIT_OPEN; analytics reports the more common cause.
 */
const gatewayCodes: Readonly<Record<number, string>> = {
  400: 'EXO_GATEWAY_BAD_REQUEST',
  401: 'EXO_GATEWAY_UNAUTHORIZED',
  403: 'EXO_GATEWAY_FORBIDDEN',
  404: 'EXO_GATEWAY_NO_ROUTE',
  413: 'EXO_GATEWAY_BODY_TOO_LARGE',
  429: 'EXO_GATEWAY_RATE_LIMITED',
  500: 'EXO_GATEWAY_INTERNAL',
  502: 'EXO_GATEWAY_BAD_GATEWAY',
  503: 'EXO_GATEWAY_UPSTREAM_UNAVAILABLE',
  504: 'EXO_GATEWAY_UPSTREAM_TIMEOUT',
};

/** Turns a drained slot into a record (the derived work of a call, off the proxy path). */
export function resolveCall(slot: CallSlot, operations: OperationResolver): CallRecord {
  // A client that left before any response was sent: nginx's 499 "client closed request".
  const status = slot.headersSent ? slot.status : 499;
  const upstreamAnswered = slot.upstreamLatencyMs >= 0;
  return {
    timestampMs: slot.timestampMs,
    route: slot.route?.name ?? unmatchedRoute,
    api: slot.api,
    operation: operations.operation(slot.route, slot.method, slot.path),
    application: slot.application,
    status,
    latencyMs: slot.latencyMs,
    upstreamLatencyMs: upstreamAnswered ? slot.upstreamLatencyMs : undefined,
    requestBytes: slot.requestBytes,
    responseBytes: slot.responseBytes,
    clientIp: slot.clientIp,
    errorCode:
      slot.rejectionCode ?? (upstreamAnswered || status === 499 ? undefined : gatewayCodes[status]),
    traceId: slot.traceId,
  };
}

/**
 * "METHOD template": the route's path pattern that the path matches (its only one, usually).
 * Patterns are compiled once per route object and forgotten with it.
 */
export class OperationResolver {
  private readonly compiled = new WeakMap<
    RouteRef,
    ReadonlyArray<readonly [string, PathPattern]>
  >();

  /** "METHOD path" of single-path routes by route and method: one string each, made once. */
  private readonly single = new WeakMap<RouteRef, Map<string, string>>();

  operation(route: RouteRef | undefined, method: string, path: string): string {
    if (!route) return `${method} ${unmatchedRoute}`;
    const { paths } = route;
    if (paths.length === 1) {
      let byMethod = this.single.get(route);
      if (byMethod === undefined) {
        byMethod = new Map();
        this.single.set(route, byMethod);
      }
      let operation = byMethod.get(method);
      if (operation === undefined) {
        operation = `${method} ${paths[0]!}`;
        // Methods are tokens a client chooses: the map is bounded.
        if (byMethod.size < 64) byMethod.set(method, operation);
      }
      return operation;
    }
    let patterns = this.compiled.get(route);
    if (!patterns) {
      patterns = paths.map((text) => [text, compilePathPattern(text)] as const);
      this.compiled.set(route, patterns);
    }
    let segments: string[] | undefined;
    for (const [text, pattern] of patterns) {
      if (pattern.kind === 'exact') {
        if (pattern.path === path) return `${method} ${text}`;
      } else if (pattern.kind === 'prefix') {
        if (path === pattern.prefix || path.startsWith(`${pattern.prefix}/`))
          return `${method} ${text}`;
      } else {
        segments ??= splitPath(path);
        if (matchTemplate(pattern.segments, segments)) return `${method} ${text}`;
      }
    }
    return `${method} ${paths[0] ?? unmatchedRoute}`;
  }
}
