/**
 * The primary's side of rate limits shared by the workers of one gateway: the exact counters,
 * handed out in leases. A worker asks for tokens of one window of one key; the primary grants
 * at most what is left, so the tokens granted in a window never exceed its limit, whatever the
 * number of workers. Leases shrink as the window fills (a quarter of the remainder per
 * worker, at most `leaseMax`), so when the window is used up the tokens still held unused by
 * other workers are few: under even load the workers together allow the limit minus at most
 * about one token per worker. Tokens leased and not used by the end of the window are lost
 * (never carried over), so a limit is never exceeded, only at worst slightly under-used.
 */
export class LeaseCounters {
  private readonly counters = new Map<string, { startMs: number; count: number }>();

  constructor(
    private readonly options: {
      readonly workers: number;
      /** Most tokens in one lease: how far a worker runs ahead of the others. */
      readonly leaseMax: number;
      readonly keysMax: number;
    },
  ) {}

  get size(): number {
    return this.counters.size;
  }

  grant(request: {
    readonly key: string;
    readonly windowMs: number;
    readonly windowStartMs: number;
    readonly limit: number;
  }): { tokens: number; count: number } {
    const counterKey = `${request.windowMs}|${request.key}`;
    let counter = this.counters.get(counterKey);
    if (counter === undefined) {
      this.makeRoom(request.windowStartMs);
      counter = { startMs: request.windowStartMs, count: 0 };
      this.counters.set(counterKey, counter);
    } else if (request.windowStartMs > counter.startMs) {
      counter.startMs = request.windowStartMs;
      counter.count = 0;
    } else if (request.windowStartMs < counter.startMs) {
      // A window that has ended for the others: nothing more is granted in it.
      return { tokens: 0, count: request.limit };
    }
    const left = Math.max(0, request.limit - counter.count);
    const share = Math.floor(left / (this.options.workers * 4));
    const tokens = Math.min(left, this.options.leaseMax, Math.max(1, share));
    counter.count += tokens;
    return { tokens, count: counter.count };
  }

  /** Bounded like the local limiter: ended windows go first, then the oldest counters. */
  private makeRoom(nowMs: number): void {
    if (this.counters.size < this.options.keysMax) return;
    for (const [key, counter] of this.counters) {
      const windowMs = Number(key.slice(0, key.indexOf('|')));
      if (counter.startMs + windowMs <= nowMs) this.counters.delete(key);
    }
    const target = Math.floor(this.options.keysMax * 0.9);
    for (const key of this.counters.keys()) {
      if (this.counters.size <= target) break;
      this.counters.delete(key);
    }
  }
}
