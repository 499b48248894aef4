import type { Clock, Counter, Logger, MetricsRegistry } from '@exosphere/common';
import { CounterBatch, GatewayRegistry } from '../../observability/request-metrics.js';
import type { LimitDecision, WindowLimiter } from './decision.js';
import { LeasedWindowLimiter, type LeaseRequester } from '../../workers/leased-limiter.js';
import { LocalWindowLimiter } from './local-limiter.js';
import { RedisWindowLimiter } from './redis-limiter.js';
import { RespClient, type RespClientState } from './resp-client.js';
import { parseRedisUrl, type RateLimitSettings } from './settings.js';
import type { WindowLimit } from './tiers.js';

export interface ThrottlingServiceOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where `exo_gateway_ratelimit_*` metrics are registered. */
  readonly registry: MetricsRegistry;
  /** Reconnect delays of the store client (tests shorten them). */
  readonly reconnectDelayMs?: { readonly first: number; readonly last: number };
  /**
   * Several worker processes of one gateway (`exo gateway --workers N`): without a store, the
   * counts live in the primary and this worker takes leases of them (workers/leased-limiter.ts).
   */
  readonly workers?: { readonly count: number; readonly lease: LeaseRequester };
}

interface Store {
  readonly client: RespClient;
  readonly limiter: RedisWindowLimiter;
}

/**
 * The gateway's one limiter, shared by every rate-limit policy of every runtime:
 *
 * - without `rateLimit.store`, counters live in memory (exact for one gateway);
 * - with a store, every check is one atomic script in Redis (exact for any number of gateways);
 * - when the store is down, slow (no answer within `timeoutMs`) or still connecting, the check
 *   falls back at once to in-memory counters allowing `limit / instances` per window, so a fleet
 *   of `instances` gateways stays near the limit; the outage is logged once and counted per
 *   check in `exo_gateway_ratelimit_store_errors_total`, and the client reconnects by itself.
 *
 * A request never waits for the store longer than `timeoutMs`, and never waits at all while the
 * store is known to be down.
 */
export class ThrottlingService implements WindowLimiter {
  private settings: RateLimitSettings | undefined;
  private fingerprint = '';
  private store: Store | undefined;
  private local: WindowLimiter;
  private fallback: LocalWindowLimiter;
  private outage = false;
  private readonly storeErrors: Counter;
  readonly decisions: Counter;
  private readonly decisionBatch: CounterBatch | undefined = undefined;

  constructor(private readonly options: ThrottlingServiceOptions) {
    this.fallback = new LocalWindowLimiter({ clock: options.clock, keysMax: 100_000 });
    this.local = this.createLocal(100_000);
    this.storeErrors = options.registry.counter(
      'exo_gateway_ratelimit_store_errors_total',
      'Rate-limit checks decided by the local fallback because the shared store failed, by reason.',
    );
    this.decisions = options.registry.counter(
      'exo_gateway_ratelimit_requests_total',
      'Rate-limit decisions by route, tier, scope and result (allowed or limited).',
    );
    const registry = options.registry;
    if (registry instanceof GatewayRegistry) {
      const batch = new CounterBatch(this.decisions);
      registry.beforeRender(() => batch.flush());
      this.decisionBatch = batch;
    }
  }

  /**
   * Counts a decision of a rate-limit policy; `labels` is one object per policy binding
   * (bind.ts), so the count is batched until /metrics renders.
   */
  countDecision(labels: Readonly<Record<string, string>>): void {
    if (this.decisionBatch) this.decisionBatch.inc(labels);
    else this.decisions.inc({ ...labels });
  }

  /** Where decisions are made now: `local`, `store`, or `fallback` while the store is away. */
  get mode(): 'local' | 'store' | 'fallback' {
    if (this.store === undefined) return 'local';
    return this.store.client.state === 'ready' ? 'store' : 'fallback';
  }

