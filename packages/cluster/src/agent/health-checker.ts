import type { Clock, Logger, TimerHandle } from '@exosphere/common';
import type { HealthCheckResult, HealthCheckSpec } from '../core/health.js';
import { runProbe, type ProbeContext, type ProbeResult } from './health-probes.js';

interface CheckState {
  readonly spec: HealthCheckSpec;
  result: HealthCheckResult;
  /** This check's verdict: undefined until the first success or the failure limit. */
  verdict: boolean | undefined;
  timer: TimerHandle | undefined;
}

export interface HealthCheckerOptions extends ProbeContext {
  readonly specs: readonly HealthCheckSpec[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called whenever `healthy()` or any check's `alive` changes. */
  readonly onChange: () => void;
}

/**
 * Runs a task's health checks and keeps Marathon's per-check result. The rules:
 * - the first check runs after `delayMs` (not after a whole interval), then every `intervalMs`
 *   (every 100 ms while starting: before the first success, within the grace period);
 * - failures within `gracePeriodMs` of the start are ignored until the first success;
 * - `alive` is Marathon's: whether the latest counted probe succeeded;
 * - a check becomes unhealthy after `maxConsecutiveFailures` failures in a row (0 = never),
 *   healthy again on the next success;
 * - the task is healthy when every check is, and has no verdict until every check has one.
 * The checker only reports; the master decides whether an unhealthy task is killed.
 */
const startupProbeIntervalMs = 100;

export class HealthChecker {
  private readonly checks: CheckState[];
  private readonly startedAtMs: number;
  private stopped = false;

  constructor(private readonly options: HealthCheckerOptions) {
    this.startedAtMs = options.clock.monotonic();
    this.checks = options.specs.map((spec) => ({
      spec,
      result: {
        alive: false,
        consecutiveFailures: 0,
        firstSuccess: null,
        lastFailure: null,
        lastSuccess: null,
        lastFailureCause: null,
      },
      verdict: undefined,
      timer: undefined,
    }));
  }

  start(): void {
    for (const check of this.checks) this.schedule(check, Math.max(0, check.spec.delayMs));
  }

  stop(): void {
    this.stopped = true;
    for (const check of this.checks) check.timer?.cancel();
  }

  results(): HealthCheckResult[] {
    return this.checks.map((check) => check.result);
  }

  healthy(): boolean | undefined {
    if (this.checks.length === 0) return undefined;
    let all = true;
    for (const check of this.checks) {
      if (check.verdict === undefined) return undefined;
      all &&= check.verdict;
    }
    return all;
  }

  private schedule(check: CheckState, delayMs: number): void {
    if (this.stopped) return;
    check.timer = this.options.clock.setTimer(delayMs, () => {
      void this.probe(check);
    });
  }

  private async probe(check: CheckState): Promise<void> {
    let outcome: ProbeResult;
    try {
      outcome = await runProbe(check.spec, this.options);
    } catch (error) {
      outcome = { healthy: false, cause: `health check crashed: ${(error as Error).message}` };
    }
    if (this.stopped) return;
    const healthyBefore = this.healthy();
    const aliveBefore = check.result.alive;
    this.record(check, outcome);
    if (this.healthy() !== healthyBefore || check.result.alive !== aliveBefore) {
      this.options.onChange();
    }
    this.schedule(check, this.nextDelayMs(check));
  }

  /**
   * Until a check first succeeds, and while still in its grace period, it probes every
   * `startupProbeIntervalMs` (or its interval, if shorter): a task that has just started is
   * declared healthy as soon as it is, not up to a whole interval later. This is what makes a
   * replacement serve within seconds of a failover.
   */
  private nextDelayMs(check: CheckState): number {
    const starting =
      check.result.firstSuccess === null &&
      this.options.clock.monotonic() - this.startedAtMs < check.spec.gracePeriodMs;
    const interval = Math.max(1, check.spec.intervalMs);
    return starting ? Math.min(interval, startupProbeIntervalMs) : interval;
  }

  private record(check: CheckState, outcome: ProbeResult): void {
    const now = new Date(this.options.clock.now()).toISOString();
    const previous = check.result;
    if (outcome.healthy) {
      check.result = {
        ...previous,
        alive: true,
        consecutiveFailures: 0,
        firstSuccess: previous.firstSuccess ?? now,
        lastSuccess: now,
      };
      check.verdict = true;
      return;
    }
    const inGrace =
      previous.firstSuccess === null &&
      this.options.clock.monotonic() - this.startedAtMs < check.spec.gracePeriodMs;
    if (inGrace) return;
    const consecutiveFailures = previous.consecutiveFailures + 1;
    check.result = {
      ...previous,
      alive: false,
      consecutiveFailures,
      lastFailure: now,
      lastFailureCause: outcome.cause ?? 'unhealthy',
    };
    const limit = check.spec.maxConsecutiveFailures;
    if (limit > 0 && consecutiveFailures >= limit) {
      if (check.verdict !== false) {
        this.options.logger.info('health check failed too often', {
          protocol: check.spec.protocol,
          consecutiveFailures,
          cause: check.result.lastFailureCause,
        });
      }
      check.verdict = false;
    }
  }
}
