import { createHash, type Hash } from 'node:crypto';

/**
 * The record of everything that happened in one simulation run. Every event goes into a
 * running SHA-256, so two runs replayed from one seed can be compared by one digest; the last
 * events are kept verbatim so a failure message can show what led to it.
 */
export class Trace {
  private readonly hash: Hash = createHash('sha256');
  private readonly recent: string[] = [];
  private count = 0;

  constructor(
    readonly enabled: boolean,
    private readonly recentMax = 60,
  ) {}

  record(now: number, text: string): void {
    if (!this.enabled) return;
    const line = `${now} ${text}`;
    this.hash.update(line);
    this.hash.update('\n');
    this.count++;
    this.recent.push(line);
    if (this.recent.length > this.recentMax) this.recent.shift();
  }

  get events(): number {
    return this.count;
  }

  /** The digest of all events so far (the running hash keeps going). */
  digest(): string {
    return this.hash.copy().digest('hex');
  }

  tail(): string {
    return this.recent.join('\n');
  }
}

/**
 * Derives an independent seed for one named random stream, so adding a draw in one component
 * (say, the network) does not shift every other component's choices for the same seed.
 */
export function deriveSeed(seed: number, stream: string): number {
  // FNV-1a over the seed and the stream name.
  let hash = 0x811c9dc5;
  for (const character of `${seed}:${stream}`) {
    hash ^= character.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
