/**
 * Password hashing and scramble verification for the two authentication methods
 * ("Native Authentication" and "Caching_sha2_password information").
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Length of the server nonce ("auth-plugin-data") in bytes. */
export const NONCE_BYTES = 20;

function sha1(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** SHA1(SHA1(password)): what an account stores for mysql_native_password. */
export function hashNativePassword(password: string): Uint8Array {
  return new Uint8Array(sha1(sha1(Buffer.from(password, 'utf8'))));
}

/** SHA256(SHA256(password)): what an account stores for caching_sha2_password fast auth. */
export function hashSha2Password(password: string): Uint8Array {
  return new Uint8Array(sha256(sha256(Buffer.from(password, 'utf8'))));
}

/**
 * A fresh nonce. Bytes are printable ASCII without NUL, because some clients treat the
 * scramble as a NUL-terminated string (MySQL generates it the same way).
 */
export function createNonce(): Uint8Array {
  const random = randomBytes(NONCE_BYTES);
  const nonce = new Uint8Array(NONCE_BYTES);
  for (let index = 0; index < NONCE_BYTES; index += 1) {
    nonce[index] = 0x21 + (random[index]! % 94);
  }
  return nonce;
}

function xor(left: Uint8Array, right: Uint8Array): Buffer {
  const result = Buffer.alloc(left.length);
  for (let index = 0; index < left.length; index += 1) result[index] = left[index]! ^ right[index]!;
  return result;
}

function equal(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * mysql_native_password: the client sends SHA1(pw) XOR SHA1(nonce + SHA1(SHA1(pw))).
 * XOR with SHA1(nonce + stored) recovers SHA1(pw), whose SHA1 must equal the stored hash.
 * An account without password accepts only an empty response.
 */
export function verifyNativeScramble(options: {
  nonce: Uint8Array;
  storedHash: Uint8Array;
  response: Uint8Array;
}): boolean {
  const { nonce, storedHash, response } = options;
  if (storedHash.length === 0) return response.length === 0;
  if (response.length !== 20 || storedHash.length !== 20) return false;
  const candidate = xor(response, sha1(nonce, storedHash));
  return equal(sha1(candidate), storedHash);
}

/**
 * caching_sha2_password full authentication over TLS: the client sent its password in clear
 * (NUL-terminated), and SHA256(SHA256(password)) must equal the stored hash.
 */
export function verifyClearSha2Password(options: {
  storedHash: Uint8Array;
  password: Uint8Array;
}): boolean {
  const { storedHash } = options;
  const end = options.password.indexOf(0);
  const password = end < 0 ? options.password : options.password.subarray(0, end);
  if (storedHash.length === 0) return password.length === 0;
  if (storedHash.length !== 32) return false;
  return equal(sha256(sha256(password)), storedHash);
}

/**
 * caching_sha2_password fast authentication: the client sends
 * SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce).
 */
export function verifySha2Scramble(options: {
  nonce: Uint8Array;
  storedHash: Uint8Array;
  response: Uint8Array;
}): boolean {
  const { nonce, storedHash, response } = options;
  if (storedHash.length === 0)
    return response.length === 0 || (response.length === 1 && response[0] === 0);
  if (response.length !== 32 || storedHash.length !== 32) return false;
  const candidate = xor(response, sha256(storedHash, nonce));
  return equal(sha256(candidate), storedHash);
}
