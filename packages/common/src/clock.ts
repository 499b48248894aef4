/**
 * Time is injected everywhere: real code takes a Clock, tests and the simulation pass a
 * VirtualClock. Pure cores take `now` (epoch milliseconds) as data and never see a Clock.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Wall-clock time in epoch milliseconds. */
  now(): number;
  /** Monotonic milliseconds, for measuring intervals; unaffected by wall-clock jumps. */
  monotonic(): number;
  /** Calls `callback` once after `delayMs`. */
  setTimer(delayMs: number, callback: () => void): TimerHandle;
  /** Resolves after `delayMs`. */
  sleep(delayMs: number): Promise<void>;
}

export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  monotonic(): number {
    return performance.now();
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    timer.unref?.();
    return { cancel: () => clearTimeout(timer) };
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, delayMs)));
  }
}

interface VirtualTimer {
  at: number;
  sequence: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to. Timers fire in (time, creation order), so a run is
 * fully determined by the order of calls: the basis of the deterministic simulation.
 * Timers follow monotonic time, as real timers do: a wall-clock jump (an NTP step) moves
 * `now()` but neither fires nor delays any timer.
 */
export class VirtualClock implements Clock {
  private monotonicMs = 0;
  private wallOffsetMs: number;
  private sequence = 0;
  private readonly timers: VirtualTimer[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.wallOffsetMs = startMs;
  }

  now(): number {
    return this.monotonicMs + this.wallOffsetMs;
  }

  monotonic(): number {
    return this.monotonicMs;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const timer: VirtualTimer = {
      at: this.monotonicMs + Math.max(0, delayMs),
      sequence: this.sequence++,
      callback,
      cancelled: false,
    };
    this.insert(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }

  /** Jumps the wall clock without firing timers or moving monotonic time (an NTP step). */
  jumpWallClock(deltaMs: number): void {
    this.wallOffsetMs += deltaMs;
  }

  /** The wall-clock time of the next pending timer, or undefined. */
  nextTimerAt(): number | undefined {
    this.dropCancelled();
    const next = this.timers[0];
    return next === undefined ? undefined : next.at + this.wallOffsetMs;
  }

  /**
   * Advances time by `deltaMs`, firing due timers in order. Between timers it yields to
   * the microtask queue so promise continuations run at the virtual instant they belong to.
   */
  async advance(deltaMs: number): Promise<void> {
    const target = this.monotonicMs + deltaMs;
    for (;;) {
      await flushMicrotasks();
      this.dropCancelled();
      const next = this.timers[0];
      if (next === undefined || next.at > target) break;
      this.timers.shift();
      this.monotonicMs = Math.max(this.monotonicMs, next.at);
      next.callback();
    }
    this.monotonicMs = target;
    await flushMicrotasks();
  }

  private insert(timer: VirtualTimer): void {
    let low = 0;
    let high = this.timers.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = this.timers[middle]!;
      if (other.at < timer.at || (other.at === timer.at && other.sequence < timer.sequence)) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    this.timers.splice(low, 0, timer);
  }

  private dropCancelled(): void {
    while (this.timers[0]?.cancelled) this.timers.shift();
  }
}

/** Lets every queued promise continuation run (a few rounds, for chained awaits). */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
