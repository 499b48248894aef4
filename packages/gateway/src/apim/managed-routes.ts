import type { Clock, Logger } from '@exosphere/common';
import { upstreamSchema, type UpstreamConfig } from '../config/schema.js';
import type { AppDiscovery } from '../discovery/app-discovery.js';
import { compileMediationChain } from '../mediation/chain.js';
import type { PolicyRejection, RequestPolicy } from '../policies/policy.js';
import { findPolicyType } from '../policies/registry.js';
import type { ThrottlingService } from '../policies/throttling/throttling-service.js';
import type { Rewrite } from '../routing/rewrite.js';
import { RouteTable } from '../routing/route-table.js';
import type { CompiledRoute, Runtime } from '../proxy/runtime.js';
import { UpstreamPool, upstreamFingerprint } from '../upstream/pool.js';
import { ApiAccessPolicy } from './api-access-policy.js';
import type { Catalog } from './catalog.js';
import { inlineUpstream } from './environment.js';
import { basePathOf, isCallable, upstreamNameOf, type ApiRecord } from './model.js';
import type { TokenService } from './token-service.js';

/**
 * Serves the catalog's APIs: a route per API that is not CREATED, merged into the running
 * route table. The merged runtime is built beside the current one and replaces it in one
 * assignment, exactly like a configuration reload, whenever either the declarative runtime or
 * the catalog changes; requests in flight finish on the runtime they started with.
 *
 * Declarative routes come first in the table, so on equally specific paths they win; an API's
 * paths are prefixes (`/{context}/{version}/*`, and `/{context}/*` for the default version), so
 * more specific declarative paths win too, and an API never hides a declarative route on a path
 * of the same shape.
 */
export class ManagedRoutes {
  private base: Runtime | undefined;
  private merged: Runtime | undefined;
  private builtVersion = -1;
  private pools = new Map<string, UpstreamPool>();

  constructor(
    private readonly options: {
      readonly catalog: Catalog;
      readonly tokens: TokenService;
      readonly throttling: ThrottlingService;
      readonly clock: Clock;
      readonly logger: Logger;
      readonly discovery: AppDiscovery | undefined;
    },
  ) {}

  /** The runtime to serve with: `base` plus the API routes (cached until either changes). */
  runtimeFor(base: Runtime): Runtime {
    if (base === this.base && this.options.catalog.version === this.builtVersion && this.merged)
      return this.merged;
    return this.rebuild(base);
  }

  /** The declarative runtime the API routes were last merged into. */
  get baseRuntime(): Runtime | undefined {
    return this.base;
  }

  /** Rebuilds at once after a catalog change, so no request pays for it. */
  refresh(): void {
    if (this.base !== undefined) this.rebuild(this.base);
  }

  close(): void {
    for (const pool of this.pools.values()) pool.retire();
    this.pools.clear();
  }

  private rebuild(base: Runtime): Runtime {
    const version = this.options.catalog.version;
    const apis = this.options.catalog.data.apis.filter((api) => api.state !== 'CREATED');
    const pools = new Map<string, UpstreamPool>();
    const apiRoutes = apis.map((api) => this.compile(api, base, pools));
    const merged: Runtime =
      apiRoutes.length === 0
        ? base
        : (() => {
            const routes = [...base.routes, ...apiRoutes];
            return { ...base, table: new RouteTable(routes), routes };
          })();
    const previousPools = this.pools;
    this.base = base;
    this.merged = merged;
    this.builtVersion = version;
    this.pools = pools;
    for (const [key, pool] of previousPools) if (pools.get(key) !== pool) pool.retire();
    return merged;
  }

