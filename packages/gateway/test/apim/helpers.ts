import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@exosphere/common';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../src/index.js';
import { startUpstream, type Upstream } from '../helpers.js';

/** Response bodies are inspected loosely in tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface Answer {
  readonly status: number;
  readonly body: Loose;
  readonly headers: Headers;
}

/** A JSON request to a gateway (data plane or admin API). */
export async function call(
  url: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export interface ApimSetup {
  readonly home: string;
  readonly upstream: Upstream;
  gateway: RunningGateway;
  admin(method: string, path: string, body?: unknown): Promise<Answer>;
  /** Stops the gateway and starts it again on the same home (new ports). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real gateway on port 0 in a temporary home, with a real upstream named `backend` and a
 * `Tiny` tier (3 per minute) for rate-limit tests.
 */
export async function startApim(
  extra: { apim?: GatewayOptions['apim']; config?: Record<string, unknown> } = {},
): Promise<ApimSetup> {
  const home = await mkdtemp(join(tmpdir(), 'exo-apim-'));
  const upstream = await startUpstream('backend');
  const configPath = join(home, 'gateway.yaml');
  await writeFile(
    configPath,
    JSON.stringify({
      upstreams: [{ name: 'backend', targets: [{ url: upstream.url }] }],
      tiers: { Tiny: { requestsPerMinute: 3 } },
      ...extra.config,
    }),
  );
  const start = (): Promise<RunningGateway> =>
    startGateway({
      home,
      configPath,
      logger: silentLogger(),
      reloadPollIntervalMs: 60_000,
      ...(extra.apim ? { apim: extra.apim } : {}),
    });
  const setup: ApimSetup = {
    home,
    upstream,
    gateway: await start(),
    admin: (method, path, body) =>
      call(`${setup.gateway.adminUrl}${path}`, { method, ...(body === undefined ? {} : { body }) }),
    async restart() {
      await setup.gateway.close();
      setup.gateway = await start();
    },
    async close() {
      await setup.gateway.close();
      await upstream.close();
      await rm(home, { recursive: true, force: true });
    },
  };
  return setup;
}

/** An OpenAPI document with a read operation (scope pets:read) and a write one (pets:write). */
export function petstoreDocument(version = '1.0.0'): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: { title: 'Petstore', version },
    paths: {
      '/pets': {
        get: { operationId: 'listPets', security: [{ oauth: ['pets:read'] }] },
        post: { operationId: 'createPet', security: [{ oauth: ['pets:write'] }] },
      },
      '/pets/{petId}': { get: { operationId: 'showPet', security: [{ oauth: ['pets:read'] }] } },
      '/health': { get: { security: [] } },
    },
    components: {
      securitySchemes: {
        oauth: {
          type: 'oauth2',
          flows: {
            clientCredentials: {
              tokenUrl: 'https://example.invalid/token',
              scopes: { 'pets:read': 'read pets', 'pets:write': 'change pets' },
            },
          },
        },
      },
    },
  };
}

/**
 * A published Petstore API on `backend`, an application with an API key and an OAuth client,
 * and an ACTIVE subscription on `tier`.
 */
export async function publishedPetstore(
  setup: ApimSetup,
  options: { tier?: string; tiers?: string[]; keyScopes?: string[] } = {},
): Promise<{
  apiId: string;
  applicationId: string;
  key: string;
  clientSecret: string;
  subscriptionId: string;
}> {
  const api = await setup.admin('POST', '/apis', {
    context: '/petstore',
    endpoint: { upstream: 'backend' },
    openapi: petstoreDocument(),
    tiers: options.tiers ?? ['Unlimited', 'Tiny'],
  });
  if (api.status !== 201) throw new Error(`create API: ${JSON.stringify(api.body)}`);
  const published = await setup.admin('POST', `/apis/${api.body.id}/lifecycle`, {
    action: 'publish',
  });
  if (published.status !== 200) throw new Error(`publish: ${JSON.stringify(published.body)}`);
  const application = await setup.admin('POST', '/applications', { name: 'shop', owner: 'alice' });
  const key = await setup.admin(
    'POST',
    `/applications/${application.body.id}/keys`,
    options.keyScopes ? { scopes: options.keyScopes } : undefined,
  );
  const client = await setup.admin('POST', `/applications/${application.body.id}/oauth-client`);
  const subscription = await setup.admin('POST', '/subscriptions', {
    applicationId: application.body.id,
    apiId: api.body.id,
    tier: options.tier ?? 'Unlimited',
  });
  if (subscription.status !== 201)
    throw new Error(`subscribe: ${JSON.stringify(subscription.body)}`);
  return {
    apiId: api.body.id,
    applicationId: application.body.id,
    key: key.body.key,
    clientSecret: client.body.clientSecret,
    subscriptionId: subscription.body.id,
  };
}

/** The client credentials grant (RFC 6749 §4.4.2) with HTTP Basic client authentication. */
export async function requestToken(
  setup: ApimSetup,
  credentials: { clientId: string; clientSecret: string; scope?: string },
): Promise<Answer> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (credentials.scope !== undefined) form.set('scope', credentials.scope);
  // RFC 6749 §2.3.1: both parts are form-urlencoded before the Basic encoding.
  const basic = Buffer.from(
    `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`,
  ).toString('base64');
  return call(`${setup.gateway.url}/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    raw: form.toString(),
  });
}
