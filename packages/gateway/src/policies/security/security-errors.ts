import { defineErrors } from '@exosphere/common';

/**
 * Codes of the security policies beyond the gateway's generic EXO_GATEWAY_UNAUTHORIZED (401)
 * and EXO_GATEWAY_FORBIDDEN (403), which packages/gateway/src/errors.ts registers. Each one is
 * documented in docs/errors.md under "gateway/security".
 */
export const SecurityErrors = defineErrors({
  EXO_GATEWAY_TOKEN_EXPIRED: {
    status: 401,
    description: 'The bearer token has expired; get a new one from the token endpoint.',
  },
  EXO_GATEWAY_SCOPE_MISSING: {
    status: 403,
    description: 'The token is valid but lacks a scope this operation requires.',
  },
  EXO_GATEWAY_IP_DENIED: {
    status: 403,
    description: 'The client address is not allowed to call this route.',
  },
  EXO_GATEWAY_KEYS_UNAVAILABLE: {
    status: 503,
    description: "The issuer's key set (JWKS) could not be fetched, so tokens cannot be verified.",
  },
});