  private compile(
    api: ApiRecord,
    base: Runtime,
    pools: Map<string, UpstreamPool>,
  ): CompiledRoute & { readonly apiName: string } {
    const versioned = `${api.context}/${api.version}`;
    // Only a callable default version is also served without the version segment.
    const isDefault = api.defaultVersion && isCallable(api.state);
    const bases = isDefault ? [versioned, api.context] : [versioned];
    const upstream = this.poolFor(api, base, pools);
    const basePath =
      upstreamNameOf(api.endpoint) === undefined ? basePathOf(api.endpoint) : undefined;
    const rewrite: Rewrite =
      basePath === undefined
        ? { kind: 'strip-prefix' }
        : { kind: 'template', parts: [{ literal: `${basePath}/` }, { parameter: 'rest' }] };
    const access = new ApiAccessPolicy(api, {
      bases,
      catalog: this.options.catalog,
      tokens: this.options.tokens,
      throttling: this.options.throttling,
      tiers: base.config.tiers,
    });
    const name = `api:${api.name}:${api.version}`;
    const policies = [access, ...this.apiPolicies(api, name)];
    return {
      name,
      apiName: `${api.name}:${api.version}`,
      hosts: undefined,
      paths: bases.map((prefix) => (basePath === undefined ? `${prefix}/*` : `${prefix}/{rest*}`)),
      methods: undefined,
      headers: undefined,
      upstream,
      rewrite,
      preserveHost: false,
      policies,
      // Mediation policies attached to the API run their phases like a route's.
      mediation: compileMediationChain(policies),
      hashOn: upstream.config.hashOn.startsWith('header:')
        ? upstream.config.hashOn.slice(7).toLowerCase()
        : upstream.config.hashOn,
    };
  }

  /** The API's own policies after the access policy; one that cannot be built refuses calls. */
  private apiPolicies(api: ApiRecord, routeName: string): RequestPolicy[] {
    return api.policies.map((entry) => {
      try {
        const type = findPolicyType(entry.type);
        if (type === undefined) throw new Error(`unknown policy type ${entry.type}`);
        const { type: _type, ...rest } = entry;
        return type.create(type.schema.parse(rest), {
          clock: this.options.clock,
          logger: this.options.logger.child({ route: routeName }),
        });
      } catch (error) {
        this.options.logger.error('an API policy cannot be built; the API refuses calls', {
          api: api.id,
          policy: entry.type,
          error,
        });
        return refusingPolicy();
      }
    });
  }

  private poolFor(api: ApiRecord, base: Runtime, pools: Map<string, UpstreamPool>): UpstreamPool {
    const endpoint = api.endpoint;
    const upstreamName = upstreamNameOf(endpoint);
    if (upstreamName !== undefined) {
      const shared = base.upstreams.get(upstreamName);
      if (shared !== undefined) return shared;
    }
    const name = `api-${api.id}`;
    // An upstream that the configuration no longer has becomes a pool without targets: the
    // API answers 503 EXO_GATEWAY_UPSTREAM_UNAVAILABLE until it is back.
    const inline = upstreamName === undefined ? inlineUpstream(name, endpoint) : undefined;
    const config: UpstreamConfig =
      inline !== undefined && 'upstream' in inline ? inline.upstream : emptyUpstream(name);
    const source =
      config.app === undefined ? undefined : this.options.discovery?.sourceFor(base.config.master);
    const previous = this.pools.get(api.id);
    const pool =
      previous !== undefined && previous.fingerprint === upstreamFingerprint(config, source)
        ? previous
        : new UpstreamPool(config, source);
    pools.set(api.id, pool);
    return pool;
  }
}

function emptyUpstream(name: string): UpstreamConfig {
  const parsed = upstreamSchema.parse({ name, targets: [{ url: 'http://127.0.0.1:9' }] });
  return { ...parsed, targets: [] };
}

function refusingPolicy(): RequestPolicy {
  const rejection: PolicyRejection = {
    status: 500,
    code: 'EXO_GATEWAY_INTERNAL',
    message: 'A policy of this API cannot run; the gateway log has the reason.',
  };
  return { name: 'refuse', onRequest: () => rejection };
}
