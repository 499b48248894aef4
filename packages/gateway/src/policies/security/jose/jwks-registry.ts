import type { Clock } from '@exosphere/common';
import { JwksCache, type JwksCacheOptions } from './jwks-cache.js';

/**
 * One cache per issuer URL (and settings), shared by every jwt policy that names it. Routes
 * often carry one jwt policy per operation (each with its own scopes), and a configuration
 * reload re-creates them all; sharing keeps that to one fetch per issuer instead of one per
 * policy per reload. Caches are grouped by clock so that a test's virtual clock never meets
 * another test's cache. The number of entries is bounded by the distinct URLs configured.
 */
const cachesByClock = new WeakMap<Clock, Map<string, JwksCache>>();

export function sharedJwksCache(options: JwksCacheOptions): JwksCache {
  let caches = cachesByClock.get(options.clock);
  if (caches === undefined) {
    caches = new Map();
    cachesByClock.set(options.clock, caches);
  }
  const key = JSON.stringify([
    options.url,
    options.maxAgeMs,
    options.refetchIntervalMs,
    options.timeoutMs,
    options.bodyBytesMax,
    options.keysMax,
  ]);
  let cache = caches.get(key);
  if (cache === undefined) {
    cache = new JwksCache(options);
    caches.set(key, cache);
  }
  return cache;
}
