import type { Clock, Logger } from '@exosphere/common';
import type { VerificationKey } from './algorithms.js';
import { importJwk } from './jwk.js';

export interface JwksCacheOptions {
  readonly url: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a fetched key set is used before it is fetched again. */
  readonly maxAgeMs: number;
  /**
   * The least time between two fetches that were not due by age: the answer to a token with an
   * unknown `kid` (a key rotation) and the retry after a failed fetch. Without it a flood of
   * tokens with made-up kids would turn the gateway into a weapon against the issuer.
   */
  readonly refetchIntervalMs: number;
  readonly timeoutMs: number;
  readonly bodyBytesMax: number;
  readonly keysMax: number;
}

export type JwksLookup =
  { readonly keys: readonly VerificationKey[] } | { readonly unavailable: true };

/**
 * The keys of one issuer's JWKS (RFC 7517 §5), fetched lazily and cached. When the cached set
 * grows old, requests keep using it while one refresh runs in the background; a token signed
 * by a key the cache does not know triggers at most one refetch per `refetchIntervalMs`, and
 * concurrent requests share that one fetch. If the issuer is unreachable, the last good set
 * stays in use (logged), so an issuer's outage does not become the gateway's outage.
 */
export class JwksCache {
  private keys: readonly VerificationKey[] = [];
  /** Monotonic time of the last successful fetch. */
  private fetchedAt: number | undefined;
  /** Monotonic time of the last fetch attempt, successful or not. */
  private attemptedAt: number | undefined;
  private inFlight: Promise<void> | undefined;
  /** Counts fetches, for tests and metrics. */
  fetchCount = 0;

  constructor(private readonly options: JwksCacheOptions) {}

  async lookup(kid: string | undefined): Promise<JwksLookup> {
    const now = this.options.clock.monotonic();
    if (this.fetchedAt === undefined) {
      if (this.canFetch(now)) await this.refresh();
    } else if (kid !== undefined && !this.keys.some((key) => key.kid === kid)) {
      // An unknown kid is how a key rotation first shows up.
      if (this.canFetch(now)) await this.refresh();
    } else if (now - this.fetchedAt >= this.options.maxAgeMs && this.canFetch(now)) {
      void this.refresh();
    }
    return this.fetchedAt === undefined ? { unavailable: true } : { keys: this.keys };
  }

  /** A fetch is allowed when one is running (join it) or none ran recently. */
  private canFetch(now: number): boolean {
    return (
      this.inFlight !== undefined ||
      this.attemptedAt === undefined ||
      now - this.attemptedAt >= this.options.refetchIntervalMs
    );
  }

  private refresh(): Promise<void> {
    this.inFlight ??= this.fetchKeys().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetchKeys(): Promise<void> {
    this.attemptedAt = this.options.clock.monotonic();
    this.fetchCount++;
    try {
      const document = await this.download();
      const keys = this.parse(document);
      this.keys = keys;
      this.fetchedAt = this.options.clock.monotonic();
    } catch (error) {
      // An operating error: reported, and the last good key set (if any) stays in use.
      this.options.logger.warn('JWKS fetch failed', {
        url: this.options.url,
        error: error instanceof Error ? error.message : String(error),
        servingCachedKeys: this.fetchedAt !== undefined,
      });
    }
  }

  private async download(): Promise<unknown> {
    const controller = new AbortController();
    const timer = this.options.clock.setTimer(this.options.timeoutMs, () =>
      controller.abort(new Error(`timed out after ${this.options.timeoutMs} ms`)),
    );
    try {
      const response = await fetch(this.options.url, {
        headers: { accept: 'application/jwk-set+json, application/json' },
        signal: controller.signal,
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      const body = await readLimited(response, this.options.bodyBytesMax);
      return JSON.parse(body) as unknown;
    } finally {
      timer.cancel();
    }
  }

  private parse(document: unknown): VerificationKey[] {
    const entries = (document as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(entries)) throw new Error('the document has no "keys" array');
    const keys: VerificationKey[] = [];
    for (const entry of entries.slice(0, this.options.keysMax)) {
      const imported = importJwk(entry, { allowSecret: false });
      if ('key' in imported) keys.push(imported.key);
      else
        this.options.logger.debug('JWKS key skipped', {
          url: this.options.url,
          reason: imported.error,
        });
    }
    return keys;
  }
}

/** Reads a response body, refusing more than `bytesMax` bytes (a bound on memory per fetch). */
async function readLimited(response: Response, bytesMax: number): Promise<string> {
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Leaving the loop early cancels the stream, so an oversized body is not read to its end.
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > bytesMax) break;
    chunks.push(chunk);
  }
  if (total > bytesMax) throw new Error(`the key set is larger than ${bytesMax} bytes`);
  return Buffer.concat(chunks).toString('utf8');
}
