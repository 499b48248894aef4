import { z } from 'zod';
import type { PolicyType } from '../../policies/policy.js';
import { bodyPhases } from '../body-phase.js';
import { invalidBody, setJsonBody } from '../json-body.js';
import { mediationPolicy, phaseSchema } from '../phase.js';
import { xmlToJson } from '../xml-convert.js';

export const xmlToJsonSchema = z.strictObject({
  phase: phaseSchema(['request', 'response', 'fault']),
  /** Numeric and boolean text becomes JSON numbers and booleans. */
  inferTypes: z.boolean().default(true),
  /** Element names, or dotted paths like `order.item`, that are always arrays. */
  arrays: z.array(z.string().min(1).max(512)).max(256).default([]),
  removeNamespacePrefix: z.boolean().default(false),
});

export type XmlToJsonConfig = z.output<typeof xmlToJsonSchema>;

/**
 * Converts an XML body to JSON (conventions in mediation/README.md). Invalid XML, or a
 * DOCTYPE, is a 400 for a request and a 502 for a response; an empty body stays empty.
 */
export const xmlToJsonPolicyType: PolicyType<typeof xmlToJsonSchema> = {
  type: 'xml-to-json',
  schema: xmlToJsonSchema,
  create(config) {
    return mediationPolicy(
      'xml-to-json',
      bodyPhases(config.phase, ({ message, side }) => {
        if (message.body === undefined || message.body.length === 0) return;
        const result = xmlToJson(message.body.toString('utf8'), config);
        if (!result.ok)
          throw invalidBody(
            side,
            `xml-to-json: the ${side} body is not valid XML: ${result.error}`,
          );
        setJsonBody(message, result.value);
      }),
    );
  },
};
