import { defineErrors, isExoError } from '@exosphere/common';
import type { MediationFault } from '../policies/policy.js';

/**
 * Codes of the mediation policies. Each one is documented in docs/errors.md under
 * "gateway/mediation". A policy fails by throwing `MediationErrors.create(code, message)`; the
 * fault phase then builds the answer from `{code, message}` and the status below.
 */
export const MediationErrors = defineErrors({
  EXO_GATEWAY_INVALID_REQUEST_BODY: {
    status: 400,
    description:
      'The request body is not valid JSON or XML for a mediation policy of this route (a conversion, mapping or content-based routing).',
  },
  EXO_GATEWAY_INVALID_UPSTREAM_BODY: {
    status: 502,
    description:
      "The upstream's response body is not valid JSON or XML for a mediation policy of this route.",
  },
  EXO_GATEWAY_UPSTREAM_BODY_TOO_LARGE: {
    status: 502,
    description:
      'A mediation policy needs the upstream response body, and it is larger than `limits.bodyBytesMax` (or the policy limit).',
  },
  EXO_GATEWAY_MAPPING_FAILED: {
    status: 500,
    description:
      'A JSONata body mapping failed while evaluating, or exceeded its time or depth limit.',
  },
  EXO_GATEWAY_ENRICHMENT_FAILED: {
    status: 502,
    description:
      'An enrichment call failed, timed out or returned a non-JSON or non-2xx answer, and the policy says to fail.',
  },
  EXO_GATEWAY_SCATTER_GATHER_FAILED: {
    status: 502,
    description: 'Scatter-gather branches failed or timed out beyond what the policy tolerates.',
  },
  EXO_GATEWAY_NO_MOCK: {
    status: 501,
    description:
      'The mock policy has no operation, status or example for this request in its OpenAPI document.',
  },
});

export type MediationErrorCode = Exclude<keyof typeof MediationErrors, 'create'>;

/** Throws a mediation failure: the fault phase answers with its code and status. */
export function mediationError(code: MediationErrorCode, message: string): Error {
  return MediationErrors.create(code, message);
}

/** An error thrown in a phase, as the fault it causes; undefined for an unexpected error (a bug). */
export function faultOf(error: unknown): MediationFault | undefined {
  if (!isExoError(error)) return undefined;
  return { status: error.status, code: error.code, message: error.message };
}
