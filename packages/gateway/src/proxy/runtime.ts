import type { Clock, Logger } from '@exosphere/common';
import type { GatewayConfig, RouteConfig } from '../config/schema.js';
import type { RequestPolicy } from '../policies/policy.js';
import { findPolicyType } from '../policies/registry.js';
import { RouteTable, type Routable } from '../routing/route-table.js';
import { compileRewrite, type Rewrite } from '../routing/rewrite.js';
import type { AppDiscovery } from '../discovery/app-discovery.js';
import { compileMediationChain, type MediationChain } from '../mediation/chain.js';
import { UpstreamPool, upstreamFingerprint } from '../upstream/pool.js';

export interface CompiledRoute extends Routable {
  readonly name: string;
  readonly upstream: UpstreamPool;
  readonly rewrite: Rewrite | undefined;
  readonly preserveHost: boolean;
  readonly policies: readonly RequestPolicy[];
  /** The request/response/fault phases of its mediation policies; none keeps plain streaming. */
  readonly mediation?: MediationChain | undefined;
  /** Header name for consistent hashing, or 'ip' / 'path'. */
  readonly hashOn: string;
  /** The managed API it serves (`name:version`), for throttling and analytics (apim/). */
  readonly apiName?: string | undefined;
}

/**
 * Everything a request needs, built from one validated configuration and never mutated. A
 * reload builds a new Runtime and swaps one reference; requests in flight keep the one they
 * started with.
 */
export interface Runtime {
  readonly config: GatewayConfig;
  readonly table: RouteTable<CompiledRoute>;
  readonly routes: readonly CompiledRoute[];
  readonly upstreams: ReadonlyMap<string, UpstreamPool>;
  readonly bodyBytesMax: number;
}

export function buildRuntime(options: {
  config: GatewayConfig;
  previous: Runtime | undefined;
  clock: Clock;
  logger: Logger;
  /** Resolves `app` upstreams to the tasks of a compute-plane app. */
  discovery?: AppDiscovery | undefined;
}): Runtime {
  const { config, previous } = options;
  const upstreams = new Map<string, UpstreamPool>();
  for (const upstream of config.upstreams) {
    const old = previous?.upstreams.get(upstream.name);
    const source = upstream.app ? options.discovery?.sourceFor(config.master) : undefined;
    const fingerprint = upstreamFingerprint(upstream, source);
    upstreams.set(
      upstream.name,
      old && old.fingerprint === fingerprint ? old : new UpstreamPool(upstream, source),
    );
  }
  const routes = config.routes.map((route) => compileRoute(route, upstreams, options));
  return {
    config,
    table: new RouteTable(routes),
    routes,
    upstreams,
    bodyBytesMax: config.limits.bodyBytesMax,
  };
}

/** Retires the pools of `previous` that `next` no longer uses. */
export function retireUnused(previous: Runtime, next: Runtime | undefined): void {
  for (const [name, pool] of previous.upstreams)
    if (next?.upstreams.get(name) !== pool) pool.retire();
}

function compileRoute(
  route: RouteConfig,
  upstreams: ReadonlyMap<string, UpstreamPool>,
  context: { clock: Clock; logger: Logger },
): CompiledRoute {
  const upstream = upstreams.get(route.upstream);
  // Validation checked the reference; a miss here is a bug.
  if (!upstream)
    throw new Error(
      `invariant violated: route ${route.name} names missing upstream ${route.upstream}`,
    );
  const policies = route.policies.map((entry) => {
    const type = findPolicyType(entry.type);
    if (!type)
      throw new Error(`invariant violated: policy type ${entry.type} vanished after validation`);
    const { type: _type, ...rest } = entry;
    const parsed: unknown = type.schema.parse(rest);
    return type.create(parsed, {
      clock: context.clock,
      logger: context.logger.child({ route: route.name }),
    });
  });
  return {
    name: route.name,
    hosts: route.match.hosts,
    paths: route.match.paths,
    methods: route.match.methods ? new Set(route.match.methods) : undefined,
    headers: route.match.headers
      ? Object.entries(route.match.headers).map(
          ([name, value]) => [name.toLowerCase(), value] as const,
        )
      : undefined,
    upstream,
    rewrite: route.rewrite ? compileRewrite(route.rewrite) : undefined,
    preserveHost: route.preserveHost,
    policies,
    mediation: compileMediationChain(policies),
    hashOn: upstream.config.hashOn.startsWith('header:')
      ? upstream.config.hashOn.slice(7).toLowerCase()
      : upstream.config.hashOn,
  };
}
