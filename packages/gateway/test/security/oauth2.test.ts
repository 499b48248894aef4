import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { VirtualClock } from '@exosphere/common';
import { jwtPolicyType } from '../../src/policies/security/jwt.js';
import {
  createJwksHandler,
  createTokenEndpoint,
  generateClientCredentials,
  hashSecret,
  SigningKeyRing,
  type SigningAlgorithm,
} from '../../src/policies/security/index.js';
import {
  configure,
  policyContext,
  policyRequest,
  startServer,
  type TestServer,
} from './helpers.js';

const shopSecret = 'correct horse battery staple';
const batch = generateClientCredentials({ clientId: 'batch-jobs' });

interface Endpoint {
  server: TestServer;
  clock: VirtualClock;
  keyRing: SigningKeyRing;
}

const started: TestServer[] = [];
after(async () => Promise.all(started.map((server) => server.close())));

async function startEndpoint(algorithm: SigningAlgorithm = 'ES256'): Promise<Endpoint> {
  const clock = new VirtualClock(Date.UTC(2026, 4, 1));
  const keyRing = new SigningKeyRing({ clock, algorithm, retiredKeyPublishMs: 3_700_000 });
  const shopSecretHash = await hashSecret(shopSecret, { scryptCostLog2: 10 });
  const token = createTokenEndpoint({
    issuer: 'https://gateway.example',
    audience: 'shop-api',
    applications: [
      { clientId: 'shop-web', secretHash: shopSecretHash, scopes: ['orders:read', 'orders:write'] },
      { clientId: batch.clientId, secretHash: batch.secretHash, scopes: ['reports:read'] },
      { clientId: 'blocked', secretHash: batch.secretHash, scopes: [], enabled: false },
    ],
    keyRing,
    clock,
  });
  const jwks = createJwksHandler({ keyRing });
  const server = await startServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.url === '/oauth2/token') return token(request, response);
    if (request.url === '/oauth2/jwks') return jwks(request, response);
    response.writeHead(404).end();
  });
  started.push(server);
  return { server, clock, keyRing };
}

