import type { MediatedRequest, MediatedResponse, MediationPhases } from '../policies/policy.js';
import type { BodySide } from './json-body.js';
import type { PhaseName } from './phase.js';

/** What a body policy works on: the message, which side it is (for errors), and the context. */
export interface BodyTarget {
  readonly message: MediatedRequest | MediatedResponse;
  readonly side: BodySide;
  readonly phase: PhaseName;
}

/**
 * The phases of a policy that rewrites a body: the request's (buffered before the request
 * phase), or the response's or error's (buffered before the response phase).
 */
export function bodyPhases(
  phase: PhaseName,
  apply: (
    target: BodyTarget,
    context: Parameters<NonNullable<MediationPhases['onRequest']>>[0],
  ) => Promise<void> | void,
): MediationPhases {
  if (phase === 'request')
    return {
      requestBody: true,
      responseBody: false,
      async onRequest(context) {
        await apply({ message: context.message, side: 'request', phase }, context);
        return undefined;
      },
    };
  if (phase === 'response')
    return {
      requestBody: false,
      responseBody: true,
      async onResponse(context) {
        await apply({ message: context.response, side: 'response', phase }, context);
      },
    };
  return {
    requestBody: false,
    responseBody: true,
    async onFault(context) {
      await apply({ message: context.response, side: 'response', phase }, context);
    },
  };
}
