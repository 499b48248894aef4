/**
 * A mergeable latency histogram with fixed log-scale buckets (the DDSketch mapping, Masson et
 * al., VLDB 2019 §2): bucket i holds values in (γ^(i-1), γ^i] with γ = (1+α)/(1-α), and reports
 * 2γ^i/(γ+1). Any quantile it returns is within a relative error α = 2 % of the exact value of
 * the same rank, for values between 1 µs and 10⁷ ms; smaller values count as 0 (absolute error
 * under 1 µs) and larger ones as 10⁷ ms. Buckets are fixed, so histograms of different minutes,
 * routes or gateways merge by adding counts.
 *
 * Counts live in one dense array covering only the buckets between the smallest and largest
 * value seen (typically 100–200 buckets, at most 576: 2.3 KB).
 */
export const relativeAccuracy = 0.02;
const gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
const logGamma = Math.log(gamma);
/** Below this a latency counts as zero. */
export const latencyMinMs = 0.001;
export const latencyMaxMs = 10_000_000;
const indexMax = Math.ceil(Math.log(latencyMaxMs) / logGamma);
const indexMin = Math.ceil(Math.log(latencyMinMs) / logGamma);

function bucketIndex(valueMs: number): number {
  if (valueMs >= latencyMaxMs) return indexMax;
  return Math.ceil(Math.log(valueMs) / logGamma);
}

function bucketValue(index: number): number {
  return (2 * Math.pow(gamma, index)) / (gamma + 1);
}

export class LatencyHistogram {
  /** Index of `counts[0]`. */
  private offset = 0;
  private counts: Uint32Array = new Uint32Array(0);
  private zeroCount = 0;
  count = 0;
  /** For the mean. */
  sumMs = 0;

  add(valueMs: number): void {
    this.count++;
    if (!(valueMs > latencyMinMs)) {
      // NaN and negatives (a clock anomaly) count as zero rather than poisoning the sum.
      this.zeroCount++;
      return;
    }
    this.sumMs += valueMs;
    const index = bucketIndex(valueMs);
    this.ensure(index, index);
    this.counts[index - this.offset]!++;
  }

  merge(other: LatencyHistogram): void {
    this.count += other.count;
    this.sumMs += other.sumMs;
    this.zeroCount += other.zeroCount;
    if (other.counts.length === 0) return;
    this.ensure(other.offset, other.offset + other.counts.length - 1);
    const shift = other.offset - this.offset;
    for (let i = 0; i < other.counts.length; i++) this.counts[i + shift]! += other.counts[i]!;
  }

  /**
   * The value of rank ⌊q·(count−1)⌋ (0-based, ascending), within the relative accuracy; NaN for
   * an empty histogram.
   */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.count - 1));
    let seen = this.zeroCount;
    if (rank < seen) return 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (rank < seen) return bucketValue(i + this.offset);
    }
    // Counts add up to `count`, so the loop always returns; this is a broken invariant.
    throw new Error('invariant violated: histogram counts do not add up');
  }

  /** Approximate bytes held, for memory accounting. */
  get bytes(): number {
    return 64 + this.counts.byteLength;
  }

  private ensure(low: number, high: number): void {
    const length = this.counts.length;
    if (length > 0 && low >= this.offset && high < this.offset + length) return;
    const newLow = length === 0 ? low : Math.min(low, this.offset);
    const newHigh = length === 0 ? high : Math.max(high, this.offset + length - 1);
    // Grow with some slack so a widening range does not copy on every new extreme.
    const from = Math.max(newLow - 8, indexMin);
    const to = Math.min(newHigh + 8, indexMax);
    const counts = new Uint32Array(to - from + 1);
    if (length > 0) counts.set(this.counts, this.offset - from);
    this.counts = counts;
    this.offset = from;
  }
}
