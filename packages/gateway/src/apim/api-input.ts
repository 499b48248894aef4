import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FieldError } from '@exosphere/common';
import { policyEntrySchema } from '../config/schema.js';
import { ApimErrors } from './errors.js';
import { endpointErrors, policyErrors, tierErrors, type ApimEnvironment } from './environment.js';
import {
  contextSchema,
  endpointSchema,
  nameSchema,
  operationSchema,
  tierNameSchema,
  versionSchema,
  type ApiEndpoint,
  type ApiRecord,
} from './model.js';
import { readOpenApi, type OpenApiSummary } from './openapi.js';

/** The body of POST /apis and PUT /apis/{id}: everything but id, state and timestamps. */
export const apiInputSchema = z.strictObject({
  name: nameSchema.optional(),
  version: versionSchema.optional(),
  context: contextSchema.optional(),
  description: z.string().max(10_000).optional(),
  endpoint: endpointSchema.optional(),
  defaultVersion: z.boolean().optional(),
  tiers: z.array(tierNameSchema).min(1).max(32).optional(),
  operations: z.array(operationSchema).max(2000).optional(),
  policies: z.array(policyEntrySchema).max(64).optional(),
  /** An OpenAPI 3 document (object), or its JSON or YAML text (parsed before validation). */
  openapi: z.union([z.record(z.string(), z.unknown()), z.string().max(5 * 1024 * 1024)]).optional(),
});
export type ApiInput = z.output<typeof apiInputSchema>;
/** The input once a textual `openapi` was parsed. */
export type ResolvedApiInput = Omit<ApiInput, 'openapi'> & { openapi?: Record<string, unknown> };

/**
 * Builds the API record a create or an update produces, or throws a 422 naming every invalid
 * field. With an OpenAPI document, operations and scopes come from it; name, version,
 * description and (through `servers`) the endpoint default to the document's.
 */
export function buildApiRecord(options: {
  readonly input: ResolvedApiInput;
  readonly existing: ApiRecord | undefined;
  readonly environment: ApimEnvironment;
  readonly now: string;
  /** Where the document sits in the request body, for error paths ("/openapi" or ""). */
  readonly documentPath: string;
}): ApiRecord {
  const { input, existing, environment } = options;
  let summary: OpenApiSummary | undefined;
  if (input.openapi !== undefined) {
    const read = readOpenApi(input.openapi);
    if (!read.ok)
      throw ApimErrors.create(
        'EXO_GATEWAY_OPENAPI_INVALID',
        `the OpenAPI document has ${read.errors.length} error(s)`,
        {
          details: read.errors.map((error) => ({
            path:
              error.path === '/' ? options.documentPath || '/' : options.documentPath + error.path,
            errors: error.errors,
          })),
        },
      );
    summary = read.summary;
  }
  const errors: FieldError[] = [];
  const name = input.name ?? existing?.name ?? summary?.title;
  const version = input.version ?? existing?.version ?? summary?.version;
  checkField(
    errors,
    '/name',
    nameSchema,
    name,
    'a name is required (or info.title in the OpenAPI document)',
  );
  checkField(errors, '/version', versionSchema, version, 'a version is required (or info.version)');
  const context = input.context ?? existing?.context ?? (name ? `/${slug(name)}` : undefined);
  checkField(errors, '/context', contextSchema, context, 'a context is required');
  if (existing !== undefined)
    for (const [field, value] of [
      ['name', name],
      ['version', version],
      ['context', context],
    ] as const)
      if (value !== existing[field])
        errors.push({
          path: `/${field}`,
          errors: [`${field} cannot change (it is '${existing[field]}'); create a new API version`],
        });
  const endpoint: ApiEndpoint | undefined =
    input.endpoint ?? existing?.endpoint ?? endpointOfServer(summary?.serverUrl);
  if (endpoint === undefined)
    errors.push({
      path: '/endpoint',
      errors: [
        'an endpoint is required: {upstream: NAME}, {targets: [...]}, or servers in the document',
      ],
    });
  else errors.push(...endpointErrors(environment, endpoint));
  const operations = [...(summary?.operations ?? input.operations ?? existing?.operations ?? [])];
  const seen = new Set<string>();
  operations.forEach((operation, index) => {
    const key = `${operation.method} ${operation.path.replace(/\{[^}]*\}/g, '{}')}`;
    if (seen.has(key))
      errors.push({ path: `/operations/${index}`, errors: [`duplicate operation ${key}`] });
    seen.add(key);
  });
  errors.push(
    ...tierErrors(
      environment,
      operations.map((operation) => operation.tier),
      (index) => `/operations/${index}/tier`,
    ),
  );
  const tiers = input.tiers ?? existing?.tiers ?? ['Unlimited'];
  errors.push(...tierErrors(environment, tiers, (index) => `/tiers/${index}`));
  const policies = input.policies ?? existing?.policies ?? [];
  errors.push(...policyErrors(environment, policies));
  if (
    errors.length > 0 ||
    name === undefined ||
    version === undefined ||
    context === undefined ||
    endpoint === undefined
  )
    throw ApimErrors.create(
      'EXO_GATEWAY_APIM_INVALID',
      `the API is invalid (${errors.length} error(s))`,
      {
        details: errors,
      },
    );
  const openapi = input.openapi ?? (input.operations === undefined ? existing?.openapi : undefined);
  return {
    id: existing?.id ?? randomUUID(),
    name,
    version,
    context,
    description: input.description ?? summary?.description ?? existing?.description ?? '',
    endpoint,
    state: existing?.state ?? 'CREATED',
    ...(existing?.blockedFrom === undefined ? {} : { blockedFrom: existing.blockedFrom }),
    defaultVersion: input.defaultVersion ?? existing?.defaultVersion ?? false,
    tiers,
    operations,
    policies,
    ...(openapi === undefined ? {} : { openapi }),
    createdAt: existing?.createdAt ?? options.now,
    updatedAt: options.now,
  };
}

/** An OpenAPI server URL as an endpoint: its origin as the target, its path as the base path. */
export function endpointOfServer(url: string | undefined): ApiEndpoint | undefined {
  if (url === undefined) return undefined;
  const parsed = new URL(url);
  const basePath = parsed.pathname.replace(/\/+$/, '');
  return {
    targets: [{ url: parsed.origin }],
    ...(basePath === '' ? {} : { basePath }),
  };
}

function checkField(
  errors: FieldError[],
  path: string,
  schema: z.ZodType,
  value: string | undefined,
  missing: string,
): void {
  if (value === undefined) {
    errors.push({ path, errors: [missing] });
    return;
  }
  const result = schema.safeParse(value);
  if (!result.success)
    errors.push({ path, errors: result.error.issues.map((issue) => issue.message) });
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'api'
  );
}