  /** Applies `rateLimit:` of a configuration; unchanged settings keep the store connection. */
  configure(settings: RateLimitSettings): void {
    const fingerprint = JSON.stringify(settings);
    if (fingerprint === this.fingerprint) return;
    const previous = this.settings;
    this.settings = settings;
    this.fingerprint = fingerprint;
    if (previous?.localKeysMax !== settings.localKeysMax) {
      this.fallback = new LocalWindowLimiter({
        clock: this.options.clock,
        keysMax: settings.localKeysMax,
      });
      this.local = this.createLocal(settings.localKeysMax);
    }
    if (JSON.stringify(previous?.store) === JSON.stringify(settings.store)) return;
    this.store?.client.close();
    this.store = undefined;
    this.outage = false;
    if (settings.store === undefined) return;
    const endpoint = parseRedisUrl(settings.store.redis);
    // Validation accepted the URL; a failure here is a bug.
    if (typeof endpoint === 'string') throw new Error(`invariant violated: ${endpoint}`);
    const client = new RespClient({
      endpoint,
      timeoutMs: settings.store.timeoutMs,
      clock: this.options.clock,
      ...(this.options.reconnectDelayMs ? { reconnectDelayMs: this.options.reconnectDelayMs } : {}),
      onStateChange: (state, error) => this.onStoreState(client, state, error),
    });
    this.store = {
      client,
      limiter: new RedisWindowLimiter({ client, keyPrefix: settings.store.keyPrefix }),
    };
  }

  check(key: string, limits: readonly WindowLimit[]): LimitDecision | Promise<LimitDecision> {
    const store = this.store;
    if (store === undefined) return this.local.check(key, limits);
    if (store.client.state !== 'ready') {
      this.storeErrors.inc({ reason: 'unavailable' });
      return this.checkFallback(key, limits);
    }
    return store.limiter.check(key, limits).catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      this.storeErrors.inc({ reason: code === 'REDIS_TIMEOUT' ? 'timeout' : 'error' });
      if (!this.outage && code !== 'REDIS_TIMEOUT' && code !== 'REDIS_CONNECTION_LOST')
        this.options.logger.error('the rate-limit store refused a check', { error });
      return this.checkFallback(key, limits);
    });
  }

  close(): void {
    this.store?.client.close();
    this.store = undefined;
  }

  /** In-memory counters, or leases of the primary's when this is one of several workers. */
  private createLocal(keysMax: number): WindowLimiter {
    const workers = this.options.workers;
    const { clock } = this.options;
    if (workers === undefined || workers.count <= 1)
      return new LocalWindowLimiter({ clock, keysMax });
    return new LeasedWindowLimiter({
      clock,
      request: workers.lease,
      keysMax,
      // The primary does not answer: each worker allows its share alone, and says so.
      fallback: {
        check: (key, limits) => {
          this.storeErrors.inc({ reason: 'primary' });
          return this.checkFallback(key, limits);
        },
      },
    });
  }

  /** Each process alone allows its share: `limit / (instances × workers)` per window. */
  private checkFallback(key: string, limits: readonly WindowLimit[]): LimitDecision {
    const instances = (this.settings?.instances ?? 1) * (this.options.workers?.count ?? 1);
    return this.fallback.check(
      key,
      limits.map((window) => ({
        limit: Math.max(1, Math.floor(window.limit / instances)),
        windowMs: window.windowMs,
      })),
    );
  }

  /** One log line when an outage starts and one when it ends, however long it lasts. */
  private onStoreState(client: RespClient, state: RespClientState, error: Error | undefined): void {
    if (this.store?.client !== client) return;
    if (state === 'down' && !this.outage) {
      this.outage = true;
      this.options.logger.warn(
        'rate-limit store unreachable; each gateway now limits alone at limit / instances',
        { error: error?.message, instances: this.settings?.instances ?? 1 },
      );
    } else if (state === 'ready' && this.outage) {
      this.outage = false;
      this.options.logger.info('rate-limit store reachable again; limits are shared');
    }
  }
}
