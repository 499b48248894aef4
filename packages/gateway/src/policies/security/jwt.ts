import { z } from 'zod';
import type {
  PolicyFactoryContext,
  PolicyRejection,
  PolicyType,
  RequestPolicy,
} from '../policy.js';
import { singleHeader } from './header-value.js';
import {
  jwsAlgorithms,
  keyFitsAlgorithm,
  verifySignature,
  type VerificationKey,
} from './jose/algorithms.js';
import { checkClaims, scopesOf } from './jose/jwt-claims.js';
import { parseCompactJws, type ParsedJws } from './jose/jws.js';
import { importJwk, importPem } from './jose/jwk.js';
import { sharedJwksCache } from './jose/jwks-registry.js';
import type { JwksCache } from './jose/jwks-cache.js';
import { reject, unauthorizedCode } from './rejections.js';
import { resolveSecret, secretEnvSchema, secretFileSchema } from './secret-source.js';

const algorithmSchema = z.enum(jwsAlgorithms);
const kidSchema = z.string().min(1).optional();

/**
 * One configured key: an HMAC secret (inline, or from an environment variable or a file:
 * secret-source.ts), a PEM public key (or certificate), or a JWK.
 */
const keySchema = z
  .union([
    z.strictObject({ kid: kidSchema, algorithm: algorithmSchema.optional(), secret: z.string() }),
    z.strictObject({
      kid: kidSchema,
      algorithm: algorithmSchema.optional(),
      secretEnv: secretEnvSchema,
    }),
    z.strictObject({
      kid: kidSchema,
      algorithm: algorithmSchema.optional(),
      secretFile: secretFileSchema,
    }),
    z.strictObject({ kid: kidSchema, algorithm: algorithmSchema.optional(), pem: z.string() }),
    z.strictObject({ jwk: z.record(z.string(), z.unknown()) }),
  ])
  .superRefine((entry, context) => {
    const imported = importConfiguredKey(entry);
    if ('error' in imported) context.addIssue({ code: 'custom', message: imported.error });
  });

/** Scope tokens as RFC 6749 §3.3 defines them: printable ASCII without space, quote or backslash. */
export const scopeSchema = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'a scope token');

export const jwtSchema = z
  .strictObject({
    /** Accepted `iss` values (RFC 7519 §4.1.1). Strongly advised (RFC 8725 §3.8). */
    issuers: z.array(z.string().min(1)).min(1).optional(),
    /** Accepted `aud` values (RFC 7519 §4.1.3). Strongly advised (RFC 8725 §3.9). */
    audiences: z.array(z.string().min(1)).min(1).optional(),
    /** Narrows the accepted algorithms further than the keys already do. */
    algorithms: z.array(algorithmSchema).min(1).optional(),
    keys: z.array(keySchema).default([]),
    jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
    jwksMaxAgeMs: z
      .number()
      .int()
      .min(1000)
      .default(10 * 60_000),
    jwksRefetchIntervalMs: z.number().int().min(0).default(30_000),
    jwksTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
    clockSkewMs: z
      .number()
      .int()
      .min(0)
      .max(5 * 60_000)
      .default(30_000),
    requireExpiration: z.boolean().default(true),
    /** Scopes the token must all grant: the scopes of the operation this policy guards. */
    scopes: z.array(scopeSchema).default([]),
    realm: z
      .string()
      .regex(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/, 'printable ASCII without quotes or backslashes')
      .default('exosphere'),
  })
  .refine((config) => config.keys.length > 0 || config.jwksUrl !== undefined, {
    message: 'give keys, a jwksUrl, or both',
  });

export type JwtConfig = z.output<typeof jwtSchema>;
type KeyConfig = JwtConfig['keys'][number];

/** How many keys one token may be tried against (tokens without a kid): a bound on work. */
const candidateKeysMax = 8;
const jwksBodyBytesMax = 256 * 1024;
const jwksKeysMax = 100;

function importConfiguredKey(entry: KeyConfig): { key: VerificationKey } | { error: string } {
  if ('jwk' in entry) return importJwk(entry.jwk, { allowSecret: true });
  if ('pem' in entry) return importPem(entry.pem, { kid: entry.kid, algorithm: entry.algorithm });
  const resolved = resolveSecret(entry);
  if ('error' in resolved) return resolved;
  const secret = Buffer.from(resolved.secret, 'utf8');
  // RFC 7518 §3.2: at least as many bits as the hash (HS256: 256 bits).
  if (secret.length < 32) return { error: 'an HMAC secret needs at least 32 bytes' };
  return { key: { kind: 'secret', kid: entry.kid, algorithm: entry.algorithm, secret } };
}

