import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { decodeBase64url, encodeBase64url } from './base64url.js';

/**
 * Secrets (API keys, passwords, client secrets) are stored only as hashes, in a PHC-like text
 * form with everything needed to verify them:
 *
 * - `scrypt$ln=14,r=8,p=1$<salt>$<hash>` for secrets people choose (passwords): scrypt is
 *   memory-hard, so a stolen configuration does not give cheap guesses (RFC 7914).
 * - `sha256$<salt>$<hash>` (HMAC-SHA-256 keyed by a per-secret salt) for generated secrets of
 *   256 bits, such as API keys: guessing them is hopeless whatever the hash, and they are
 *   checked on every request, so the check must cost microseconds, not milliseconds.
 *
 * Salts and hashes are base64url without padding.
 */
export type SecretHashAlgorithm = 'scrypt' | 'sha256';

export type ParsedSecretHash =
  | { readonly algorithm: 'sha256'; readonly salt: Buffer; readonly hash: Buffer }
  | {
      readonly algorithm: 'scrypt';
      readonly costLog2: number;
      readonly blockSize: number;
      readonly parallelism: number;
      readonly salt: Buffer;
      readonly hash: Buffer;
    };

/** scrypt parameters are bounded so a configuration cannot make each check take seconds. */
const scryptCostLog2Range = { minimum: 10, maximum: 17 } as const;
const scryptBlockSizeMax = 16;
const scryptParallelismMax = 4;
const defaultScryptCostLog2 = 14;
const saltBytes = 16;
const hashBytes = 32;

export interface HashSecretOptions {
  /** Defaults to scrypt. */
  readonly algorithm?: SecretHashAlgorithm;
  /** log2 of scrypt's N (default 14: ~16 MiB, tens of milliseconds). */
  readonly scryptCostLog2?: number;
}

export async function hashSecret(secret: string, options: HashSecretOptions = {}): Promise<string> {
  const salt = randomBytes(saltBytes);
  if (options.algorithm === 'sha256') return formatSha256(salt, hmacSha256(salt, secret));
  const costLog2 = options.scryptCostLog2 ?? defaultScryptCostLog2;
  const parsed = {
    algorithm: 'scrypt',
    costLog2,
    blockSize: 8,
    parallelism: 1,
    salt,
    hash: Buffer.alloc(0),
  } as const;
  const hash = await scryptHash(secret, parsed);
  return `scrypt$ln=${costLog2},r=8,p=1$${encodeBase64url(salt)}$${encodeBase64url(hash)}`;
}

/** The fast form for generated high-entropy secrets; synchronous because it costs microseconds. */
export function hashSecretSha256(secret: string): string {
  const salt = randomBytes(saltBytes);
  return formatSha256(salt, hmacSha256(salt, secret));
}

export function parseSecretHash(text: string): ParsedSecretHash | undefined {
  const parts = text.split('$');
  if (parts[0] === 'sha256' && parts.length === 3) {
    const salt = decodeBase64url(parts[1] ?? '');
    const hash = decodeBase64url(parts[2] ?? '');
    if (salt === undefined || hash === undefined || salt.length < 8 || hash.length !== hashBytes)
      return undefined;
    return { algorithm: 'sha256', salt, hash };
  }
  if (parts[0] === 'scrypt' && parts.length === 4) {
    const parameters = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d)$/.exec(parts[1] ?? '');
    const salt = decodeBase64url(parts[2] ?? '');
    const hash = decodeBase64url(parts[3] ?? '');
    if (parameters === null || salt === undefined || hash === undefined) return undefined;
    const costLog2 = Number(parameters[1]);
    const blockSize = Number(parameters[2]);
    const parallelism = Number(parameters[3]);
    const valid =
      costLog2 >= scryptCostLog2Range.minimum &&
      costLog2 <= scryptCostLog2Range.maximum &&
      blockSize >= 1 &&
      blockSize <= scryptBlockSizeMax &&
      parallelism >= 1 &&
      parallelism <= scryptParallelismMax &&
      salt.length >= 8 &&
      hash.length >= 16 &&
      hash.length <= 64;
    if (!valid) return undefined;
    return { algorithm: 'scrypt', costLog2, blockSize, parallelism, salt, hash };
  }
  return undefined;
}

/** A message for configuration errors that explains the expected form. */
export const secretHashFormatMessage =
  'expected a hash made by `exo` tooling: "scrypt$ln=14,r=8,p=1$<salt>$<hash>" or "sha256$<salt>$<hash>" (base64url); never the secret itself';

/** Compares in constant time: the time taken says nothing about how much of the secret matched. */
export async function verifySecret(secret: string, stored: ParsedSecretHash): Promise<boolean> {
  const computed =
    stored.algorithm === 'sha256'
      ? hmacSha256(stored.salt, secret)
      : await scryptHash(secret, stored);
  return computed.length === stored.hash.length && timingSafeEqual(computed, stored.hash);
}

/** The synchronous check of a sha256 hash (API keys, on the request path). */
export function verifySecretSha256(secret: string, stored: ParsedSecretHash): boolean {
  if (stored.algorithm !== 'sha256') return false;
  const computed = hmacSha256(stored.salt, secret);
  return timingSafeEqual(computed, stored.hash);
}

function hmacSha256(salt: Buffer, secret: string): Buffer {
  return createHmac('sha256', salt).update(secret, 'utf8').digest();
}

function formatSha256(salt: Buffer, hash: Buffer): string {
  return `sha256$${encodeBase64url(salt)}$${encodeBase64url(hash)}`;
}

function scryptHash(
  secret: string,
  stored: Extract<ParsedSecretHash, { algorithm: 'scrypt' }>,
): Promise<Buffer> {
  const cost = 2 ** stored.costLog2;
  const length = stored.hash.length === 0 ? hashBytes : stored.hash.length;
  // scrypt needs 128·N·r·p bytes; allow exactly that much (plus slack) rather than the default cap.
  const maxmem = 128 * cost * stored.blockSize * stored.parallelism + 1024 * 1024;
  return new Promise((resolve, reject) => {
    // The asynchronous form runs on libuv's thread pool, so a check never blocks the event loop.
    scrypt(
      secret,
      stored.salt,
      length,
      { N: cost, r: stored.blockSize, p: stored.parallelism, maxmem },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}
