import assert from 'node:assert/strict';
import { generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { VirtualClock } from '@exosphere/common';
import { jwtPolicyType } from '../../src/policies/security/jwt.js';
import {
  configure,
  policyContext,
  policyRequest,
  signToken,
  startServer,
  type TestServer,
} from './helpers.js';

interface Issuer {
  server: TestServer;
  /** The key set the server publishes; tests change it to rotate keys. */
  keys: JsonWebKey[];
  requests: number;
  /** While true the server answers 503. */
  down: boolean;
}

const servers: TestServer[] = [];
after(async () => Promise.all(servers.map((server) => server.close())));

async function startIssuer(keys: JsonWebKey[]): Promise<Issuer> {
  const issuer: Issuer = {
    server: undefined as unknown as TestServer,
    keys,
    requests: 0,
    down: false,
  };
  issuer.server = await startServer((_request, response) => {
    issuer.requests++;
    if (issuer.down) {
      response.writeHead(503).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/jwk-set+json' });
    response.end(JSON.stringify({ keys: issuer.keys }));
  });
  servers.push(issuer.server);
  return issuer;
}

function signingKey(kid: string): { privateKey: KeyObject; jwk: JsonWebKey } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey,
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'ES256' },
  };
}

function tokenFor(clock: VirtualClock, key: { privateKey: KeyObject }, kid: string): string {
  const now = Math.floor(clock.now() / 1000);
  return signToken({
    algorithm: 'ES256',
    key: key.privateKey,
    header: { kid },
    payload: { iss: 'https://issuer.example', sub: 'svc', iat: now, exp: now + 600 },
  });
}

const bearer = (token: string) => policyRequest({ headers: { authorization: `Bearer ${token}` } });

function jwtPolicy(issuer: Issuer, clock: VirtualClock) {
  return configure(
    jwtPolicyType,
    {
      issuers: ['https://issuer.example'],
      jwksUrl: `${issuer.server.url}/oauth2/jwks`,
      jwksRefetchIntervalMs: 30_000,
      jwksMaxAgeMs: 600_000,
    },
    policyContext(clock),
  );
}

describe('jwt with a JWKS URL', () => {
  test('key rotation: an unknown kid triggers one refetch and the new key works', async () => {
    const clock = new VirtualClock();
    const first = signingKey('key-1');
    const issuer = await startIssuer([first.jwk]);
    const policy = jwtPolicy(issuer, clock);

    assert.equal(await policy.onRequest(bearer(tokenFor(clock, first, 'key-1'))), undefined);
    assert.equal(await policy.onRequest(bearer(tokenFor(clock, first, 'key-1'))), undefined);
    assert.equal(issuer.requests, 1, 'the key set is cached');

    await clock.advance(31_000);
    const second = signingKey('key-2');
    issuer.keys = [second.jwk, first.jwk];
    assert.equal(await policy.onRequest(bearer(tokenFor(clock, second, 'key-2'))), undefined);
    assert.equal(issuer.requests, 2, 'one refetch for the new kid');
    assert.equal(
      await policy.onRequest(bearer(tokenFor(clock, first, 'key-1'))),
      undefined,
      'old key still published',
    );
    assert.equal(issuer.requests, 2);
  });

  test('a flood of unknown kids costs the issuer at most one fetch per interval', async () => {
    const clock = new VirtualClock();
    const known = signingKey('known');
    const issuer = await startIssuer([known.jwk]);
    const policy = jwtPolicy(issuer, clock);
    assert.equal(await policy.onRequest(bearer(tokenFor(clock, known, 'known'))), undefined);
    await clock.advance(31_000);

    const attacker = signingKey('x');
    const flood = Array.from({ length: 200 }, (_, index) =>
      Promise.resolve(policy.onRequest(bearer(tokenFor(clock, attacker, `made-up-${index}`)))),
    );
    const outcomes = await Promise.all(flood);
    assert.ok(outcomes.every((outcome) => outcome?.status === 401));
    for (let index = 0; index < 100; index++) {
      await policy.onRequest(bearer(tokenFor(clock, attacker, `later-${index}`)));
    }
    assert.equal(issuer.requests, 2, 'the initial fetch and one refetch shared by the whole flood');
    assert.equal(await policy.onRequest(bearer(tokenFor(clock, known, 'known'))), undefined);

    await clock.advance(31_000);
    await policy.onRequest(bearer(tokenFor(clock, attacker, 'after-interval')));
    assert.equal(issuer.requests, 3, 'one more refetch once the interval has passed');
  });

  test('an old key set is refreshed in the background while requests keep flowing', async () => {
    const clock = new VirtualClock();
    const key = signingKey('key-1');
    const issuer = await startIssuer([key.jwk]);
    const policy = jwtPolicy(issuer, clock);
    assert.equal(await policy.onRequest(bearer(tokenFor(clock, key, 'key-1'))), undefined);
    await clock.advance(601_000);
    assert.equal(await policy.onRequest(bearer(tokenFor(clock, key, 'key-1'))), undefined);
    // The refresh runs over real HTTP; wait for it without blocking any request on it.
    for (let attempt = 0; attempt < 100 && issuer.requests < 2; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(issuer.requests, 2);
  });

  test('an unreachable issuer: 503 before any key is known, cached keys after', async () => {
    const clock = new VirtualClock();
    const key = signingKey('key-1');
    const issuer = await startIssuer([key.jwk]);
    issuer.down = true;
    const policy = jwtPolicy(issuer, clock);
    const outcome = await policy.onRequest(bearer(tokenFor(clock, key, 'key-1')));
    assert.equal(outcome?.status, 503);
    assert.equal(outcome?.code, 'EXO_GATEWAY_KEYS_UNAVAILABLE');
    await policy.onRequest(bearer(tokenFor(clock, key, 'key-1')));
    assert.equal(issuer.requests, 1, 'retries wait for the refetch interval');

    await clock.advance(31_000);
    issuer.down = false;
    assert.equal(await policy.onRequest(bearer(tokenFor(clock, key, 'key-1'))), undefined);

    issuer.down = true;
    await clock.advance(700_000);
    assert.equal(
      await policy.onRequest(bearer(tokenFor(clock, key, 'key-1'))),
      undefined,
      'stale keys serve',
    );
    assert.equal(await policy.onRequest(bearer(tokenFor(clock, key, 'key-1'))), undefined);
  });

  test('policies naming the same JWKS URL share one cache', async () => {
    const clock = new VirtualClock();
    const key = signingKey('key-1');
    const issuer = await startIssuer([key.jwk]);
    const policies = [jwtPolicy(issuer, clock), jwtPolicy(issuer, clock), jwtPolicy(issuer, clock)];
    for (const policy of policies) {
      assert.equal(await policy.onRequest(bearer(tokenFor(clock, key, 'key-1'))), undefined);
    }
    assert.equal(issuer.requests, 1);
  });

  test('symmetric keys in a JWKS are ignored', async () => {
    const clock = new VirtualClock();
    const secret = Buffer.alloc(32, 7);
    const issuer = await startIssuer([
      { kty: 'oct', k: secret.toString('base64url'), kid: 'shared' },
    ]);
    const policy = jwtPolicy(issuer, clock);
    const now = Math.floor(clock.now() / 1000);
    const token = signToken({
      algorithm: 'HS256',
      key: secret,
      header: { kid: 'shared' },
      payload: { iss: 'https://issuer.example', iat: now, exp: now + 60 },
    });
    assert.equal((await policy.onRequest(bearer(token)))?.status, 401);
  });
});
