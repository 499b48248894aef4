import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PolicyRequest, PolicyType, RequestPolicy } from '../policy.js';
import { singleHeader } from './header-value.js';
import { reject, unauthorizedCode } from './rejections.js';
import {
  hashSecretSha256,
  parseSecretHash,
  verifySecretSha256,
  type ParsedSecretHash,
} from './secret-hash.js';
import { VerifiedKeyCache } from './verified-key-cache.js';

/**
 * API keys look like `<id>.<secret>`: the id finds the one configured entry to check, so a
 * request costs one HMAC however many keys exist. Keys made by other tools (without a known id
 * prefix) still work but are checked against every entry, which costs one HMAC per entry.
 */
const keyIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
const presentedKeyLengthMax = 512;
/** Verified keys remembered per policy (see verified-key-cache.ts). */
const verifiedKeysMax = 10_000;

const keyEntrySchema = z.strictObject({
  id: z.string().regex(keyIdPattern, 'letters, digits, "_" and "-", at most 64'),
  hash: z.string().refine((text) => parseSecretHash(text)?.algorithm === 'sha256', {
    message:
      'expected "sha256$<salt>$<hash>" as printed by generateApiKey / hashApiKey; never the key itself',
  }),
  /** The application the key belongs to, for subscriptions, throttling and analytics. */
  application: z.string().min(1).optional(),
});

const headerNamePattern = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export const apiKeySchema = z
  .strictObject({
    /** Request headers searched for the key, in order. */
    headers: z
      .array(z.string().regex(headerNamePattern, 'a header name'))
      .min(1)
      .default(['apikey', 'x-api-key']),
    /**
     * A query parameter that may carry the key. Off by default: URLs end up in logs and
     * browser history (the reason RFC 6750 §2.3 discourages tokens in URIs).
     */
    queryParameter: z.string().min(1).optional(),
    keys: z.array(keyEntrySchema),
  })
  .refine((config) => new Set(config.keys.map((key) => key.id)).size === config.keys.length, {
    message: 'key ids must be unique',
    path: ['keys'],
  });

export type ApiKeyConfig = z.output<typeof apiKeySchema>;

export interface GeneratedApiKey {
  /** Shown once to its owner; never stored. */
  readonly key: string;
  readonly id: string;
  /** What the configuration stores. */
  readonly hash: string;
}

/** Makes a new key for `exo app-key create`-style tooling: 256 random bits after the id. */
export function generateApiKey(options: { id?: string } = {}): GeneratedApiKey {
  const id = options.id ?? `key-${randomBytes(6).toString('hex')}`;
  if (!keyIdPattern.test(id)) throw new Error(`invalid API key id ${JSON.stringify(id)}`);
  const key = `${id}.${randomBytes(32).toString('base64url')}`;
  return { key, id, hash: hashApiKey(key) };
}

/** The stored form of a key: HMAC-SHA-256 under a fresh random salt. */
export function hashApiKey(key: string): string {
  return hashSecretSha256(key);
}

interface StoredKey {
  readonly id: string;
  readonly application: string | undefined;
  readonly hash: ParsedSecretHash;
}

export function createApiKeyPolicy(config: ApiKeyConfig): RequestPolicy {
  const keys: StoredKey[] = config.keys.map((entry) => ({
    id: entry.id,
    application: entry.application,
    hash: parseSecretHash(entry.hash)!,
  }));
  const byId = new Map(keys.map((key) => [key.id, key]));
  // Header records have lower-case names (node:http's rule).
  const headerNames = config.headers.map((header) => header.toLowerCase());
  const where = config.queryParameter
    ? `the ${config.headers[0]} header or the ${config.queryParameter} query parameter`
    : `the ${config.headers[0]} header`;

  const verified = new VerifiedKeyCache<StoredKey>(verifiedKeysMax);

  function find(presented: string): StoredKey | undefined {
    const known = verified.get(presented);
    if (known !== undefined) return known;
    const found = verify(presented);
    if (found !== undefined) verified.set(presented, found);
    return found;
  }

  function verify(presented: string): StoredKey | undefined {
    const dot = presented.indexOf('.');
    const candidate = dot > 0 ? byId.get(presented.slice(0, dot)) : undefined;
    if (candidate !== undefined) {
      return verifySecretSha256(presented, candidate.hash) ? candidate : undefined;
    }
    // No known id prefix: check every entry, without stopping early, so the time taken does
    // not depend on where a match sits in the list.
    let match: StoredKey | undefined;
    for (const key of keys) {
      if (verifySecretSha256(presented, key.hash)) match = key;
    }
    return match;
  }

  function presentedKey(request: PolicyRequest): string | undefined {
    for (const header of headerNames) {
      const value = singleHeader(request.headers, header);
      if (value !== undefined && value !== '') return value;
    }
    if (config.queryParameter === undefined) return undefined;
    const values = request.query.getAll(config.queryParameter);
    return values.length === 1 && values[0] !== '' ? values[0] : undefined;
  }

  return {
    name: 'api-key',
    onRequest(request) {
      const presented = presentedKey(request);
      if (presented === undefined) {
        return reject(unauthorizedCode, `An API key is required; send it in ${where}.`);
      }
      const key = presented.length <= presentedKeyLengthMax ? find(presented) : undefined;
      if (key === undefined) {
        // The same answer for an unknown key and a wrong secret: nothing reveals which keys exist.
        return reject(unauthorizedCode, 'The API key is not valid.');
      }
      request.attributes.set('credential', key.id);
      if (key.application !== undefined) request.attributes.set('application', key.application);
      // The key is the gateway's business: the upstream never sees it.
      for (const header of headerNames) request.upstreamHeaders.remove(header);
      if (config.queryParameter !== undefined) request.query.delete(config.queryParameter);
      return undefined;
    },
  };
}

export const apiKeyPolicyType: PolicyType<typeof apiKeySchema> = {
  type: 'api-key',
  schema: apiKeySchema,
  create: (config) => createApiKeyPolicy(config),
};
