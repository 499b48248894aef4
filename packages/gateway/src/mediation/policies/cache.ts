import type { Clock } from '@exosphere/common';
import { z } from 'zod';
import type { MediationContext, PolicyType } from '../../policies/policy.js';
import { cacheDirectives, CacheStore, entryBytes } from '../cache-store.js';
import { headerNameSchema, mediationPolicy } from '../phase.js';

export const cacheSchema = z.strictObject({
  /** Lifetime when the upstream gives no `s-maxage`/`max-age`. */
  ttlSeconds: z
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(60),
  entriesMax: z.int().min(1).max(1_000_000).default(1000),
  /** Bodies, keys and headers of all entries together. */
  bytesMax: z
    .int()
    .min(1024)
    .max(1024 ** 3)
    .default(16 * 1024 * 1024),
  /** Request headers that are part of the key (e.g. Accept, Accept-Language). */
  varyHeaders: z.array(headerNameSchema).max(16).default([]),
  /** Statuses stored; by default every 2xx. */
  statuses: z.array(z.int().min(200).max(599)).max(32).optional(),
});

export type CacheConfig = z.output<typeof cacheSchema>;

const keyAttribute = 'mediation.cache.key';

/**
 * Response caching for GET and HEAD (RFC 9111, as a shared cache): keyed by method, host,
 * path, query and `varyHeaders`; a hit answers without the upstream and carries `Age` (§5.1)
 * and `X-Cache: HIT`, a miss `X-Cache: MISS`. Nothing is stored when the upstream says
 * `no-store`, `private` or `no-cache` (no revalidation here), sets a cookie, or gives
 * `max-age=0`; `s-maxage` wins over `max-age` (§5.2.2.10). The store is bounded by entries and
 * bytes (LRU) and belongs to the configuration: a reload starts empty.
 */
export const cachePolicyType: PolicyType<typeof cacheSchema> = {
  type: 'cache',
  schema: cacheSchema,
  create(config, factory) {
    const store = new CacheStore(config.entriesMax, config.bytesMax);
    const vary = config.varyHeaders.map((name) => name.toLowerCase());
    const statuses = config.statuses ? new Set(config.statuses) : undefined;
    const clock: Clock = factory.clock;
    const policy = mediationPolicy('cache', {
      requestBody: false,
      responseBody: true,
      onRequest(context) {
        const key = cacheKey(context, vary);
        if (key === undefined) return undefined;
        const nowMs = clock.monotonic();
        const entry = store.get(key, nowMs);
        if (!entry) {
          context.request.attributes.set(keyAttribute, key);
          return undefined;
        }
        const ageSeconds = entry.initialAgeSeconds + Math.floor((nowMs - entry.storedMs) / 1000);
        return {
          status: entry.status,
          headers: { ...entry.headers, age: String(ageSeconds), 'x-cache': 'HIT' },
          body: entry.body,
        };
      },
      onResponse(context) {
        const key = context.request.attributes.get(keyAttribute);
        if (typeof key !== 'string') return;
        const { response } = context;
        response.headers['x-cache'] = 'MISS';
        const cacheable = statuses
          ? statuses.has(response.status)
          : response.status >= 200 && response.status <= 299;
        if (!cacheable || response.headers['set-cookie'] !== undefined) return;
        const directives = cacheDirectives(response.headers['cache-control']);
        if (directives.has('no-store') || directives.has('private') || directives.has('no-cache'))
          return;
        const maxAge = Number(directives.get('s-maxage') ?? directives.get('max-age') ?? NaN);
        const initialAgeSeconds = Math.max(0, Number(response.headers['age'] ?? 0) || 0);
        const ttlSeconds =
          (Number.isFinite(maxAge) ? maxAge : config.ttlSeconds) - initialAgeSeconds;
        if (!(ttlSeconds > 0)) return;
        const body = response.body ?? Buffer.alloc(0);
        const headers = { ...response.headers };
        delete headers['x-cache'];
        const nowMs = clock.monotonic();
        store.set(key, {
          status: response.status,
          headers,
          body,
          storedMs: nowMs,
          initialAgeSeconds,
          expiresMs: nowMs + ttlSeconds * 1000,
          bytes: entryBytes(key, headers, body),
        });
      },
    });
    return Object.assign(policy, { store });
  },
};

function cacheKey(context: MediationContext, vary: readonly string[]): string | undefined {
  const { request } = context;
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const host = request.headers.host ?? '';
  let key = `${request.method} ${host} ${request.path}?${request.query.toString()}`;
  for (const name of vary) {
    const value = request.headers[name];
    key += `\n${name}: ${Array.isArray(value) ? value.join(', ') : (value ?? '')}`;
  }
  return key;
}
