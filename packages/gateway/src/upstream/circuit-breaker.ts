export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerSettings {
  readonly failureRatio: number;
  readonly minimumRequests: number;
  readonly windowMs: number;
  readonly openMs: number;
}

const bucketCount = 10;

/**
 * A circuit breaker over a sliding window of ten buckets. Closed: requests pass and outcomes are
 * counted; when at least `minimumRequests` ended in the window and the failed share reaches
 * `failureRatio`, it opens. Open: requests fail fast for `openMs`. Half-open: one probe request
 * passes; its success closes the circuit (with a fresh window), its failure opens it again.
 * Time comes in as monotonic milliseconds, so the breaker is testable without a clock.
 */
export class CircuitBreaker {
  state: CircuitState = 'closed';
  private readonly requests = new Array<number>(bucketCount).fill(0);
  private readonly failures = new Array<number>(bucketCount).fill(0);
  private bucketStartMs = 0;
  private bucket = 0;
  private openUntilMs = 0;
  private probeInFlight = false;

  constructor(private readonly settings: CircuitBreakerSettings) {}

  /** Whether a request may go upstream now; true for at most one probe when half-open. */
  allow(nowMs: number): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (nowMs < this.openUntilMs) return false;
      this.state = 'half-open';
      this.probeInFlight = false;
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  record(success: boolean, nowMs: number): void {
    if (this.state === 'half-open') {
      this.probeInFlight = false;
      if (success) {
        this.state = 'closed';
        this.requests.fill(0);
        this.failures.fill(0);
        this.bucketStartMs = nowMs;
      } else this.open(nowMs);
      return;
    }
    if (this.state === 'open') return;
    this.advance(nowMs);
    this.requests[this.bucket]!++;
    if (!success) this.failures[this.bucket]!++;
    let requests = 0;
    let failures = 0;
    for (let i = 0; i < bucketCount; i++) {
      requests += this.requests[i]!;
      failures += this.failures[i]!;
    }
    if (
      requests >= this.settings.minimumRequests &&
      failures / requests >= this.settings.failureRatio
    )
      this.open(nowMs);
  }

  private open(nowMs: number): void {
    this.state = 'open';
    this.openUntilMs = nowMs + this.settings.openMs;
    this.requests.fill(0);
    this.failures.fill(0);
  }

  private advance(nowMs: number): void {
    const bucketMs = this.settings.windowMs / bucketCount;
    if (nowMs - this.bucketStartMs < bucketMs) return;
    const steps = Math.min(bucketCount, Math.floor((nowMs - this.bucketStartMs) / bucketMs));
    for (let i = 0; i < steps; i++) {
      this.bucket = (this.bucket + 1) % bucketCount;
      this.requests[this.bucket] = 0;
      this.failures[this.bucket] = 0;
    }
    this.bucketStartMs = steps === bucketCount ? nowMs : this.bucketStartMs + steps * bucketMs;
  }
}
