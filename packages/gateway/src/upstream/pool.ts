import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Client, Pool, type Dispatcher } from 'undici';
import type { UpstreamConfig } from '../config/schema.js';
import type { AppTargetSource } from '../discovery/app-discovery.js';
import { startActiveHealthChecks } from './active-health.js';
import { createBalancer, type Balancer } from './balancer.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { countingConnector } from './connector.js';
import { createTarget, isAvailable, type Target } from './target.js';
import { RawUpstreamClient } from '../proxy/fast/upstream-client.js';

/** Limits of an upstream's response head on the fast path (undici's default is 16 KiB). */
const responseHeadBytesMax = 64 * 1024;
const responseFieldsMax = 256;
/** Idle keep-alive connections close after this, or the upstream's Keep-Alive hint. */
const idleMs = 60_000;

/** A stable fingerprint of an upstream's definition (and master), to reuse its pool. */
export function upstreamFingerprint(
  config: UpstreamConfig,
  source: AppTargetSource | undefined,
): string {
  return JSON.stringify(config) + (config.app && source ? `@${source.key}` : '');
}

/**
 * An upstream at run time: its targets with their health, a balancer, an optional circuit
 * breaker and one keep-alive undici `Pool` per target (the data plane's client; active health
 * probes keep a small node:http agent of their own). A pool outlives configuration reloads while its definition is
 * unchanged, so health, breaker state and warm connections survive a reload; a pool whose
 * definition changed is retired and closes its connections once its last request ends.
 *
 * An upstream that follows an app gets its targets from an `AppTargetSource` and changes them
 * while it runs: the target list and its balancer are swapped together in one assignment, a
 * target that stays keeps its object (health, in-flight count, connections), and a target that
 * leaves has its connections closed once its requests in flight end.
 */
export class UpstreamPool {
  readonly name: string;
  readonly breaker: CircuitBreaker | undefined;
  /** A stable fingerprint of the definition, to reuse the pool across reloads. */
  readonly fingerprint: string;
  private current: { readonly targets: readonly Target[]; readonly balancer: Balancer };
  private stopWatching: (() => void) | undefined;
  /** One undici Pool per target, `socketsMax` connections each, no pipelining. */
  private readonly clients: Map<Target, Pool>;
  /** The fast path's raw keep-alive clients (proxy/fast/), created on first use per target. */
  private readonly rawClients = new Map<Target, RawUpstreamClient>();
  /** Only for active health probes: node:http agents, created when probes are configured. */
  private httpAgent: HttpAgent | undefined;
  private httpsAgent: HttpsAgent | undefined;
  private stopActiveChecks: (() => void) | undefined;
  private inflight = 0;
  private retired = false;

  constructor(
    readonly config: UpstreamConfig,
    source?: AppTargetSource,
  ) {
    this.name = config.name;
    this.fingerprint = upstreamFingerprint(config, source);
    this.breaker = config.circuitBreaker ? new CircuitBreaker(config.circuitBreaker) : undefined;
    this.clients = new Map();
    this.current = { targets: [], balancer: createBalancer(config.loadBalancing, []) };
    this.replaceTargets(config.targets);
    const active = config.healthCheck?.active;
    if (active) {
      this.stopActiveChecks = startActiveHealthChecks({
        targets: () => this.current.targets,
        settings: active,
        agentFor: (target) => this.agentFor(target),
      });
    }
    // Without a source (no master configured, which validation prevents) an app upstream has no
    // target and answers 503.
    if (config.app && source)
      this.stopWatching = source.watch({
        app: config.app,
        portIndex: config.portIndex ?? 0,
        onChange: (urls) => {
          if (!this.retired) this.replaceTargets(urls.map((url) => ({ url, weight: 1 })));
        },
      });
  }

  get targets(): readonly Target[] {
    return this.current.targets;
  }

  get balancer(): Balancer {
    return this.current.balancer;
  }

  /**
   * Swaps the target list. Targets whose URL and weight stay keep their state; new ones get a
   * client; removed ones close theirs (undici lets the requests in flight finish first).
   */
  replaceTargets(entries: ReadonlyArray<{ readonly url: string; readonly weight: number }>): void {
    const kept = new Map(this.current.targets.map((target) => [target.url, target]));
    const targets: Target[] = [];
    for (const entry of entries) {
      const old = kept.get(entry.url);
      if (old && old.weight === entry.weight) {
        kept.delete(entry.url);
        targets.push(old);
        continue;
      }
      const target = createTarget(entry.url, entry.weight);
      this.clients.set(target, this.createClient(target));
      targets.push(target);
    }
    this.current = { targets, balancer: createBalancer(this.config.loadBalancing, targets) };
    for (const gone of kept.values()) {
      this.clients
        .get(gone)
        ?.close()
        .catch(() => undefined);
      this.clients.delete(gone);
      this.rawClients.get(gone)?.close();
      this.rawClients.delete(gone);
    }
  }

