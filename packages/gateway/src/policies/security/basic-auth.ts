import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PolicyFactoryContext, PolicyType, RequestPolicy } from '../policy.js';
import { parseBasicAuthorization } from './basic-credentials.js';
import { singleHeader } from './header-value.js';
import { reject, unauthorizedCode } from './rejections.js';
import {
  hashSecret,
  parseSecretHash,
  secretHashFormatMessage,
  verifySecret,
  type ParsedSecretHash,
} from './secret-hash.js';
import { VerificationCache } from './verification-cache.js';

const userSchema = z.strictObject({
  // RFC 7617 §2: a user-id containing a colon cannot be sent.
  username: z
    .string()
    .min(1)
    .regex(/^[^:]+$/, 'a username cannot contain ":"'),
  passwordHash: z.string().refine((text) => parseSecretHash(text) !== undefined, {
    message: secretHashFormatMessage,
  }),
  application: z.string().min(1).optional(),
});

export const basicAuthSchema = z
  .strictObject({
    realm: z
      .string()
      .regex(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/, 'printable ASCII without quotes or backslashes')
      .default('exosphere'),
    users: z.array(userSchema),
    /** Whether the upstream receives the Authorization header (by default it does not). */
    forwardAuthorization: z.boolean().default(false),
    /** How long a successful check is remembered, so each request does not pay for scrypt. */
    verifiedCacheMs: z.number().int().min(0).max(3_600_000).default(60_000),
  })
  .refine(
    (config) => new Set(config.users.map((user) => user.username)).size === config.users.length,
    {
      message: 'usernames must be unique',
      path: ['users'],
    },
  );

export type BasicAuthConfig = z.output<typeof basicAuthSchema>;

/** The stored form of a password: scrypt with a fresh salt. */
export function hashPassword(
  password: string,
  options: { scryptCostLog2?: number } = {},
): Promise<string> {
  return hashSecret(password, { algorithm: 'scrypt', ...options });
}

interface StoredUser {
  readonly hashText: string;
  readonly hash: ParsedSecretHash;
  readonly application: string | undefined;
}

/**
 * An unknown user is checked against this made-up hash, so that answering takes as long as for
 * a known user with a wrong password and the timing does not reveal which usernames exist.
 */
const unknownUserHash: ParsedSecretHash = {
  algorithm: 'scrypt',
  costLog2: 14,
  blockSize: 8,
  parallelism: 1,
  salt: randomBytes(16),
  hash: randomBytes(32),
};

export function createBasicAuthPolicy(
  config: BasicAuthConfig,
  context: PolicyFactoryContext,
): RequestPolicy {
  const users = new Map<string, StoredUser>(
    config.users.map((user) => [
      user.username,
      {
        hashText: user.passwordHash,
        hash: parseSecretHash(user.passwordHash)!,
        application: user.application,
      },
    ]),
  );
  const cache = new VerificationCache({
    clock: context.clock,
    timeToLiveMs: config.verifiedCacheMs,
    entriesMax: 10_000,
  });
  // RFC 7617 §2.1: the charset parameter announces that UTF-8 is expected.
  const challenge = { 'www-authenticate': `Basic realm="${config.realm}", charset="UTF-8"` };

  async function check(username: string, password: string): Promise<StoredUser | undefined> {
    const user = users.get(username);
    if (user === undefined) {
      await verifySecret(password, unknownUserHash);
      return undefined;
    }
    if (config.verifiedCacheMs > 0 && cache.has(user.hashText, password)) return user;
    if (!(await verifySecret(password, user.hash))) return undefined;
    if (config.verifiedCacheMs > 0) cache.remember(user.hashText, password);
    return user;
  }

  return {
    name: 'basic-auth',
    async onRequest(request) {
      const authorization = singleHeader(request.headers, 'authorization');
      if (authorization === undefined) {
        return reject(
          unauthorizedCode,
          'Credentials are required (HTTP Basic authentication).',
          challenge,
        );
      }
      const credentials = parseBasicAuthorization(authorization);
      const user =
        credentials === undefined
          ? undefined
          : await check(credentials.userId, credentials.password);
      if (credentials === undefined || user === undefined) {
        return reject(unauthorizedCode, 'The username or password is not valid.', challenge);
      }
      request.attributes.set('subject', credentials.userId);
      request.attributes.set('credential', credentials.userId);
      if (user.application !== undefined) request.attributes.set('application', user.application);
      if (!config.forwardAuthorization) request.upstreamHeaders.remove('authorization');
      return undefined;
    },
  };
}

export const basicAuthPolicyType: PolicyType<typeof basicAuthSchema> = {
  type: 'basic-auth',
  schema: basicAuthSchema,
  create: (config, context) => createBasicAuthPolicy(config, context),
};
