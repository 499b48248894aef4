import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { decodeBase64url } from '../base64url.js';
import { isJwsAlgorithm, type JwsAlgorithm, type VerificationKey } from './algorithms.js';

/** The public members of each key type (RFC 7518 §6.2.1, §6.3.1); private members are dropped. */
const publicMembers: Record<string, readonly string[]> = {
  RSA: ['kty', 'n', 'e'],
  EC: ['kty', 'crv', 'x', 'y'],
};

export interface ImportJwkOptions {
  /**
   * Whether a symmetric (`kty: "oct"`) key is acceptable. Configuration may hold one; a key
   * set fetched over the network may not: a shared secret published in a JWKS is no secret.
   */
  readonly allowSecret: boolean;
}

/**
 * Turns a JWK (RFC 7517 §4) into a verification key, or explains why it cannot be used.
 * Keys marked for encryption (`use: "enc"`, §4.2) are refused for signatures.
 */
export function importJwk(
  jwk: unknown,
  options: ImportJwkOptions,
): { key: VerificationKey } | { error: string } {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    return { error: 'a JWK must be an object' };
  }
  const record = jwk as Record<string, unknown>;
  const kid = typeof record.kid === 'string' ? record.kid : undefined;
  if (record.kid !== undefined && kid === undefined) return { error: 'kid must be a string' };
  if (record.use !== undefined && record.use !== 'sig') return { error: 'use must be "sig"' };
  let algorithm: JwsAlgorithm | undefined;
  if (record.alg !== undefined) {
    if (!isJwsAlgorithm(record.alg))
      return { error: `unsupported alg ${JSON.stringify(record.alg)}` };
    algorithm = record.alg;
  }
  if (record.kty === 'oct') {
    if (!options.allowSecret) return { error: 'symmetric keys are not accepted here' };
    const secret = typeof record.k === 'string' ? decodeBase64url(record.k) : undefined;
    if (secret === undefined || secret.length === 0) return { error: 'k must be base64url' };
    return { key: { kind: 'secret', kid, algorithm, secret } };
  }
  const members = typeof record.kty === 'string' ? publicMembers[record.kty] : undefined;
  if (members === undefined) return { error: `unsupported kty ${String(record.kty)}` };
  const publicJwk: Record<string, unknown> = {};
  for (const member of members) publicJwk[member] = record[member];
  try {
    const key = createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' });
    return { key: { kind: 'public', kid, algorithm, key } };
  } catch {
    return { error: 'the key material is not valid' };
  }
}

/** A public key from PEM (SPKI, PKCS#1, or an X.509 certificate). */
export function importPem(
  pem: string,
  options: { kid: string | undefined; algorithm: JwsAlgorithm | undefined },
): { key: VerificationKey } | { error: string } {
  try {
    const key = createPublicKey(pem);
    return { key: { kind: 'public', kid: options.kid, algorithm: options.algorithm, key } };
  } catch {
    return { error: 'not a PEM public key or certificate' };
  }
}

/** The public half of a key as a JWK to publish (RFC 7517 §4), with its kid and alg. */
export function publicJwk(
  key: KeyObject,
  options: { kid: string; algorithm: JwsAlgorithm },
): JsonWebKey {
  const exported = createPublicKey(key).export({ format: 'jwk' });
  const members = publicMembers[exported.kty ?? ''] ?? [];
  const result: JsonWebKey = { kid: options.kid, alg: options.algorithm, use: 'sig' };
  for (const member of members) result[member] = exported[member];
  return result;
}

/**
 * The RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order with no
 * whitespace. It makes a stable `kid` that anyone can recompute from the key itself.
 */
export function jwkThumbprint(key: KeyObject): string {
  const exported = createPublicKey(key).export({ format: 'jwk' });
  const members = [...(publicMembers[exported.kty ?? ''] ?? [])].sort();
  const canonical = `{${members.map((member) => `${JSON.stringify(member)}:${JSON.stringify(exported[member])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}
