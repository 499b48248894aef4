import { z } from 'zod';

/** Where a Redis server listens: TCP host and port, or a unix socket path. */
export type RedisAddress =
  { readonly host: string; readonly port: number } | { readonly path: string };

export interface RedisEndpoint {
  readonly address: RedisAddress;
  readonly password: string | undefined;
  readonly database: number;
}

/**
 * Parses `redis://[:password@]host[:port][/database]` or `unix:///path/to/redis.sock` (the
 * forms redis-cli and most clients accept). Returns a message instead of throwing.
 */
export function parseRedisUrl(text: string): RedisEndpoint | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'expected redis://host:port[/database] or unix:///path/to/redis.sock';
  }
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  if (url.protocol === 'unix:') {
    if (url.pathname === '' || url.pathname === '/') return 'unix: needs a socket path';
    return { address: { path: decodeURIComponent(url.pathname) }, password, database: 0 };
  }
  if (url.protocol !== 'redis:') return `unsupported scheme ${url.protocol}; use redis: or unix:`;
  if (url.hostname === '') return 'redis: needs a host';
  const databaseText = url.pathname.replace(/^\//, '');
  const database = databaseText === '' ? 0 : Number(databaseText);
  if (!Number.isInteger(database) || database < 0 || database > 65_535)
    return `the database must be a number, not ${JSON.stringify(databaseText)}`;
  const port = url.port === '' ? 6379 : Number(url.port);
  // URL keeps the brackets of an IPv6 literal; sockets want the bare address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { address: { host, port }, password, database };
}

export const rateLimitSettingsSchema = z.strictObject({
  /**
   * The shared counter store. Without it every gateway counts alone (exact for one instance,
   * `instances` times the limit for a fleet).
   */
  store: z
    .strictObject({
      redis: z.string().refine((text) => typeof parseRedisUrl(text) !== 'string', {
        message: 'expected redis://[:password@]host[:port][/database] or unix:///path',
      }),
      /** The longest a request waits for the store before the local fallback decides. */
      timeoutMs: z.int().min(1).max(10_000).default(50),
      keyPrefix: z.string().min(1).max(128).default('exo:ratelimit:'),
    })
    .optional(),
  /**
   * How many gateways share the limits. While the store is unreachable each gateway allows
   * `limit / instances` per window on its own, so the fleet stays near the limit.
   */
  instances: z.int().min(1).max(10_000).default(1),
  /** Counters kept in memory (local mode and fallback); the oldest are evicted beyond this. */
  localKeysMax: z.int().min(100).max(10_000_000).default(100_000),
});

export type RateLimitSettings = z.output<typeof rateLimitSettingsSchema>;
