// The generator's own seeded pseudo-random numbers. TPC-H does not require dbgen's exact random
// streams; it requires the distributions of clause 4.2. Each table (and each block of rows of the
// large tables) draws from its own stream, seeded from a name, so that output does not depend on
// the order in which tables are generated.

/**
 * The generator's seed. Any value gives spec-conforming data; this one also gives every nation
 * that a query names at least one supplier at SF 0.01 (100 suppliers over 25 nations).
 */
export const defaultSeed = 's1';

/** FNV-1a of a string: turns "lineitem/42" into a 32-bit seed. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Small Fast Counter (sfc32): 128 bits of state, good statistical quality, 32-bit operations only. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seedName: string, seed: string = defaultSeed) {
    this.a = hash32(`a:${seed}:${seedName}`);
    this.b = hash32(`b:${seed}:${seedName}`);
    this.c = hash32(`c:${seed}:${seedName}`);
    this.d = 1;
    for (let index = 0; index < 12; index += 1) this.next();
  }

  /** A uniform unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform integer in [low, high], both included. */
  int(low: number, high: number): number {
    return low + Math.floor((this.next() / 4294967296) * (high - low + 1));
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor((this.next() / 4294967296) * list.length)] as T;
  }
}
