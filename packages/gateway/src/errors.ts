import { defineErrors } from '@exosphere/common';

/**
 * The gateway's error registry. Clients receive `{code, message}` JSON with one of these codes;
 * every code has a row in docs/errors.md under "## gateway".
 */
export const GatewayErrors = defineErrors({
  EXO_GATEWAY_NO_ROUTE: {
    status: 404,
    description: 'No route matches the request host, path, method and headers.',
  },
  EXO_GATEWAY_BAD_REQUEST: {
    status: 400,
    description: 'The request is malformed (bad request line, headers or path).',
  },
  EXO_GATEWAY_HTTP_VERSION: {
    status: 505,
    description:
      'The request is in an HTTP version the gateway does not serve (a major version other than 1).',
  },
  EXO_GATEWAY_UPSTREAM_UNAVAILABLE: {
    status: 503,
    description: 'The upstream has no healthy target to send the request to.',
  },
  EXO_GATEWAY_UPSTREAM_TIMEOUT: {
    status: 504,
    description: 'The upstream did not connect or answer within its timeout.',
  },
  EXO_GATEWAY_BAD_GATEWAY: {
    status: 502,
    description: 'The upstream refused the connection, reset it or sent an invalid response.',
  },
  EXO_GATEWAY_BODY_TOO_LARGE: {
    status: 413,
    description: 'The request body is larger than `limits.bodyBytesMax`.',
  },
  EXO_GATEWAY_CIRCUIT_OPEN: {
    status: 503,
    description: "The upstream's circuit breaker is open after too many failures; retry later.",
  },
  EXO_GATEWAY_UNAUTHORIZED: {
    status: 401,
    description: 'The request carries no valid credentials for this route.',
  },
  EXO_GATEWAY_FORBIDDEN: {
    status: 403,
    description: 'The credentials are valid but not allowed to call this route.',
  },
  EXO_GATEWAY_RATE_LIMITED: {
    status: 429,
    description:
      'The caller exceeded a rate limit of this route (its tier); `Retry-After` says when to try again, and the RateLimit-* headers give the limit and what is left.',
  },
  EXO_GATEWAY_CONFIG_INVALID: {
    status: 422,
    description:
      'The gateway configuration is invalid; `details` gives the path of every error and nothing changed.',
  },
  EXO_GATEWAY_INTERNAL: {
    status: 500,
    description: 'An unexpected gateway error; it was logged and the gateway keeps serving.',
  },
});

export type GatewayErrorCode = Exclude<keyof typeof GatewayErrors, 'create'>;