export function createJwtPolicy(config: JwtConfig, context: PolicyFactoryContext): RequestPolicy {
  const staticKeys = config.keys.flatMap((entry) => {
    const imported = importConfiguredKey(entry);
    return 'key' in imported ? [imported.key] : [];
  });
  const jwks: JwksCache | undefined =
    config.jwksUrl === undefined
      ? undefined
      : sharedJwksCache({
          url: config.jwksUrl,
          clock: context.clock,
          logger: context.logger,
          maxAgeMs: config.jwksMaxAgeMs,
          refetchIntervalMs: config.jwksRefetchIntervalMs,
          timeoutMs: config.jwksTimeoutMs,
          bodyBytesMax: jwksBodyBytesMax,
          keysMax: jwksKeysMax,
        });
  const allowedAlgorithms = new Set(config.algorithms ?? jwsAlgorithms);
  const realm = `realm="${config.realm}"`;

  /** RFC 6750 §3: a 401 carries a Bearer challenge, with error="invalid_token" once one was sent. */
  function invalidToken(
    message: string,
    code: typeof unauthorizedCode | 'EXO_GATEWAY_TOKEN_EXPIRED' = unauthorizedCode,
  ): PolicyRejection {
    return reject(code, message, {
      'www-authenticate': `Bearer ${realm}, error="invalid_token", error_description="${message}"`,
    });
  }

  function verifyWith(keys: readonly VerificationKey[], token: ParsedJws): boolean {
    const candidates = keys
      .filter((key) => token.kid === undefined || key.kid === undefined || key.kid === token.kid)
      .filter((key) => keyFitsAlgorithm(key, token.algorithm))
      .slice(0, candidateKeysMax);
    return candidates.some((key) =>
      verifySignature({
        algorithm: token.algorithm,
        key,
        signingInput: token.signingInput,
        signature: token.signature,
      }),
    );
  }

  async function verify(token: ParsedJws): Promise<PolicyRejection | undefined> {
    if (verifyWith(staticKeys, token)) return undefined;
    if (jwks !== undefined) {
      const lookup = await jwks.lookup(token.kid);
      if ('unavailable' in lookup) {
        return reject(
          'EXO_GATEWAY_KEYS_UNAVAILABLE',
          "The issuer's signing keys cannot be fetched right now; retry later.",
        );
      }
      // Keys from a JWKS are matched on kid exactly when the token names one.
      const keys = lookup.keys.filter((key) => token.kid === undefined || key.kid === token.kid);
      if (verifyWith(keys, token)) return undefined;
    }
    return invalidToken('The bearer token signature is not valid.');
  }

  return {
    name: 'jwt',
    async onRequest(request) {
      const authorization = singleHeader(request.headers, 'authorization');
      // RFC 6750 §2.1: "Bearer" then the token; the scheme name is case-insensitive (RFC 9110 §11.1).
      const match = authorization === undefined ? null : /^Bearer +(\S+) *$/i.exec(authorization);
      if (match === null) {
        return reject(
          unauthorizedCode,
          'A bearer token is required: send it as "Authorization: Bearer <token>".',
          { 'www-authenticate': `Bearer ${realm}` },
        );
      }
      const token = parseCompactJws(match[1] ?? '');
      if ('failure' in token) {
        return invalidToken(
          token.failure === 'malformed'
            ? 'The bearer token is not a well-formed JWT.'
            : 'The bearer token uses an algorithm or header this gateway does not accept.',
        );
      }
      if (!allowedAlgorithms.has(token.algorithm)) {
        return invalidToken('The bearer token uses an algorithm this gateway does not accept.');
      }
      const signatureFailure = await verify(token);
      if (signatureFailure !== undefined) return signatureFailure;

      const claimFailure = checkClaims(token.payload, {
        issuers: config.issuers,
        audiences: config.audiences,
        clockSkewMs: config.clockSkewMs,
        requireExpiration: config.requireExpiration,
        nowMs: context.clock.now(),
      });
      if (claimFailure?.reason === 'expired') {
        return invalidToken('The bearer token has expired.', 'EXO_GATEWAY_TOKEN_EXPIRED');
      }
      if (claimFailure !== undefined) return invalidToken(claimFailure.message);

      const granted = scopesOf(token.payload);
      const missing = config.scopes.filter((scope) => !granted.includes(scope));
      if (missing.length > 0) {
        // RFC 6750 §3.1: insufficient_scope is a 403 that names the scopes needed.
        return reject(
          'EXO_GATEWAY_SCOPE_MISSING',
          `The bearer token lacks the scope this operation requires: ${missing.join(' ')}.`,
          {
            'www-authenticate': `Bearer ${realm}, error="insufficient_scope", scope="${config.scopes.join(' ')}"`,
          },
        );
      }
      const { sub, azp, client_id: clientId } = token.payload;
      if (typeof sub === 'string') request.attributes.set('subject', sub);
      // azp (OpenID Connect Core §2) or client_id (RFC 9068 §2.2): the application that asked.
      const application = typeof azp === 'string' ? azp : clientId;
      if (typeof application === 'string') request.attributes.set('application', application);
      request.attributes.set('scopes', granted);
      return undefined;
    },
  };
}

export const jwtPolicyType: PolicyType<typeof jwtSchema> = {
  type: 'jwt',
  schema: jwtSchema,
  create: (config, context) => createJwtPolicy(config, context),
};
