import { z } from 'zod';
import { policyEntrySchema } from '../config/schema.js';
import { scopeSchema } from '../policies/security/jwt.js';

/**
 * The API-management data model, with WSO2 API Manager's names: APIs with a lifecycle and
 * operations, applications with credentials, and subscriptions (application × API × tier).
 * These schemas validate both the admin API's input and the stored catalog, so a damaged
 * catalog file is refused at start rather than half-read.
 */
export const apiStates = ['CREATED', 'PUBLISHED', 'DEPRECATED', 'RETIRED', 'BLOCKED'] as const;
export type ApiState = (typeof apiStates)[number];

export const subscriptionStates = ['ACTIVE', 'BLOCKED', 'ON_HOLD'] as const;
export type SubscriptionState = (typeof subscriptionStates)[number];

export const operationMethods = [
  'GET',
  'PUT',
  'POST',
  'DELETE',
  'OPTIONS',
  'HEAD',
  'PATCH',
  'TRACE',
] as const;

export const nameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/, 'a name: letters, digits, " ", ".", "_" or "-"');

/** A base path such as `/pets` or `/shop/orders`; `/oauth2` and `/.well-known` are the gateway's. */
export const contextSchema = z
  .string()
  .max(200)
  .regex(/^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/, 'a path such as /pets: segments without "{}*"')
  .refine(
    (context) => !/^\/(oauth2|\.well-known)(\/|$)/.test(context),
    '/oauth2 and /.well-known are served by the gateway itself',
  );

export const versionSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a version such as 1.0.0 or v2');

export const tierNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a tier name such as Gold');

/**
 * Where an API's calls go: an upstream of the declarative configuration by name, or targets
 * (or a compute-plane app) given like an upstream's, checked against the upstream schema.
 * `basePath` is prefixed to the path sent upstream (an OpenAPI server URL's path).
 */
export const endpointSchema = z.union([
  z.strictObject({ upstream: z.string().min(1).max(128) }),
  z.looseObject({
    targets: z.array(z.unknown()).optional(),
    app: z.string().optional(),
    basePath: z
      .string()
      .regex(/^(\/[A-Za-z0-9._~!$&'()+,;=:@%-]+)+$/, 'a path without a trailing "/"')
      .optional(),
  }),
]);
export type ApiEndpoint = z.output<typeof endpointSchema>;

export const operationSchema = z.strictObject({
  method: z.enum(operationMethods),
  /** An OpenAPI path template such as `/pets/{petId}`, relative to the API's base path. */
  path: z
    .string()
    .max(1000)
    .regex(/^\/[^\s?#]*$/, 'a path template starting with "/"'),
  /** Scopes a bearer token must carry (from the operation's OpenAPI `security`). */
  scopes: z.array(scopeSchema).max(64).default([]),
  /** A rate limit shared by every caller of this operation. */
  tier: tierNameSchema.optional(),
  operationId: z.string().max(200).optional(),
});
export type ApiOperation = z.output<typeof operationSchema>;

export const apiSchema = z.strictObject({
  id: z.string().min(1).max(64),
  name: nameSchema,
  version: versionSchema,
  context: contextSchema,
  description: z.string().max(10_000).default(''),
  endpoint: endpointSchema,
  state: z.enum(apiStates),
  /** The state an unblock returns to (BLOCKED only). */
  blockedFrom: z.enum(['PUBLISHED', 'DEPRECATED']).optional(),
  /** Also served at /{context}/... (WSO2's "default version"); one per context. */
  defaultVersion: z.boolean().default(false),
  /** The tiers subscriptions may choose (WSO2's business plans). */
  tiers: z.array(tierNameSchema).min(1).max(32).default(['Unlimited']),
  operations: z.array(operationSchema).max(2000).default([]),
  /** Policies run after authentication, as in routes (e.g. rate-limit per api). */
  policies: z.array(policyEntrySchema).max(64).default([]),
  /** The stored OpenAPI document, when the API came from one. */
  openapi: z.record(z.string(), z.unknown()).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ApiRecord = z.output<typeof apiSchema>;

export const apiKeyRecordSchema = z.strictObject({
  id: z.string().min(1).max(64),
  /** `sha256$<salt>$<hash>` (policies/security/secret-hash.ts); never the key. */
  hash: z.string(),
  /** Scopes the key grants; absent: every scope the application's subscriptions allow. */
  scopes: z.array(scopeSchema).max(64).optional(),
  createdAt: z.string(),
});

export const applicationSchema = z.strictObject({
  id: z.string().min(1).max(64),
  name: nameSchema,
  owner: z.string().min(1).max(200),
  tier: tierNameSchema.default('Unlimited'),
  description: z.string().max(10_000).default(''),
  keys: z.array(apiKeyRecordSchema).max(100).default([]),
  /** The OAuth 2.0 client: its id is the application id; the secret is stored hashed. */
  oauthClient: z.strictObject({ secretHash: z.string(), createdAt: z.string() }).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ApplicationRecord = z.output<typeof applicationSchema>;

export const subscriptionSchema = z.strictObject({
  id: z.string().min(1).max(64),
  applicationId: z.string().min(1).max(64),
  apiId: z.string().min(1).max(64),
  tier: tierNameSchema,
  state: z.enum(subscriptionStates),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SubscriptionRecord = z.output<typeof subscriptionSchema>;

/** Bounds on the catalog, so one admin client cannot grow it without limit. */
export const catalogLimits = { apis: 5000, applications: 50_000, subscriptions: 200_000 } as const;

export const catalogSchema = z.strictObject({
  format: z.literal(1),
  apis: z.array(apiSchema).max(catalogLimits.apis),
  applications: z.array(applicationSchema).max(catalogLimits.applications),
  subscriptions: z.array(subscriptionSchema).max(catalogLimits.subscriptions),
});
export type CatalogData = z.output<typeof catalogSchema>;

export function emptyCatalog(): CatalogData {
  return { format: 1, apis: [], applications: [], subscriptions: [] };
}

/** Calls are served for these states (BLOCKED and RETIRED get their own refusals). */
export function isCallable(state: ApiState): boolean {
  return state === 'PUBLISHED' || state === 'DEPRECATED';
}

/** The declarative upstream an endpoint names, if it names one rather than its own targets. */
export function upstreamNameOf(endpoint: ApiEndpoint): string | undefined {
  const fields = endpoint as Readonly<Record<string, unknown>>;
  return typeof fields.upstream === 'string' &&
    fields.targets === undefined &&
    fields.app === undefined
    ? fields.upstream
    : undefined;
}

/** The path an inline endpoint puts before every upstream path. */
export function basePathOf(endpoint: ApiEndpoint): string | undefined {
  const basePath = (endpoint as Readonly<Record<string, unknown>>).basePath;
  return typeof basePath === 'string' ? basePath : undefined;
}
