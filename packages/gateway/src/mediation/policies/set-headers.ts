import { z } from 'zod';
import type { PolicyType } from '../../policies/policy.js';
import { headerPhases, managedHeaders } from '../header-phase.js';
import { headerNameSchema, headerValueSchema, mediationPolicy, phaseSchema } from '../phase.js';

export const setHeadersSchema = z.strictObject({
  phase: phaseSchema(['request', 'response', 'fault']),
  /** Name → value; an existing field of that name is replaced. */
  headers: z
    .record(
      headerNameSchema.refine(
        (name) => !managedHeaders.has(name.toLowerCase()),
        'the gateway manages this header (framing or connection)',
      ),
      headerValueSchema,
    )
    .refine((headers) => Object.keys(headers).length > 0, 'at least one header')
    .refine((headers) => Object.keys(headers).length <= 64, 'at most 64 headers'),
});

export type SetHeadersConfig = z.output<typeof setHeadersSchema>;

/** Sets headers of the request sent upstream, or of the response (or error) sent back. */
export const setHeadersPolicyType: PolicyType<typeof setHeadersSchema> = {
  type: 'set-headers',
  schema: setHeadersSchema,
  create(config) {
    const entries = Object.entries(config.headers).map(
      ([name, value]) => [name.toLowerCase(), value] as const,
    );
    return mediationPolicy(
      'set-headers',
      headerPhases(config.phase, (headers) => {
        for (const [name, value] of entries) headers[name] = value;
      }),
    );
  },
};
