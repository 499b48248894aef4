import type { MediationPhases } from '../policies/policy.js';
import type { PhaseName } from './phase.js';

/**
 * The phases of a policy that only edits header fields: the request sent upstream, or the
 * response (or error) sent back. Bodies stay streamed.
 */
export function headerPhases(
  phase: PhaseName,
  apply: (headers: Record<string, string | string[]>) => void,
): MediationPhases {
  if (phase === 'request')
    return {
      requestBody: false,
      responseBody: false,
      onRequest(context) {
        apply(context.message.headers);
        return undefined;
      },
    };
  if (phase === 'response')
    return {
      requestBody: false,
      responseBody: false,
      onResponse(context) {
        apply(context.response.headers);
      },
    };
  return {
    requestBody: false,
    responseBody: false,
    onFault(context) {
      apply(context.response.headers);
    },
  };
}

/** Header names a policy may not set or remove: they describe the connection or the framing. */
export const managedHeaders: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'upgrade',
  'te',
  'trailer',
  'host',
]);
