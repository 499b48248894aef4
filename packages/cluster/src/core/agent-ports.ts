import type { PortRange } from './resources.js';

/**
 * The host ports of one agent: the ranges it offers and which ports are taken.
 *
 * The set of used ports starts as the snapshot's own set and is copied only the first time this
 * agent's ports change, so building a ledger for 10,000 agents copies nothing up front.
 */
export class AgentPorts {
  /** Offered ranges, sorted and merged. */
  readonly ranges: readonly PortRange[];
  #used: ReadonlySet<number>;
  #owned = false;
  #freeCount: number;
  /** No port below this one is free; it lets `lowestFree` skip the ports it already handed out. */
  #cursor: number;

  constructor(ranges: readonly PortRange[], usedPorts: ReadonlySet<number>) {
    this.ranges = mergeRanges(ranges);
    this.#used = usedPorts;
    let offered = 0;
    for (const range of this.ranges) offered += range.end - range.begin + 1;
    let usedInRanges = 0;
    for (const port of usedPorts) if (this.offers(port)) usedInRanges += 1;
    this.#freeCount = offered - usedInRanges;
    this.#cursor = this.ranges[0]?.begin ?? 0;
  }

  get freeCount(): number {
    return this.#freeCount;
  }

  /** Whether the port lies in one of the offered ranges. */
  offers(port: number): boolean {
    for (const range of this.ranges) {
      if (port < range.begin) return false;
      if (port <= range.end) return true;
    }
    return false;
  }

  isFree(port: number): boolean {
    return !this.#used.has(port) && this.offers(port);
  }

  /** The lowest free offered port, or undefined when none is left. */
  lowestFree(): number | undefined {
    if (this.#freeCount <= 0) return undefined;
    for (const range of this.ranges) {
      if (range.end < this.#cursor) continue;
      for (let port = Math.max(range.begin, this.#cursor); port <= range.end; port += 1) {
        if (!this.#used.has(port)) {
          this.#cursor = port;
          return port;
        }
      }
    }
    return undefined;
  }

  /** Marks a free offered port as used; throws when it is not free (a caller bug). */
  take(port: number): void {
    if (!this.isFree(port)) throw new RangeError(`port ${port} is not free on this agent`);
    this.#mutable().add(port);
    this.#freeCount -= 1;
  }

  /** Marks a used offered port as free again; throws when it was not taken (a caller bug). */
  give(port: number): void {
    if (!this.#used.has(port) || !this.offers(port)) {
      throw new RangeError(`port ${port} is not in use on this agent`);
    }
    this.#mutable().delete(port);
    this.#freeCount += 1;
    if (port < this.#cursor) this.#cursor = port;
  }

  /** "31000-32000,33000-33100", as Mesos prints port ranges. */
  describeRanges(): string {
    return this.ranges.map((range) => `${range.begin}-${range.end}`).join(',');
  }

  #mutable(): Set<number> {
    if (!this.#owned) {
      this.#used = new Set(this.#used);
      this.#owned = true;
    }
    return this.#used as Set<number>;
  }
}

function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = ranges
    .filter((range) => range.begin <= range.end)
    .slice()
    .sort((a, b) => a.begin - b.begin);
  const merged: PortRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range.begin <= last.end + 1) {
      merged[merged.length - 1] = { begin: last.begin, end: Math.max(last.end, range.end) };
    } else {
      merged.push({ begin: range.begin, end: range.end });
    }
  }
  return merged;
}
