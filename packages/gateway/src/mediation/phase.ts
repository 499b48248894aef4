import { z } from 'zod';
import type { MediationPhases, RequestPolicy } from '../policies/policy.js';

export type PhaseName = 'request' | 'response' | 'fault';

/** The `phase` field of a policy that may run in the given phases (the first is the default). */
export function phaseSchema<const P extends readonly [PhaseName, ...PhaseName[]]>(
  phases: P,
): z.ZodDefault<z.ZodEnum<{ [K in P[number]]: K }>> {
  return z.enum(phases).default(phases[0] as never);
}

/** A header field name (RFC 9110 §5.1 token). */
export const headerNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}$/, 'a header name (an RFC 9110 token)');

/** A header value without control characters other than tab (RFC 9110 §5.5). */
export const headerValueSchema = z
  .string()
  .max(8192)
  .refine(
    (value) =>
      ![...value].some((character) => {
        const code = character.charCodeAt(0);
        return (code < 0x20 && code !== 0x09) || code === 0x7f;
      }),
    'a header value without line breaks or control characters',
  );

/** A policy that only mediates: it admits every request and acts in its phases. */
export function mediationPolicy(name: string, phases: MediationPhases): RequestPolicy {
  return { name, onRequest: () => undefined, mediation: phases };
}
