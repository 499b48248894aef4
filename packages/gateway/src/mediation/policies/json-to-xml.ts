import { z } from 'zod';
import type { PolicyType } from '../../policies/policy.js';
import { bodyPhases } from '../body-phase.js';
import { invalidBody, parseJsonBody, setBody } from '../json-body.js';
import { mediationPolicy, phaseSchema } from '../phase.js';
import { jsonToXml } from '../xml-convert.js';

const xmlName = z.string().regex(/^[A-Za-z_][A-Za-z0-9._-]{0,127}$/, 'an XML element name');

export const jsonToXmlSchema = z.strictObject({
  phase: phaseSchema(['request', 'response', 'fault']),
  /** The root element when the JSON is not an object with exactly one (element) key. */
  rootElement: xmlName.default('root'),
  /** The element for members of arrays that have no key of their own. */
  itemElement: xmlName.default('item'),
  /** Start with `<?xml version="1.0" encoding="UTF-8"?>`. */
  declaration: z.boolean().default(true),
  contentType: z.string().min(1).max(256).default('application/xml; charset=utf-8'),
});

export type JsonToXmlConfig = z.output<typeof jsonToXmlSchema>;

/**
 * Converts a JSON body to XML (conventions in mediation/README.md). An invalid JSON body is a
 * 400 for a request and a 502 for a response; an empty body stays empty.
 */
export const jsonToXmlPolicyType: PolicyType<typeof jsonToXmlSchema> = {
  type: 'json-to-xml',
  schema: jsonToXmlSchema,
  create(config) {
    return mediationPolicy(
      'json-to-xml',
      bodyPhases(config.phase, ({ message, side }) => {
        const value = parseJsonBody(message.body, side, 'json-to-xml');
        if (value === undefined) return;
        const result = jsonToXml(value, config);
        if (!result.ok)
          throw invalidBody(side, `json-to-xml: the ${side} body cannot be XML: ${result.error}`);
        setBody(message, Buffer.from(result.text), config.contentType);
      }),
    );
  },
};
