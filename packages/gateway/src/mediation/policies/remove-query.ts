import { z } from 'zod';
import type { PolicyType } from '../../policies/policy.js';
import { mediationPolicy } from '../phase.js';

export const removeQuerySchema = z.strictObject({
  phase: z.literal('request').default('request'),
  parameters: z.array(z.string().min(1).max(256)).min(1).max(64),
});

export type RemoveQueryConfig = z.output<typeof removeQuerySchema>;

/** Removes query parameters from the request sent upstream. */
export const removeQueryPolicyType: PolicyType<typeof removeQuerySchema> = {
  type: 'remove-query',
  schema: removeQuerySchema,
  create(config) {
    return mediationPolicy('remove-query', {
      requestBody: false,
      responseBody: false,
      onRequest(context) {
        for (const name of config.parameters) context.message.query.delete(name);
        return undefined;
      },
    });
  },
};
