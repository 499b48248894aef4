import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '@exosphere/common';

export interface VerificationCacheOptions {
  readonly clock: Clock;
  /** How long a successful check is remembered. */
  readonly timeToLiveMs: number;
  readonly entriesMax: number;
}

/**
 * Remembers recent successful scrypt checks, so that a client sending the same Basic
 * credentials on every request costs one scrypt per TTL instead of one per request (tens of
 * milliseconds of thread-pool time each). Entries are keyed by an HMAC under a key that lives
 * only in this process's memory, so the cache holds nothing that helps guess a password, and
 * the stored hash is part of the key, so a changed password is never served from the cache.
 * Failures are not cached: they must keep costing a full check.
 */
export class VerificationCache {
  private readonly key = randomBytes(32);
  private readonly expiresAt = new Map<string, number>();

  constructor(private readonly options: VerificationCacheOptions) {}

  has(storedHash: string, secret: string): boolean {
    const entry = this.entryKey(storedHash, secret);
    const expiresAt = this.expiresAt.get(entry);
    if (expiresAt === undefined) return false;
    if (expiresAt <= this.options.clock.monotonic()) {
      this.expiresAt.delete(entry);
      return false;
    }
    return true;
  }

  remember(storedHash: string, secret: string): void {
    // A Map iterates in insertion order, so the first entry is the oldest: evict it when full.
    if (this.expiresAt.size >= this.options.entriesMax) {
      const oldest = this.expiresAt.keys().next();
      if (oldest.done !== true) this.expiresAt.delete(oldest.value);
    }
    this.expiresAt.set(
      this.entryKey(storedHash, secret),
      this.options.clock.monotonic() + this.options.timeToLiveMs,
    );
  }

  private entryKey(storedHash: string, secret: string): string {
    return createHmac('sha256', this.key)
      .update(storedHash)
      .update('\0')
      .update(secret)
      .digest('base64url');
  }
}
