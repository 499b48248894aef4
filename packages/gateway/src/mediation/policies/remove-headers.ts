import { z } from 'zod';
import type { PolicyType } from '../../policies/policy.js';
import { headerPhases, managedHeaders } from '../header-phase.js';
import { headerNameSchema, mediationPolicy, phaseSchema } from '../phase.js';

export const removeHeadersSchema = z.strictObject({
  phase: phaseSchema(['request', 'response', 'fault']),
  headers: z
    .array(
      headerNameSchema.refine(
        (name) => !managedHeaders.has(name.toLowerCase()),
        'the gateway manages this header (framing or connection)',
      ),
    )
    .min(1)
    .max(64),
});

export type RemoveHeadersConfig = z.output<typeof removeHeadersSchema>;

/** Removes headers from the request sent upstream, or from the response (or error) sent back. */
export const removeHeadersPolicyType: PolicyType<typeof removeHeadersSchema> = {
  type: 'remove-headers',
  schema: removeHeadersSchema,
  create(config) {
    const names = config.headers.map((name) => name.toLowerCase());
    return mediationPolicy(
      'remove-headers',
      headerPhases(config.phase, (headers) => {
        for (const name of names) delete headers[name];
      }),
    );
  },
};