  /**
   * Keep-alive with a bound per target. connectMs bounds the TCP (+TLS) handshake; requestMs
   * bounds the wait for the response head once the request is on a connection. A body may
   * stream for as long as it takes (no body timeout), as it did with node:http; idle
   * connections close after 60 s or the upstream's Keep-Alive hint, whichever is shorter.
   */
  private createClient(target: Target): Pool {
    return new Pool(`${target.protocol}//${target.authority}`, {
      ...this.clientOptions(),
      connections: this.config.socketsMax,
    });
  }

  private clientOptions(): Client.Options {
    return {
      pipelining: 1,
      connect: countingConnector(this.config.timeouts.connectMs),
      headersTimeout: this.config.timeouts.requestMs,
      bodyTimeout: 0,
      keepAliveTimeout: 60_000,
    };
  }

  /** The keep-alive client of `target` (a target of this pool). */
  clientFor(target: Target): Pool {
    return this.clients.get(target)!;
  }

  /**
   * Sends one request to `target` on a new connection, outside the keep-alive pool, closed once
   * the request ends: the retry of a request whose pooled connection turned out closed by the
   * upstream (proxy/forward.ts).
   */
  dispatchFresh(
    target: Target,
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandlers,
  ): void {
    const client = new Client(`${target.protocol}//${target.authority}`, this.clientOptions());
    client.dispatch(options, handler);
    client.close().catch(() => undefined);
  }

  /** `dispatchFresh` for the mediation engine's promise API (mediation/upstream-call.ts). */
  requestFresh(
    target: Target,
    options: Dispatcher.RequestOptions,
  ): Promise<Dispatcher.ResponseData> {
    const client = new Client(`${target.protocol}//${target.authority}`, this.clientOptions());
    const answer = client.request(options);
    client.close().catch(() => undefined);
    return answer;
  }

  /** The fast path's raw keep-alive client of `target` (a target of this pool). */
  rawClientFor(target: Target): RawUpstreamClient {
    let client = this.rawClients.get(target);
    if (client === undefined) {
      const { timeouts } = this.config;
      client = new RawUpstreamClient(
        target,
        {
          connectMs: timeouts.connectMs,
          requestMs: timeouts.requestMs,
          idleMs,
          headBytesMax: responseHeadBytesMax,
          fieldsMax: responseFieldsMax,
        },
        this.config.socketsMax,
      );
      this.rawClients.set(target, client);
    }
    return client;
  }

  /** A node:http agent for active health probes, created on first use. */
  agentFor(target: Target): HttpAgent {
    const options = {
      keepAlive: true,
      maxSockets: Math.min(this.config.socketsMax, 16),
      timeout: 60_000,
    };
    if (target.protocol === 'https:') return (this.httpsAgent ??= new HttpsAgent(options));
    return (this.httpAgent ??= new HttpAgent(options));
  }

  /** Call once per upstream attempt; `release` exactly once when it ends. */
  acquire(target: Target): void {
    target.inflight++;
    this.inflight++;
  }

  release(target: Target): void {
    target.inflight--;
    this.inflight--;
    if (this.retired && this.inflight === 0) this.destroy();
  }

  /** Passive health (outlier ejection): `failuresMax` failures in a row eject for `ejectMs`. */
  recordOutcome(target: Target, success: boolean, nowMs: number): void {
    const passive = this.config.healthCheck?.passive;
    if (success) {
      target.consecutiveFailures = 0;
      return;
    }
    if (!passive) return;
    target.consecutiveFailures++;
    if (target.consecutiveFailures >= passive.failuresMax) {
      target.consecutiveFailures = 0;
      target.ejectedUntilMs = nowMs + passive.ejectMs;
    }
  }

  /** Whether a target other than `failed` could take a retry now. */
  hasTargetBesides(failed: Target, nowMs: number): boolean {
    for (const target of this.targets)
      if (target !== failed && isAvailable(target, nowMs)) return true;
    return false;
  }

  availableTargets(nowMs: number): number {
    let count = 0;
    for (const target of this.targets) if (isAvailable(target, nowMs)) count++;
    return count;
  }

  /** Stops health checks; connections close when the last request in flight ends. */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    this.stopActiveChecks?.();
    this.stopActiveChecks = undefined;
    this.stopWatching?.();
    this.stopWatching = undefined;
    if (this.inflight === 0) this.destroy();
  }

  private destroy(): void {
    // Nothing is in flight: close() ends the idle keep-alive connections.
    for (const client of this.clients.values()) client.close().catch(() => undefined);
    for (const client of this.rawClients.values()) client.close();
    this.httpAgent?.destroy();
    this.httpsAgent?.destroy();
  }
}
