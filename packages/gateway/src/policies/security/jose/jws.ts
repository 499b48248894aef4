import type { KeyObject } from 'node:crypto';
import { decodeBase64url, encodeBase64url } from '../base64url.js';
import { createSignature, isJwsAlgorithm, type JwsAlgorithm } from './algorithms.js';

/** A token larger than this is refused before any parsing: a bound on work per request. */
export const compactTokenLengthMax = 16 * 1024;

export interface ParsedJws {
  readonly algorithm: JwsAlgorithm;
  readonly kid: string | undefined;
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** BASE64URL(header) '.' BASE64URL(payload): the bytes the signature covers (RFC 7515 §5.1). */
  readonly signingInput: string;
  readonly signature: Buffer;
}

export type ParseFailure = 'malformed' | 'unsupported-algorithm' | 'critical-header';

/**
 * Parses a JWS in compact serialization (RFC 7515 §7.1) whose payload is a JWT claims set
 * (RFC 7519 §7.2). Nothing here is trusted yet: the signature is checked by the caller.
 */
export function parseCompactJws(token: string): ParsedJws | { failure: ParseFailure } {
  if (token.length > compactTokenLengthMax) return { failure: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3) return { failure: 'malformed' };
  const [encodedHeader = '', encodedPayload = '', encodedSignature = ''] = parts;
  const header = decodeJsonObject(encodedHeader);
  const payload = decodeJsonObject(encodedPayload);
  const signature = decodeBase64url(encodedSignature);
  if (header === undefined || payload === undefined || signature === undefined) {
    return { failure: 'malformed' };
  }
  // `none` and anything unknown end here (RFC 8725 §3.1: never let the token pick `none`).
  if (!isJwsAlgorithm(header.alg)) return { failure: 'unsupported-algorithm' };
  // RFC 7515 §4.1.11: a recipient that does not understand a critical extension must reject
  // the token. This implementation understands none (not even b64, RFC 7797).
  if (header.crit !== undefined) return { failure: 'critical-header' };
  if (header.kid !== undefined && typeof header.kid !== 'string') return { failure: 'malformed' };
  return {
    algorithm: header.alg,
    kid: header.kid,
    header,
    payload,
    signingInput: `${encodedHeader}.${encodedPayload}`,
    signature,
  };
}

/** Makes a compact JWS (RFC 7515 §7.1) of a JSON payload. */
export function signCompactJws(options: {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  algorithm: JwsAlgorithm;
  key: KeyObject | Buffer;
}): string {
  const header = encodeBase64url(JSON.stringify({ ...options.header, alg: options.algorithm }));
  const payload = encodeBase64url(JSON.stringify(options.payload));
  const signingInput = `${header}.${payload}`;
  const signature = createSignature({
    algorithm: options.algorithm,
    key: options.key,
    signingInput,
  });
  return `${signingInput}.${encodeBase64url(signature)}`;
}

function decodeJsonObject(encoded: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64url(encoded);
  if (bytes === undefined || bytes.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return value as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
