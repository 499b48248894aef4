import { z } from 'zod';
import type { PolicyType, ServiceAnswer } from '../../policies/policy.js';
import { bodyPhases } from '../body-phase.js';
import { headerValue, parseJsonBody, setJsonBody } from '../json-body.js';
import { mergeAt, parseJsonPath } from '../json-path.js';
import { mediationError } from '../mediation-errors.js';
import { headerNameSchema, mediationPolicy, phaseSchema } from '../phase.js';
import { parseTemplate, renderTemplate, type Template } from '../template.js';

const upstreamName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'an upstream name');

function template(context: z.RefinementCtx, path: (string | number)[], text: string): Template {
  const parsed = parseTemplate(text);
  if (parsed.ok) return parsed.template;
  context.addIssue({ code: 'custom', path, message: parsed.error });
  return { parts: [] };
}

export const enrichSchema = z
  .strictObject({
    phase: phaseSchema(['request', 'response']),
    /** A configured upstream to call, or else `url`. */
    upstream: upstreamName.optional(),
    /** An absolute URL (may hold `{{...}}` placeholders). */
    url: z
      .string()
      .regex(/^https?:\/\/\S+$/, 'an http(s) URL')
      .max(4096)
      .optional(),
    method: z.enum(['GET', 'POST']).default('GET'),
    /** Path and query for `upstream`, with placeholders: `/customers/{{$.order.customerId}}`. */
    path: z.string().startsWith('/').max(4096).default('/'),
    headers: z.record(headerNameSchema, z.string().max(8192)).default({}),
    /** For POST: a JSON template, e.g. `{"id": {{$.order.id}}}`. */
    body: z.string().max(65_536).optional(),
    /** Where the JSON answer is merged into the body: `$` (the root) or `$.customer`. */
    target: z.string().max(1024).default('$'),
    timeoutMs: z.int().min(1).max(60_000).default(2000),
    responseBytesMax: z
      .int()
      .min(1)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    /** `fail`: EXO_GATEWAY_ENRICHMENT_FAILED; `continue`: the message goes on unchanged. */
    onFailure: z.enum(['fail', 'continue']).default('fail'),
  })
  .transform((config, context) => {
    if ((config.upstream === undefined) === (config.url === undefined))
      context.addIssue({
        code: 'custom',
        path: ['upstream'],
        message: 'give exactly one of upstream and url',
      });
    if (config.body !== undefined && config.method === 'GET')
      context.addIssue({ code: 'custom', path: ['body'], message: 'a body needs method POST' });
    const target = parseJsonPath(config.target);
    if (!target.ok) context.addIssue({ code: 'custom', path: ['target'], message: target.error });
    const location = template(
      context,
      [config.url === undefined ? 'path' : 'url'],
      config.url ?? config.path,
    );
    const body = config.body === undefined ? undefined : template(context, ['body'], config.body);
    const headers = Object.entries(config.headers).map(
      ([name, value]) => [name.toLowerCase(), template(context, ['headers', name], value)] as const,
    );
    return {
      ...config,
      targetPath: target.ok ? target.path : [],
      location,
      bodyTemplate: body,
      headerTemplates: headers,
    };
  });

export type EnrichConfig = z.output<typeof enrichSchema>;

/**
 * Enrichment: calls another service and merges its JSON answer into the request (or response)
 * body at `target`. The call is bounded by `timeoutMs` and `responseBytesMax`; a failure,
 * a non-2xx or a non-JSON answer fails the exchange or is ignored, as `onFailure` says.
 */
export const enrichPolicyType: PolicyType<typeof enrichSchema> = {
  type: 'enrich',
  schema: enrichSchema,
  create(config) {
    return mediationPolicy(
      'enrich',
      bodyPhases(config.phase, async ({ message, side }, context) => {
        const body = parseJsonBody(message.body, side, 'enrich');
        const values = { body, query: context.message.query, headers: context.request.headers };
        const headers: Record<string, string> = { accept: 'application/json' };
        for (const [name, value] of config.headerTemplates)
          headers[name] = renderTemplate(value, values, 'uri');
        let payload: Buffer | undefined;
        if (config.bodyTemplate) {
          payload = Buffer.from(renderTemplate(config.bodyTemplate, values, 'json'));
          headers['content-type'] = 'application/json';
        }
        const location = renderTemplate(config.location, values, 'uri');
        let result: unknown;
        try {
          const answer = await context.call({
            upstream: config.upstream,
            url: config.url === undefined ? undefined : location,
            method: config.method,
            path: location,
            headers,
            body: payload,
            timeoutMs: config.timeoutMs,
            responseBytesMax: config.responseBytesMax,
          });
          result = jsonAnswer(answer, config.upstream ?? 'the enrichment URL');
        } catch (error) {
          if (config.onFailure === 'continue') return;
          throw mediationError(
            'EXO_GATEWAY_ENRICHMENT_FAILED',
            `enrich: ${(error as Error).message}`,
          );
        }
        let merged: unknown;
        try {
          merged = mergeAt(body, config.targetPath, result);
        } catch (error) {
          if (config.onFailure === 'continue') return;
          throw mediationError(
            'EXO_GATEWAY_ENRICHMENT_FAILED',
            `enrich: cannot merge at ${config.target}: ${(error as Error).message}`,
          );
        }
        setJsonBody(message, merged);
      }),
    );
  },
  upstreamReferences(config) {
    return config.upstream === undefined ? [] : [{ path: ['upstream'], upstream: config.upstream }];
  },
};

function jsonAnswer(answer: ServiceAnswer, name: string): unknown {
  if (answer.status < 200 || answer.status > 299)
    throw new Error(`${name} answered ${answer.status}`);
  const type = headerValue(answer.headers, 'content-type') ?? '';
  try {
    return JSON.parse(answer.body.toString('utf8')) as unknown;
  } catch {
    throw new Error(`${name} answered with a body that is not JSON (${type || 'no content type'})`);
  }
}
