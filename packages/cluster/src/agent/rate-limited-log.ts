import type { Clock, LogFields, Logger } from '@exosphere/common';

/**
 * Logs a repeating warning at most once per interval, with how many were left out, so a master
 * that is down for an hour produces a few lines rather than one per heartbeat.
 */
export class RateLimitedLog {
  private lastLoggedAtMs: number | undefined;
  private suppressed = 0;

  constructor(private readonly options: { logger: Logger; clock: Clock; intervalMs: number }) {}

  warn(message: string, fields: LogFields): void {
    const now = this.options.clock.monotonic();
    if (this.lastLoggedAtMs !== undefined && now - this.lastLoggedAtMs < this.options.intervalMs) {
      this.suppressed++;
      return;
    }
    this.options.logger.warn(message, { ...fields, suppressed: this.suppressed });
    this.lastLoggedAtMs = now;
    this.suppressed = 0;
  }

  /** Forgets the history after a success, so the next failure is logged at once. */
  reset(): void {
    this.lastLoggedAtMs = undefined;
    this.suppressed = 0;
  }
}
