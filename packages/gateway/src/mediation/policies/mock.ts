import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { MediatedResponse, PolicyType } from '../../policies/policy.js';
import { headerValue } from '../json-body.js';
import { mediationError } from '../mediation-errors.js';
import { compileMockDocument, mockAnswer, type MockDocument } from '../openapi-mock.js';
import { headerNameSchema, headerValueSchema, mediationPolicy, phaseSchema } from '../phase.js';

const staticSchema = z.strictObject({
  status: z.int().min(100).max(599).default(200),
  headers: z.record(headerNameSchema, headerValueSchema).default({}),
  /** Text as is, or any other JSON value serialised (content type JSON unless headers say). */
  body: z.unknown().optional(),
});

export const mockSchema = z
  .strictObject({
    /** `fault`: the static response replaces the error answer. */
    phase: phaseSchema(['request', 'fault']),
    /** An inline OpenAPI 3 document, or the path of a JSON or YAML file (read at load). */
    openapi: z
      .union([
        z.strictObject({ document: z.record(z.string(), z.unknown()) }),
        z.strictObject({ file: z.string().min(1).max(4096) }),
      ])
      .optional(),
    /** Status to answer with; the operation's first 2xx otherwise. */
    status: z.int().min(100).max(599).optional(),
    /** Prefix stripped from request paths before matching; the first server URL's path otherwise. */
    basePath: z
      .string()
      .regex(/^(\/[^/]+)*$/, 'a path like /shop/v1, without a trailing "/"')
      .optional(),
    static: staticSchema.optional(),
  })
  .transform((config, context) => {
    if ((config.openapi === undefined) === (config.static === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['openapi'],
        message: 'give exactly one of openapi and static',
      });
      return z.NEVER;
    }
    if (config.phase === 'fault' && config.openapi) {
      context.addIssue({
        code: 'custom',
        path: ['phase'],
        message: 'a fault-phase mock answers with static',
      });
      return z.NEVER;
    }
    let document: MockDocument | undefined;
    if (config.openapi) {
      const loaded = loadDocument(config.openapi);
      const compiled =
        typeof loaded === 'string' ? loaded : compileMockDocument(loaded, config.basePath);
      if (typeof compiled === 'string') {
        context.addIssue({ code: 'custom', path: ['openapi'], message: compiled });
        return z.NEVER;
      }
      document = compiled;
    }
    return {
      ...config,
      document,
      staticResponse: config.static ? staticResponse(config.static) : undefined,
    };
  });

export type MockConfig = z.output<typeof mockSchema>;

function loadDocument(source: { document: Record<string, unknown> } | { file: string }): unknown {
  if ('document' in source) return source.document;
  let text: string;
  try {
    // Read once when the configuration is loaded, never per request.
    text = readFileSync(source.file, 'utf8');
  } catch (error) {
    return `cannot read ${source.file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
  try {
    return parseYaml(text, { maxAliasCount: 100 }) as unknown;
  } catch (error) {
    return `${source.file} is not JSON or YAML: ${(error as Error).message}`;
  }
}

function staticResponse(config: z.output<typeof staticSchema>): MediatedResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) headers[name.toLowerCase()] = value;
  let body: Buffer;
  if (typeof config.body === 'string') {
    body = Buffer.from(config.body);
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (config.body === undefined) body = Buffer.alloc(0);
  else {
    body = Buffer.from(JSON.stringify(config.body));
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  return { status: config.status, headers, body };
}

/**
 * Answers without an upstream: from the examples of an OpenAPI document (operation by method
 * and path template), or with a static response. In the fault phase a static mock replaces the
 * error answer (a custom error body).
 */
export const mockPolicyType: PolicyType<typeof mockSchema> = {
  type: 'mock',
  schema: mockSchema,
  create(config) {
    const fixed = config.staticResponse;
    const copy = (): MediatedResponse => ({
      status: fixed!.status,
      headers: { ...fixed!.headers },
      body: fixed!.body,
    });
    if (config.phase === 'fault')
      return mediationPolicy('mock', {
        requestBody: false,
        responseBody: false,
        onFault(context) {
          const answer = copy();
          context.response.status = answer.status;
          for (const name of Object.keys(context.response.headers))
            delete context.response.headers[name];
          Object.assign(context.response.headers, answer.headers);
          context.response.body = answer.body;
        },
      });
    return mediationPolicy('mock', {
      requestBody: false,
      responseBody: false,
      onRequest(context) {
        if (fixed) return copy();
        const result = mockAnswer({
          mock: config.document!,
          method: context.message.method,
          path: context.message.path,
          accept: headerValue(context.request.headers, 'accept'),
          status: config.status,
        });
        if (!result.ok) throw mediationError('EXO_GATEWAY_NO_MOCK', `mock: ${result.reason}`);
        const headers: Record<string, string> = { 'x-mock': 'openapi' };
        if (result.answer.contentType) headers['content-type'] = result.answer.contentType;
        return { status: result.answer.status, headers, body: result.answer.body };
      },
    });
  },
};
