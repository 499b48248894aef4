import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { UpstreamConfig } from '../config/schema.js';
import { startActiveHealthChecks } from './active-health.js';
import { createBalancer, type Balancer } from './balancer.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { createTarget, isAvailable, type Target } from './target.js';

/**
 * An upstream at run time: its targets with their health, a balancer, an optional circuit
 * breaker and keep-alive agents. A pool outlives configuration reloads while its definition is
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
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent | undefined;
  private stopActiveChecks: (() => void) | undefined;
  private inflight = 0;
  private retired = false;

  constructor(readonly config: UpstreamConfig) {
    this.name = config.name;
    this.fingerprint = JSON.stringify(config);
    this.targets = config.targets.map((target) => createTarget(target.url, target.weight));
    this.balancer = createBalancer(config.loadBalancing, this.targets);
    this.breaker = config.circuitBreaker ? new CircuitBreaker(config.circuitBreaker) : undefined;
    // Keep-alive with a bound per target; LIFO reuses the warmest socket and lets idle ones
    // expire, which keeps the count of open sockets near what the load needs.
    const agentOptions = {
      keepAlive: true,
      keepAliveMsecs: 1000,
      maxSockets: config.socketsMax,
      maxFreeSockets: Math.min(config.socketsMax, 256),
      scheduling: 'lifo' as const,
      timeout: 60_000,
    };
    this.httpAgent = new HttpAgent(agentOptions);
    this.httpsAgent = this.targets.some((target) => target.protocol === 'https:')
      ? new HttpsAgent(agentOptions)
      : undefined;
    const active = config.healthCheck?.active;
    if (active) {
      this.stopActiveChecks = startActiveHealthChecks({
        targets: this.targets,
        settings: active,
        agentFor: (target) => this.agentFor(target),
      });
    }
  }

  agentFor(target: Target): HttpAgent {
    return target.protocol === 'https:' && this.httpsAgent ? this.httpsAgent : this.httpAgent;
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
    this.httpAgent.destroy();
    this.httpsAgent?.destroy();
  }
}
