import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/**
 * Who may call a route:
 * - `public`: anyone (health and liveness probes);
 * - `user`: anyone on a loopback-only server; with a bearer token when the server listens on
 *   a non-loopback address;
 * - `internal`: always with the cluster token (agent ↔ master traffic).
 */
export type RouteAccess = 'public' | 'user' | 'internal';

export interface RequestContext {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly remoteAddress: string;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** The parsed JSON body (undefined for an empty body); rejects with EXO_BAD_REQUEST or EXO_BODY_TOO_LARGE. */
  json(): Promise<unknown>;
}

export interface JsonResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Returned by a handler that wrote the response itself (server-sent events, streams). */
export const HANDLED = Symbol('handled');

export type Handler = (
  context: RequestContext,
) => Promise<JsonResult | typeof HANDLED> | JsonResult | typeof HANDLED;

interface Route {
  method: string;
  segments: string[];
  pattern: string;
  access: RouteAccess;
  handler: Handler;
}

export interface RouteMatch {
  route: { pattern: string; access: RouteAccess; handler: Handler };
  params: Record<string, string>;
}

/**
 * Routes by method and path. Patterns are split on "/": `:name` matches one segment and
 * `*name` (last only) matches the rest of the path, including slashes, so that Marathon's
 * nested app ids (`/v2/apps/prod/db/mysql`) route naturally.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler, access: RouteAccess = 'user'): this {
    this.routes.push({ method, pattern, segments: split(pattern), access, handler });
    return this;
  }

  get(pattern: string, handler: Handler, access?: RouteAccess): this {
    return this.add('GET', pattern, handler, access);
  }
  post(pattern: string, handler: Handler, access?: RouteAccess): this {
    return this.add('POST', pattern, handler, access);
  }
  put(pattern: string, handler: Handler, access?: RouteAccess): this {
    return this.add('PUT', pattern, handler, access);
  }
  patch(pattern: string, handler: Handler, access?: RouteAccess): this {
    return this.add('PATCH', pattern, handler, access);
  }
  delete(pattern: string, handler: Handler, access?: RouteAccess): this {
    return this.add('DELETE', pattern, handler, access);
  }

  /** The first route matching method and path; `methodMismatch` when only the method differs. */
  match(method: string, path: string): RouteMatch | { methodMismatch: boolean } {
    const segments = split(path);
    let methodMismatch = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) {
        methodMismatch = true;
        continue;
      }
      return { route, params };
    }
    return { methodMismatch };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(pattern: string[], path: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith('*')) {
      if (i >= path.length) return undefined;
      params[p.slice(1)] = path.slice(i).map(decode).join('/');
      return params;
    }
    const s = path[i];
    if (s === undefined) return undefined;
    if (p.startsWith(':')) params[p.slice(1)] = decode(s);
    else if (p !== s) return undefined;
  }
  return pattern.length === path.length ? params : undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
