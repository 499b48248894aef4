import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Pool } from 'undici';
import type { UpstreamConfig } from '../config/schema.js';
import { startActiveHealthChecks } from './active-health.js';
import { createBalancer, type Balancer } from './balancer.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { createTarget, isAvailable, type Target } from './target.js';

/**
 * An upstream at run time: its targets with their health, a balancer, an optional circuit
 * breaker and one keep-alive undici `Pool` per target (the data plane's client; active health
 * probes keep a small node:http agent of their own). A pool outlives configuration reloads while its definition is
 * unchanged, so health, breaker state and warm connections survive a reload; a pool whose
 * definition changed is retired and closes its connections once its last request ends.
 */
export class UpstreamPool {
  readonly name: string;
  readonly targets: readonly Target[];
  readonly breaker: CircuitBreaker | undefined;
  readonly balancer: Balancer;
  /** A stable fingerprint of the definition, to reuse the pool across reloads. */
  readonly fingerprint: string;
  /** One undici Pool per target, `socketsMax` connections each, no pipelining. */
  private readonly clients: Map<Target, Pool>;
  /** Only for active health probes: node:http agents, created when probes are configured. */
  private httpAgent: HttpAgent | undefined;
  private httpsAgent: HttpsAgent | undefined;
  private stopActiveChecks: (() => void) | undefined;
  private inflight = 0;
  private retired = false;

  constructor(readonly config: UpstreamConfig) {
    this.name = config.name;
    this.fingerprint = JSON.stringify(config);
    this.targets = config.targets.map((target) => createTarget(target.url, target.weight));
    this.balancer = createBalancer(config.loadBalancing, this.targets);
    this.breaker = config.circuitBreaker ? new CircuitBreaker(config.circuitBreaker) : undefined;
    // Keep-alive with a bound per target. connectMs bounds the TCP (+TLS) handshake; requestMs
    // bounds the wait for the response head once the request is on a connection. A body may
    // stream for as long as it takes (no body timeout), as it did with node:http; idle
    // connections close after 60 s or the upstream's Keep-Alive hint, whichever is shorter.
    this.clients = new Map();
    for (const target of this.targets) {
      this.clients.set(
        target,
        new Pool(`${target.protocol}//${target.authority}`, {
          connections: config.socketsMax,
          pipelining: 1,
          connect: { timeout: config.timeouts.connectMs },
          headersTimeout: config.timeouts.requestMs,
          bodyTimeout: 0,
          keepAliveTimeout: 60_000,
        }),
      );
    }
    const active = config.healthCheck?.active;
    if (active) {
      this.stopActiveChecks = startActiveHealthChecks({
        targets: this.targets,
        settings: active,
        agentFor: (target) => this.agentFor(target),
      });
    }
  }

  /** The keep-alive client of `target` (a target of this pool). */
  clientFor(target: Target): Pool {
    return this.clients.get(target)!;
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
    if (this.inflight === 0) this.destroy();
  }

  private destroy(): void {
    // Nothing is in flight: close() ends the idle keep-alive connections.
    for (const client of this.clients.values()) client.close().catch(() => undefined);
    this.httpAgent?.destroy();
    this.httpsAgent?.destroy();
  }
}
