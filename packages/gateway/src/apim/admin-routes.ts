import { zodDetails, type RequestContext, type Router } from '@exosphere/common';
import { z } from 'zod';
import {
  changeLifecycle,
  createApi,
  deleteApi,
  describeApi,
  findApi,
  importApi,
  updateApi,
} from './api-commands.js';
import { apiInputSchema, type ApiInput, type ResolvedApiInput } from './api-input.js';
import type { ApiManager } from './api-manager.js';
import {
  apiKeyInputSchema,
  applicationInputSchema,
  createApiKey,
  createApplication,
  deleteApplication,
  describeApplication,
  findApplication,
  issueClientSecret,
  revokeApiKey,
} from './application-commands.js';
import { parseDocumentText, readDocumentBody } from './document-body.js';
import { ApimErrors } from './errors.js';
import { lifecycleActions } from './lifecycle.js';
import { contextSchema, nameSchema, versionSchema, type ApiRecord } from './model.js';
import { exportOpenApi } from './openapi-export.js';
import {
  changeSubscription,
  createSubscription,
  deleteSubscription,
  findSubscription,
  subscriptionChangeSchema,
  subscriptionInputSchema,
} from './subscription-commands.js';

const lifecycleInputSchema = z.strictObject({ action: z.enum(lifecycleActions) });

/** Query parameters of POST /apis/import that override what the document says. */
const importQuerySchema = z.strictObject({
  name: nameSchema.optional(),
  version: versionSchema.optional(),
  context: contextSchema.optional(),
  upstream: z.string().min(1).max(128).optional(),
  defaultVersion: z.enum(['true', 'false']).optional(),
});

/**
 * The API-management part of the gateway's admin API (under its authentication): /apis,
 * /applications, /subscriptions and /oauth2/keys/rotate. Secrets (API keys, client secrets)
 * appear once, in the answer that creates them; nothing returns a hash.
 */
export function registerApimAdminRoutes(router: Router, manager: ApiManager): void {
  const catalog = manager.catalog;
  const environment = (): ReturnType<ApiManager['environment']> => manager.environment();

  router.get('/apis', () => ({ body: { apis: catalog.data.apis.map(summarizeApi) } }));
  router.post('/apis', async (context) => {
    const input = await resolveInput(parse(apiInputSchema, await context.json()));
    const api = await createApi({
      catalog,
      environment: environment(),
      input,
      documentPath: '/openapi',
    });
    return { status: 201, body: describeApi(api) };
  });
  router.post('/apis/import', async (context) => {
    const query = parse(importQuerySchema, Object.fromEntries(context.query));
    const document = await readDocumentBody(context);
    const input: ResolvedApiInput = {
      openapi: document,
      ...(query.name === undefined ? {} : { name: query.name }),
      ...(query.version === undefined ? {} : { version: query.version }),
      ...(query.context === undefined ? {} : { context: query.context }),
      ...(query.upstream === undefined ? {} : { endpoint: { upstream: query.upstream } }),
      ...(query.defaultVersion === undefined
        ? {}
        : { defaultVersion: query.defaultVersion === 'true' }),
    };
    const result = await importApi({ catalog, environment: environment(), input });
    return {
      status: result.created ? 201 : 200,
      body: { ...describeApi(result.api), created: result.created },
    };
  });
  router.get('/apis/:id', (context) => ({ body: describeApi(findApi(catalog, id(context))) }));
  router.put('/apis/:id', async (context) => {
    const input = await resolveInput(parse(apiInputSchema, await context.json()));
    const api = await updateApi({
      catalog,
      environment: environment(),
      id: id(context),
      input,
      documentPath: '/openapi',
    });
    return { body: describeApi(api) };
  });
  router.delete('/apis/:id', async (context) => {
    await deleteApi(catalog, id(context));
    return { status: 204 };
  });
  router.post('/apis/:id/lifecycle', async (context) => {
    const { action } = parse(lifecycleInputSchema, await context.json());
    return { body: describeApi(await changeLifecycle(catalog, id(context), action)) };
  });
  router.get('/apis/:id/openapi', (context) => ({
    body: exportOpenApi(findApi(catalog, id(context)), manager.url),
  }));
  router.put('/apis/:id/openapi', async (context) => {
    const document = await readDocumentBody(context);
    const api = await updateApi({
      catalog,
      environment: environment(),
      id: id(context),
      input: { openapi: document },
      documentPath: '',
    });
    return { body: describeApi(api) };
  });

  router.get('/applications', () => ({
    body: { applications: catalog.data.applications.map(describeApplication) },
  }));
  router.post('/applications', async (context) => {
    const input = parse(applicationInputSchema, await context.json());
    const application = await createApplication({ catalog, environment: environment(), input });
    return { status: 201, body: describeApplication(application) };
  });
  router.get('/applications/:id', (context) => ({
    body: describeApplication(findApplication(catalog, id(context))),
  }));
  router.delete('/applications/:id', async (context) => {
    await deleteApplication(catalog, id(context));
    return { status: 204 };
  });
  router.post('/applications/:id/keys', async (context) => {
    const input = parse(apiKeyInputSchema, await context.json());
    const key = await createApiKey({ catalog, applicationId: id(context), scopes: input.scopes });
    return { status: 201, body: key };
  });
  router.delete('/applications/:id/keys/:keyId', async (context) => {
    await revokeApiKey({ catalog, applicationId: id(context), keyId: context.params.keyId ?? '' });
    return { status: 204 };
  });
  router.post('/applications/:id/oauth-client', async (context) => {
    const credentials = await issueClientSecret({ catalog, applicationId: id(context) });
    return { status: 201, body: { ...credentials, tokenUrl: `${manager.url}/oauth2/token` } };
  });

  router.get('/subscriptions', (context) => {
    const applicationId = context.query.get('applicationId');
    const apiId = context.query.get('apiId');
    const subscriptions = catalog.data.subscriptions.filter(
      (subscription) =>
        (applicationId === null || subscription.applicationId === applicationId) &&
        (apiId === null || subscription.apiId === apiId),
    );
    return { body: { subscriptions } };
  });
  router.post('/subscriptions', async (context) => {
    const input = parse(subscriptionInputSchema, await context.json());
    return { status: 201, body: await createSubscription({ catalog, input }) };
  });
  router.get('/subscriptions/:id', (context) => ({ body: findSubscription(catalog, id(context)) }));
  router.patch('/subscriptions/:id', async (context) => {
    const change = parse(subscriptionChangeSchema, await context.json());
    return { body: await changeSubscription({ catalog, id: id(context), change }) };
  });
  router.delete('/subscriptions/:id', async (context) => {
    await deleteSubscription(catalog, id(context));
    return { status: 204 };
  });

  router.post('/oauth2/keys/rotate', async () => ({ body: await manager.keys.rotate() }));
}

/** A list entry: the API without its (possibly large) OpenAPI document. */
function summarizeApi(api: ApiRecord): Omit<ApiRecord, 'openapi'> & { hasOpenApi: boolean } {
  const { openapi, ...rest } = api;
  return { ...rest, hasOpenApi: openapi !== undefined };
}

async function resolveInput(input: ApiInput): Promise<ResolvedApiInput> {
  const { openapi, ...rest } = input;
  if (openapi === undefined) return rest;
  return {
    ...rest,
    openapi: typeof openapi === 'string' ? await parseDocumentText(openapi) : openapi,
  };
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw ApimErrors.create('EXO_GATEWAY_APIM_INVALID', 'the request body is invalid', {
    details: zodDetails(result.error),
  });
}

function id(context: RequestContext): string {
  return context.params.id ?? '';
}
