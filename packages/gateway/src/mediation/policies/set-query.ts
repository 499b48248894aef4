import { z } from 'zod';
import type { PolicyType } from '../../policies/policy.js';
import { mediationPolicy } from '../phase.js';

export const setQuerySchema = z.strictObject({
  phase: z.literal('request').default('request'),
  /** Name → value; every existing parameter of that name is replaced by this one. */
  parameters: z
    .record(z.string().min(1).max(256), z.string().max(8192))
    .refine((parameters) => Object.keys(parameters).length > 0, 'at least one parameter')
    .refine((parameters) => Object.keys(parameters).length <= 64, 'at most 64 parameters'),
});

export type SetQueryConfig = z.output<typeof setQuerySchema>;

/** Sets query parameters of the request sent upstream. */
export const setQueryPolicyType: PolicyType<typeof setQuerySchema> = {
  type: 'set-query',
  schema: setQuerySchema,
  create(config) {
    const entries = Object.entries(config.parameters);
    return mediationPolicy('set-query', {
      requestBody: false,
      responseBody: false,
      onRequest(context) {
        for (const [name, value] of entries) context.message.query.set(name, value);
        return undefined;
      },
    });
  },
};
