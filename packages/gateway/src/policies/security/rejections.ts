import type { PolicyRejection } from '../policy.js';
import { SecurityErrors } from './security-errors.js';

/** The gateway's generic codes, registered by the core in packages/gateway/src/errors.ts. */
export const unauthorizedCode = 'EXO_GATEWAY_UNAUTHORIZED';
export const forbiddenCode = 'EXO_GATEWAY_FORBIDDEN';

export type RejectionCode =
  | typeof unauthorizedCode
  | typeof forbiddenCode
  | 'EXO_GATEWAY_TOKEN_EXPIRED'
  | 'EXO_GATEWAY_SCOPE_MISSING'
  | 'EXO_GATEWAY_IP_DENIED'
  | 'EXO_GATEWAY_KEYS_UNAVAILABLE';

const statusByCode: Record<RejectionCode, number> = {
  [unauthorizedCode]: 401,
  [forbiddenCode]: 403,
  EXO_GATEWAY_TOKEN_EXPIRED: SecurityErrors.EXO_GATEWAY_TOKEN_EXPIRED.status,
  EXO_GATEWAY_SCOPE_MISSING: SecurityErrors.EXO_GATEWAY_SCOPE_MISSING.status,
  EXO_GATEWAY_IP_DENIED: SecurityErrors.EXO_GATEWAY_IP_DENIED.status,
  EXO_GATEWAY_KEYS_UNAVAILABLE: SecurityErrors.EXO_GATEWAY_KEYS_UNAVAILABLE.status,
};

/**
 * Builds a rejection whose status always matches its code. Messages say what the client can do
 * about it and never name internal detail (which keys exist, why a signature failed).
 */
export function reject(
  code: RejectionCode,
  message: string,
  headers?: Readonly<Record<string, string>>,
): PolicyRejection {
  return headers === undefined
    ? { status: statusByCode[code], code, message }
    : { status: statusByCode[code], code, message, headers };
}
