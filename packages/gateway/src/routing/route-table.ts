import {
  compilePathPattern,
  matchTemplate,
  splitPath,
  type TemplateSegment,
} from './path-pattern.js';

/** What the table needs to know of a route besides its paths. */
export interface Routable {
  readonly hosts: readonly string[] | undefined;
  readonly paths: readonly string[];
  /** Upper-case methods; undefined matches any. */
  readonly methods: ReadonlySet<string> | undefined;
  /** Lower-case header names with the exact value required. */
  readonly headers: ReadonlyArray<readonly [string, string]> | undefined;
}

export interface RouteMatch<R> {
  readonly route: R;
  readonly parameters: Readonly<Record<string, string>> | undefined;
  /** The matched prefix (for prefix paths), e.g. "/api". */
  readonly prefix: string | undefined;
}

interface TemplateEntry<R> {
  readonly route: R;
  readonly segments: readonly TemplateSegment[];
  readonly literalCount: number;
  readonly order: number;
}

/** The paths of one host (or of any host), indexed so a lookup costs a few map reads. */
class PathIndex<R extends Routable> {
  readonly exact = new Map<string, R[]>();
  /** By prefix without its trailing "/": "/api" for `/api/*`, "" for `/*`. */
  readonly prefixes = new Map<string, R[]>();
  /** By first literal segment; templates starting with a parameter go under "". */
  readonly templates = new Map<string, Array<TemplateEntry<R>>>();
  private prefixLengthMax = 0;

  add(route: R, path: string, order: number): void {
    const pattern = compilePathPattern(path);
    if (pattern.kind === 'exact') push(this.exact, pattern.path, route);
    else if (pattern.kind === 'prefix') {
      push(this.prefixes, pattern.prefix, route);
      this.prefixLengthMax = Math.max(this.prefixLengthMax, pattern.prefix.length);
    } else {
      const first = pattern.segments[0];
      const key = first?.kind === 'literal' ? first.value : '';
      const list = this.templates.get(key) ?? [];
      list.push({ route, segments: pattern.segments, literalCount: pattern.literalCount, order });
      this.templates.set(key, list);
    }
  }

  /** More literal segments win, then configuration order. */
  seal(): void {
    for (const list of this.templates.values())
      list.sort((a, b) => b.literalCount - a.literalCount || a.order - b.order);
  }

  find(path: string, headers: Headers, method: string): RouteMatch<R> | undefined {
    const exact = this.exact.get(path);
    if (exact) {
      const route = firstAccepting(exact, method, headers);
      if (route) return { route, parameters: undefined, prefix: undefined };
    }
    if (this.templates.size) {
      const segments = splitPath(path);
      const found =
        this.findTemplate(this.templates.get(segments[0] ?? ''), segments, method, headers) ??
        (segments[0] === undefined
          ? undefined
          : this.findTemplate(this.templates.get(''), segments, method, headers));
      if (found) return found;
    }
    if (this.prefixes.size) {
      // Longest prefix first, trying each segment boundary of the path: "/a/b/c", "/a/b", "/a", "".
      let end = Math.min(path.length, this.prefixLengthMax);
      if (end < path.length && path.charCodeAt(end) !== 47) end = path.lastIndexOf('/', end);
      for (;;) {
        let candidate = path.slice(0, end);
        if (candidate.endsWith('/')) candidate = candidate.slice(0, -1);
        const list = this.prefixes.get(candidate);
        if (list) {
          const route = firstAccepting(list, method, headers);
          if (route) return { route, parameters: undefined, prefix: candidate };
        }
        if (end <= 0) return undefined;
        end = path.lastIndexOf('/', candidate.length - 1);
        if (end < 0) return undefined;
      }
    }
    return undefined;
  }

  private findTemplate(
    list: Array<TemplateEntry<R>> | undefined,
    segments: readonly string[],
    method: string,
    headers: Headers,
  ): RouteMatch<R> | undefined {
    if (!list) return undefined;
    for (const entry of list) {
      if (!accepts(entry.route, method, headers)) continue;
      const parameters = matchTemplate(entry.segments, segments);
      if (parameters) return { route: entry.route, parameters, prefix: undefined };
    }
    return undefined;
  }
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Routes by host, then path, then method and headers. Hosts: an exact name first, then
 * wildcards from the longest suffix (`*.a.example.com` before `*.example.com`), then routes
 * without hosts; a host bucket with no matching path falls through to the next one, the way
 * Kong and APISIX behave. Built once per configuration and never mutated afterwards.
 */
export class RouteTable<R extends Routable> {
  private readonly exactHosts = new Map<string, PathIndex<R>>();
  private readonly wildcardHosts = new Map<string, PathIndex<R>>();
  private readonly anyHost = new PathIndex<R>();

  constructor(routes: readonly R[]) {
    routes.forEach((route, order) => {
      const indexes = route.hosts?.length
        ? route.hosts.map((host) => this.indexFor(host.toLowerCase()))
        : [this.anyHost];
      for (const index of indexes) for (const path of route.paths) index.add(route, path, order);
    });
    for (const index of [...this.exactHosts.values(), ...this.wildcardHosts.values(), this.anyHost])
      index.seal();
  }

  /** `host` is lower-case without a port; `path` starts with "/" and has no query. */
  find(host: string, path: string, method: string, headers: Headers): RouteMatch<R> | undefined {
    if (this.exactHosts.size) {
      const index = this.exactHosts.get(host);
      const found = index?.find(path, headers, method);
      if (found) return found;
    }
    if (this.wildcardHosts.size) {
      for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
        const found = this.wildcardHosts.get(host.slice(dot))?.find(path, headers, method);
        if (found) return found;
      }
    }
    return this.anyHost.find(path, headers, method);
  }

  private indexFor(host: string): PathIndex<R> {
    const wildcard = host.startsWith('*.');
    const map = wildcard ? this.wildcardHosts : this.exactHosts;
    const key = wildcard ? host.slice(1) : host;
    let index = map.get(key);
    if (!index) {
      index = new PathIndex<R>();
      map.set(key, index);
    }
    return index;
  }
}

function push<R>(map: Map<string, R[]>, key: string, route: R): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(route)) list.push(route);
  } else map.set(key, [route]);
}

function firstAccepting<R extends Routable>(
  list: readonly R[],
  method: string,
  headers: Headers,
): R | undefined {
  for (const route of list) if (accepts(route, method, headers)) return route;
  return undefined;
}

function accepts(route: Routable, method: string, headers: Headers): boolean {
  if (route.methods && !route.methods.has(method)) return false;
  if (route.headers) {
    for (const [name, value] of route.headers) {
      const actual = headers[name];
      if (Array.isArray(actual) ? !actual.includes(value) : actual !== value) return false;
    }
  }
  return true;
}
