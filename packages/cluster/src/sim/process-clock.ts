import type { Clock, TimerHandle, VirtualClock } from '@exosphere/common';

/**
 * The clock one simulated OS process sees. It shares time with the world's VirtualClock but
 * lets the world treat the process like the kernel would: `kill()` is SIGKILL (no timer and no
 * delivered message ever runs again, nothing is cleaned up) and `pause()` is SIGSTOP followed by
 * SIGCONT (everything due meanwhile runs late, in order, when the pause ends). The master and
 * agent code never know: they only see a Clock.
 */
export class ProcessClock implements Clock {
  private dead = false;
  private pausedUntil: number | undefined;
  private readonly deferred: (() => void)[] = [];

  constructor(private readonly clock: VirtualClock) {}

  now(): number {
    return this.clock.now();
  }

  monotonic(): number {
    return this.clock.monotonic();
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    if (this.dead) return { cancel: () => {} };
    let cancelled = false;
    const handle = this.clock.setTimer(delayMs, () => {
      this.run(() => {
        if (!cancelled) callback();
      });
    });
    return {
      cancel: () => {
        cancelled = true;
        handle.cancel();
      },
    };
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }

  get alive(): boolean {
    return !this.dead;
  }

  get paused(): boolean {
    return this.pausedUntil !== undefined;
  }

  /**
   * Runs `callback` inside this process: at once, later when paused, never when dead.
   * Returns false when the process is dead, so a sender can treat the message as lost.
   */
  run(callback: () => void): boolean {
    if (this.dead) return false;
    if (this.pausedUntil !== undefined) this.deferred.push(callback);
    else callback();
    return true;
  }

  kill(): void {
    this.dead = true;
    this.pausedUntil = undefined;
    this.deferred.length = 0;
  }

  /** SIGSTOP for `durationMs`; overlapping pauses end with the latest one. */
  pause(durationMs: number): void {
    if (this.dead) return;
    const until = this.clock.now() + durationMs;
    this.pausedUntil = Math.max(this.pausedUntil ?? 0, until);
    this.clock.setTimer(durationMs, () => {
      if (this.pausedUntil === undefined || this.clock.now() < this.pausedUntil) return;
      this.resume();
    });
  }

  private resume(): void {
    this.pausedUntil = undefined;
    const due = this.deferred.splice(0);
    for (const callback of due) {
      if (this.dead) return;
      callback();
    }
  }
}