function basic(clientId: string, secret: string): string {
  // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
  const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

async function requestToken(
  endpoint: Endpoint,
  options: { body: string; authorization?: string; contentType?: string; method?: string },
) {
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
  };
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  const response = await fetch(`${endpoint.server.url}/oauth2/token`, {
    method: options.method ?? 'POST',
    headers,
    ...(options.method === 'GET' ? {} : { body: options.body }),
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

function verifier(endpoint: Endpoint, scopes: string[] = []) {
  return configure(
    jwtPolicyType,
    {
      issuers: ['https://gateway.example'],
      audiences: ['shop-api'],
      jwksUrl: `${endpoint.server.url}/oauth2/jwks`,
      scopes,
    },
    policyContext(endpoint.clock),
  );
}

const bearer = (token: unknown) =>
  policyRequest({ headers: { authorization: `Bearer ${String(token)}` } });

describe('OAuth 2.0 client credentials over HTTP', () => {
  let endpoint: Endpoint;
  before(async () => {
    endpoint = await startEndpoint();
  });

  test('a client gets a token with Basic auth and the jwt policy accepts it via the JWKS', async () => {
    const { response, body } = await requestToken(endpoint, {
      body: 'grant_type=client_credentials',
      authorization: basic('shop-web', shopSecret),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    assert.equal(body.scope, 'orders:read orders:write');
    const [header, payload] = String(body.access_token)
      .split('.')
      .slice(0, 2)
      .map(
        (part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>,
      );
    assert.equal(header?.alg, 'ES256');
    assert.equal(header?.typ, 'at+jwt');
    assert.equal(header?.kid, endpoint.keyRing.current.kid);
    assert.equal(payload?.sub, 'shop-web');
    assert.equal(payload?.client_id, 'shop-web');
    assert.equal(payload?.aud, 'shop-api');
    assert.equal(payload?.iss, 'https://gateway.example');
    assert.equal(payload?.exp, Number(payload?.iat) + 3600);
    assert.equal(typeof payload?.jti, 'string');

    const request = bearer(body.access_token);
    assert.equal(await verifier(endpoint, ['orders:read']).onRequest(request), undefined);
    assert.equal(request.attributes.get('application'), 'shop-web');
    assert.equal(request.attributes.get('subject'), 'shop-web');
    const denied = await verifier(endpoint, ['admin']).onRequest(bearer(body.access_token));
    assert.equal(denied?.status, 403);
    assert.equal(denied?.code, 'EXO_GATEWAY_SCOPE_MISSING');
  });

  test('a narrower scope request gives a narrower token', async () => {
    const { body } = await requestToken(endpoint, {
      body: 'grant_type=client_credentials&scope=orders%3Aread',
      authorization: basic('shop-web', shopSecret),
    });
    assert.equal(body.scope, 'orders:read');
    assert.equal(
      await verifier(endpoint, ['orders:read']).onRequest(bearer(body.access_token)),
      undefined,
    );
    const outcome = await verifier(endpoint, ['orders:write']).onRequest(bearer(body.access_token));
    assert.equal(outcome?.code, 'EXO_GATEWAY_SCOPE_MISSING');
  });

  test('credentials in the body work too', async () => {
    const { response, body } = await requestToken(endpoint, {
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: batch.clientId,
        client_secret: batch.clientSecret,
      }).toString(),
    });
    assert.equal(response.status, 200);
    assert.equal(body.scope, 'reports:read');
  });

  test('a wrong secret, an unknown or blocked client: 401 invalid_client with a Basic challenge', async () => {
    for (const authorization of [
      basic('shop-web', 'wrong'),
      basic('nobody', shopSecret),
      basic('blocked', batch.clientSecret),
      'Basic !!!',
    ]) {
      const { response, body } = await requestToken(endpoint, {
        body: 'grant_type=client_credentials',
        authorization,
      });
      assert.equal(response.status, 401, authorization);
      assert.equal(body.error, 'invalid_client');
      assert.match(response.headers.get('www-authenticate') ?? '', /^Basic realm="exosphere"/);
      assert.equal(response.headers.get('cache-control'), 'no-store');
    }
    const { response } = await requestToken(endpoint, { body: 'grant_type=client_credentials' });
    assert.equal(response.status, 401, 'no credentials at all');
  });

  test('an unsupported grant is 400 unsupported_grant_type', async () => {
    const { response, body } = await requestToken(endpoint, {
      body: 'grant_type=password&username=a&password=b',
      authorization: basic('shop-web', shopSecret),
    });
    assert.equal(response.status, 400);
    assert.equal(body.error, 'unsupported_grant_type');
  });

  test('a scope beyond the registered ones is 400 invalid_scope', async () => {
    const { response, body } = await requestToken(endpoint, {
      body: 'grant_type=client_credentials&scope=orders:read+admin',
      authorization: basic('shop-web', shopSecret),
    });
    assert.equal(response.status, 400);
    assert.equal(body.error, 'invalid_scope');
  });

  test('malformed requests are 400 invalid_request', async () => {
    const auth = basic('shop-web', shopSecret);
    const cases = [
      { body: 'scope=orders:read', authorization: auth },
      {
        body: '{"grant_type":"client_credentials"}',
        authorization: auth,
        contentType: 'application/json',
      },
      { body: 'grant_type=client_credentials&grant_type=client_credentials', authorization: auth },
      {
        body: `grant_type=client_credentials&client_id=shop-web&client_secret=x`,
        authorization: auth,
      },
      { body: `grant_type=client_credentials&pad=${'x'.repeat(10_000)}`, authorization: auth },
      { body: '', authorization: auth, method: 'GET' },
    ];
    for (const options of cases) {
      const { response, body } = await requestToken(endpoint, options);
      assert.equal(response.status, 400, options.body.slice(0, 60));
      assert.equal(body.error, 'invalid_request');
    }
  });
});

describe('signing key rotation', () => {
  test('a new key signs, the old one stays published until its tokens expire', async () => {
    const endpoint = await startEndpoint('RS256');
    const policy = verifier(endpoint);
    const auth = basic('shop-web', shopSecret);
    const first = await requestToken(endpoint, {
      body: 'grant_type=client_credentials',
      authorization: auth,
    });
    assert.equal(await policy.onRequest(bearer(first.body.access_token)), undefined);
    const oldKid = endpoint.keyRing.current.kid;

    await endpoint.clock.advance(60_000);
    endpoint.keyRing.rotate();
    const second = await requestToken(endpoint, {
      body: 'grant_type=client_credentials',
      authorization: auth,
    });
    assert.notEqual(endpoint.keyRing.current.kid, oldKid);
    assert.equal(
      await policy.onRequest(bearer(second.body.access_token)),
      undefined,
      'new kid fetched',
    );
    assert.equal(
      await policy.onRequest(bearer(first.body.access_token)),
      undefined,
      'old token still valid',
    );

    const published = async () => {
      const response = await fetch(`${endpoint.server.url}/oauth2/jwks`);
      assert.equal(response.headers.get('content-type'), 'application/jwk-set+json');
      return ((await response.json()) as { keys: Array<{ kid: string; d?: string }> }).keys;
    };
    const keys = await published();
    assert.deepEqual(
      keys.map((key) => key.kid),
      [endpoint.keyRing.current.kid, oldKid],
    );
    assert.ok(
      keys.every((key) => key.d === undefined),
      'no private material',
    );
    await endpoint.clock.advance(3_700_000);
    assert.deepEqual(
      (await published()).map((key) => key.kid),
      [endpoint.keyRing.current.kid],
    );
  });
});
