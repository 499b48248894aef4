import { z } from 'zod';
import type { PolicyType } from '../../policies/policy.js';
import { invalidBody, parseJsonBody } from '../json-body.js';
import { parseJsonPath, scalarText, valueAt } from '../json-path.js';
import { mediationPolicy } from '../phase.js';
import { xmlToJson } from '../xml-convert.js';
import { evaluateXPath, parseXPath } from '../xpath.js';

const upstreamName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'an upstream name');

export const contentRouteSchema = z
  .strictObject({
    phase: z.literal('request').default('request'),
    /** `$.order.type` on a JSON body, or an XPath such as `/order/type`, `//type`, `/order/@id`. */
    path: z.string().min(1).max(1024),
    /** The selected value (as text) → the upstream that gets the request. */
    cases: z
      .record(z.string().max(1024), upstreamName)
      .refine((cases) => Object.keys(cases).length > 0, 'at least one case')
      .refine((cases) => Object.keys(cases).length <= 1024, 'at most 1024 cases'),
    /** When no case matches (or the value is missing); the route's own upstream otherwise. */
    default: upstreamName.optional(),
  })
  .transform((config, context) => {
    if (config.path.startsWith('$')) {
      const parsed = parseJsonPath(config.path);
      if (parsed.ok) return { ...config, select: jsonSelector(parsed.path) };
      context.addIssue({ code: 'custom', path: ['path'], message: parsed.error });
      return z.NEVER;
    }
    const parsed = parseXPath(config.path);
    if (parsed.ok) return { ...config, select: xmlSelector(parsed.path) };
    context.addIssue({
      code: 'custom',
      path: ['path'],
      message: `${parsed.error} (a JSON path starts with "$", an XPath with "/")`,
    });
    return z.NEVER;
  });

export type ContentRouteConfig = z.output<typeof contentRouteSchema>;

type Selector = (body: Buffer | undefined) => string | undefined;

function jsonSelector(path: readonly (string | number)[]): Selector {
  return (body) => {
    return scalarText(valueAt(parseJsonBody(body, 'request', 'content-route'), path));
  };
}

function xmlSelector(path: Parameters<typeof evaluateXPath>[1]): Selector {
  return (body) => {
    if (body === undefined || body.length === 0) return undefined;
    // Values are compared as text, exactly as written in the document.
    const parsed = xmlToJson(body.toString('utf8'), {
      inferTypes: false,
      arrays: [],
      removeNamespacePrefix: false,
    });
    if (!parsed.ok)
      throw invalidBody(
        'request',
        `content-route: the request body is not valid XML: ${parsed.error}`,
      );
    return evaluateXPath(parsed.value, path);
  };
}

/**
 * Content-based routing: picks the upstream from a value in the request body. The body is
 * buffered (within the gateway's limit); an invalid body is a 400.
 */
export const contentRoutePolicyType: PolicyType<typeof contentRouteSchema> = {
  type: 'content-route',
  schema: contentRouteSchema,
  create(config) {
    const cases = new Map(Object.entries(config.cases));
    return mediationPolicy('content-route', {
      requestBody: true,
      responseBody: false,
      onRequest(context) {
        const value = config.select(context.message.body);
        const upstream = (value === undefined ? undefined : cases.get(value)) ?? config.default;
        if (upstream !== undefined) context.message.upstream = upstream;
        return undefined;
      },
    });
  },
  upstreamReferences(config) {
    const references = Object.entries(config.cases).map(([value, upstream]) => ({
      path: ['cases', value],
      upstream,
    }));
    if (config.default !== undefined)
      references.push({ path: ['default'], upstream: config.default });
    return references;
  },
};
