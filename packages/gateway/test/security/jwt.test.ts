import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, test } from 'node:test';
import { VirtualClock } from '@exosphere/common';
import { jwtPolicyType } from '../../src/policies/security/jwt.js';
import {
  configurationErrors,
  configure,
  policyContext,
  policyRequest,
  signToken,
} from './helpers.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
const p521 = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
const secret = 'a-shared-secret-of-sixty-four-bytes-for-every-hmac-variant-012345';
const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function bearer(token: string) {
  return policyRequest({ headers: { authorization: `Bearer ${token}` } });
}

function setup(config: Record<string, unknown>) {
  const clock = new VirtualClock(Date.UTC(2026, 2, 1));
  const policy = configure(jwtPolicyType, config, policyContext(clock));
  const nowSeconds = Math.floor(clock.now() / 1000);
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: 'https://issuer.example',
    aud: 'shop-api',
    sub: 'user-7',
    iat: nowSeconds,
    exp: nowSeconds + 300,
    ...extra,
  });
  return { clock, policy, nowSeconds, claims };
}

const trusted = { issuers: ['https://issuer.example'], audiences: ['shop-api'] };

describe('jwt: algorithms', () => {
  const cases: Array<{
    algorithm: string;
    signingKey: Parameters<typeof signToken>[0]['key'];
    key: object;
  }> = [
    { algorithm: 'HS256', signingKey: secret, key: { secret } },
    { algorithm: 'HS384', signingKey: secret, key: { secret } },
    { algorithm: 'HS512', signingKey: secret, key: { secret } },
    { algorithm: 'RS256', signingKey: rsa.privateKey, key: { pem: rsaPem } },
    { algorithm: 'RS384', signingKey: rsa.privateKey, key: { pem: rsaPem } },
    { algorithm: 'RS512', signingKey: rsa.privateKey, key: { pem: rsaPem } },
    { algorithm: 'PS256', signingKey: rsa.privateKey, key: { pem: rsaPem } },
    {
      algorithm: 'ES256',
      signingKey: p256.privateKey,
      key: { jwk: p256.publicKey.export({ format: 'jwk' }) },
    },
    {
      algorithm: 'ES384',
      signingKey: p384.privateKey,
      key: { jwk: p384.publicKey.export({ format: 'jwk' }) },
    },
    {
      algorithm: 'ES512',
      signingKey: p521.privateKey,
      key: { jwk: p521.publicKey.export({ format: 'jwk' }) },
    },
  ];
  for (const { algorithm, signingKey, key } of cases) {
    test(`${algorithm} tokens signed with node:crypto are accepted`, async () => {
      const { policy, claims } = setup({ ...trusted, keys: [key] });
      const request = bearer(
        signToken({
          algorithm,
          key: signingKey,
          payload: claims({ azp: 'shop-web', scope: 'orders:read orders:write' }),
        }),
      );
      assert.equal(await policy.onRequest(request), undefined);
      assert.equal(request.attributes.get('subject'), 'user-7');
      assert.equal(request.attributes.get('application'), 'shop-web');
      assert.deepEqual(request.attributes.get('scopes'), ['orders:read', 'orders:write']);
    });
  }

  test('a tampered payload fails the signature check', async () => {
    const { policy, claims } = setup({ ...trusted, keys: [{ pem: rsaPem }] });
    const [header, , signature] = signToken({
      algorithm: 'RS256',
      key: rsa.privateKey,
      payload: claims(),
    }).split('.');
    const forged = Buffer.from(JSON.stringify(claims({ sub: 'admin' }))).toString('base64url');
    const outcome = await policy.onRequest(bearer(`${header}.${forged}.${signature}`));
    assert.equal(outcome?.status, 401);
    assert.equal(outcome?.code, 'EXO_GATEWAY_UNAUTHORIZED');
    assert.match(outcome?.headers?.['www-authenticate'] ?? '', /error="invalid_token"/);
  });

  test('a token signed by another key fails', async () => {
    const { policy, claims } = setup({ ...trusted, keys: [{ pem: rsaPem }] });
    const token = signToken({ algorithm: 'RS256', key: otherRsa.privateKey, payload: claims() });
    assert.equal((await policy.onRequest(bearer(token)))?.status, 401);
  });

  test('an ECDSA signature in DER instead of R || S is refused', async () => {
    const { policy, claims } = setup({
      ...trusted,
      keys: [{ jwk: p256.publicKey.export({ format: 'jwk' }) }],
    });
    const [header, payload] = signToken({
      algorithm: 'ES256',
      key: p256.privateKey,
      payload: claims(),
    }).split('.');
    const der = sign('sha256', Buffer.from(`${header}.${payload}`), p256.privateKey).toString(
      'base64url',
    );
    assert.equal((await policy.onRequest(bearer(`${header}.${payload}.${der}`)))?.status, 401);
  });

  test('a configured algorithm list narrows what the keys accept', async () => {
    const { policy, claims } = setup({
      ...trusted,
      algorithms: ['RS256'],
      keys: [{ pem: rsaPem }],
    });
    const ps = signToken({ algorithm: 'PS256', key: rsa.privateKey, payload: claims() });
    const rs = signToken({ algorithm: 'RS256', key: rsa.privateKey, payload: claims() });
    assert.equal((await policy.onRequest(bearer(ps)))?.status, 401);
    assert.equal(await policy.onRequest(bearer(rs)), undefined);
  });

  test('kid selects the key: a token naming another key id fails', async () => {
    const { policy, claims } = setup({
      ...trusted,
      keys: [
        { kid: 'rsa-1', pem: rsaPem },
        { kid: 'ec-1', jwk: { ...p256.publicKey.export({ format: 'jwk' }), kid: 'ec-1' } },
      ].map((key) => ('jwk' in key ? { jwk: key.jwk } : key)),
    });
    const good = signToken({
      algorithm: 'ES256',
      key: p256.privateKey,
      header: { kid: 'ec-1' },
      payload: claims(),
    });
    const wrongKid = signToken({
      algorithm: 'RS256',
      key: rsa.privateKey,
      header: { kid: 'ec-1' },
      payload: claims(),
    });
    assert.equal(await policy.onRequest(bearer(good)), undefined);
    assert.equal((await policy.onRequest(bearer(wrongKid)))?.status, 401);
  });
});

describe('jwt: attacks on the algorithm', () => {
  test('alg "none" is rejected, whatever its spelling', async () => {
    const { policy, claims } = setup({ ...trusted, keys: [{ pem: rsaPem }] });
    for (const alg of ['none', 'None', 'NONE']) {
      const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify(claims())).toString('base64url');
      for (const token of [`${header}.${payload}.`, `${header}.${payload}`]) {
        const outcome = await policy.onRequest(bearer(token));
        assert.equal(outcome?.status, 401, `${alg}: ${token}`);
        assert.equal(outcome?.code, 'EXO_GATEWAY_UNAUTHORIZED');
      }
    }
  });

  test('an HS256 token keyed with the RSA public key is rejected (algorithm confusion)', async () => {
    const { policy, claims } = setup({ ...trusted, keys: [{ pem: rsaPem }] });
    for (const material of [rsaPem, rsa.publicKey.export({ type: 'pkcs1', format: 'der' })]) {
      const token = signToken({
        algorithm: 'HS256',
        key: material,
        payload: claims(),
      });
      assert.equal((await policy.onRequest(bearer(token)))?.status, 401);
    }
  });

  test('an RSA token is not checked with an EC key, nor ES256 with a P-384 key', async () => {
    const { policy, claims } = setup({
      ...trusted,
      keys: [{ jwk: p384.publicKey.export({ format: 'jwk' }) }],
    });
    const rsToken = signToken({ algorithm: 'RS256', key: rsa.privateKey, payload: claims() });
    const es256 = signToken({ algorithm: 'ES256', key: p256.privateKey, payload: claims() });
    assert.equal((await policy.onRequest(bearer(rsToken)))?.status, 401);
    assert.equal((await policy.onRequest(bearer(es256)))?.status, 401);
  });

  test('an HMAC secret never verifies RS256, and a JWK alg pins its algorithm', async () => {
    const { policy, claims } = setup({
      ...trusted,
      keys: [{ secret }, { jwk: { ...rsa.publicKey.export({ format: 'jwk' }), alg: 'PS256' } }],
    });
    const rs = signToken({ algorithm: 'RS256', key: rsa.privateKey, payload: claims() });
    const ps = signToken({ algorithm: 'PS256', key: rsa.privateKey, payload: claims() });
    assert.equal((await policy.onRequest(bearer(rs)))?.status, 401);
    assert.equal(await policy.onRequest(bearer(ps)), undefined);
  });

  test('an HMAC secret shorter than the hash output is not used (RFC 7518 §3.2)', async () => {
    const short = 'exactly-thirty-two-bytes-secret!';
    const { policy, claims } = setup({ ...trusted, keys: [{ secret: short }] });
    const hs256 = signToken({ algorithm: 'HS256', key: short, payload: claims() });
    const hs512 = signToken({ algorithm: 'HS512', key: short, payload: claims() });
    assert.equal(await policy.onRequest(bearer(hs256)), undefined);
    assert.equal((await policy.onRequest(bearer(hs512)))?.status, 401);
  });

  test('a critical header extension the gateway does not understand is rejected', async () => {
    const { policy, claims } = setup({ ...trusted, keys: [{ secret }] });
    const token = signToken({
      algorithm: 'HS256',
      key: secret,
      header: { crit: ['exp-v2'], 'exp-v2': 1 },
      payload: claims(),
    });
    assert.equal((await policy.onRequest(bearer(token)))?.status, 401);
  });

  test('garbage, oversized and padded tokens are 401, never a crash', async () => {
    const { policy, claims } = setup({ ...trusted, keys: [{ secret }] });
    const good = signToken({ algorithm: 'HS256', key: secret, payload: claims() });
    for (const token of [
      'x',
      'a.b.c',
      'a.b.c.d',
      '..',
      `${good}=`,
      'e30.e30.',
      'x'.repeat(20_000),
      `${good.slice(0, -2)}!!`,
    ]) {
      const outcome = await policy.onRequest(bearer(token));
      assert.equal(outcome?.status, 401, token.slice(0, 40));
      assert.ok(!JSON.stringify(outcome).includes('Error'), 'no internal detail');
    }
  });
});

describe('jwt: claims', () => {
  test('no Authorization header is a 401 with a Bearer challenge', async () => {
    const { policy } = setup({ ...trusted, keys: [{ secret }] });
    for (const headers of [{}, { authorization: 'Basic dTpw' }, { authorization: 'Bearer' }]) {
      const outcome = await policy.onRequest(policyRequest({ headers }));
      assert.equal(outcome?.status, 401);
      assert.equal(outcome?.headers?.['www-authenticate'], 'Bearer realm="exosphere"');
    }
  });

  test('expiry honours the clock and a small skew', async () => {
    const { policy, clock, claims, nowSeconds } = setup({
      ...trusted,
      keys: [{ secret }],
      clockSkewMs: 30_000,
    });
    const token = signToken({
      algorithm: 'HS256',
      key: secret,
      payload: claims({ exp: nowSeconds + 60 }),
    });
    assert.equal(await policy.onRequest(bearer(token)), undefined);
    await clock.advance(80_000);
    assert.equal(await policy.onRequest(bearer(token)), undefined, 'within the 30 s skew');
    await clock.advance(20_000);
    const outcome = await policy.onRequest(bearer(token));
    assert.equal(outcome?.status, 401);
    assert.equal(outcome?.code, 'EXO_GATEWAY_TOKEN_EXPIRED');
  });

  test('nbf in the future, missing or mistyped exp are rejected', async () => {
    const { policy, claims, nowSeconds } = setup({ ...trusted, keys: [{ secret }] });
    const cases = [
      claims({ nbf: nowSeconds + 600 }),
      claims({ exp: undefined }),
      claims({ exp: String(nowSeconds + 60) }),
    ];
    for (const payload of cases) {
      const outcome = await policy.onRequest(
        bearer(signToken({ algorithm: 'HS256', key: secret, payload })),
      );
      assert.equal(outcome?.status, 401, JSON.stringify(payload));
    }
    const early = signToken({
      algorithm: 'HS256',
      key: secret,
      payload: claims({ nbf: nowSeconds + 10 }),
    });
    assert.equal(await policy.onRequest(bearer(early)), undefined, 'nbf within the skew');
  });

  test('issuer and audience must be the configured ones', async () => {
    const { policy, claims } = setup({ ...trusted, keys: [{ secret }] });
    const check = async (extra: Record<string, unknown>) =>
      policy.onRequest(
        bearer(signToken({ algorithm: 'HS256', key: secret, payload: claims(extra) })),
      );
    assert.equal((await check({ iss: 'https://evil.example' }))?.status, 401);
    assert.equal((await check({ iss: undefined }))?.status, 401);
    assert.equal((await check({ aud: 'billing-api' }))?.status, 401);
    assert.equal((await check({ aud: undefined }))?.status, 401);
    assert.equal(await check({ aud: ['billing-api', 'shop-api'] }), undefined);
    const outcome = await check({ aud: 'billing-api' });
    assert.match(outcome?.message ?? '', /aud/);
  });

  test('required scopes: from scope or scp; a missing one is a 403 naming it', async () => {
    const { policy, claims } = setup({ ...trusted, keys: [{ secret }], scopes: ['orders:write'] });
    const check = async (extra: Record<string, unknown>) =>
      policy.onRequest(
        bearer(signToken({ algorithm: 'HS256', key: secret, payload: claims(extra) })),
      );
    assert.equal(await check({ scope: 'orders:read orders:write' }), undefined);
    assert.equal(await check({ scp: ['orders:write'] }), undefined);
    const outcome = await check({ scope: 'orders:read' });
    assert.equal(outcome?.status, 403);
    assert.equal(outcome?.code, 'EXO_GATEWAY_SCOPE_MISSING');
    assert.match(outcome?.message ?? '', /orders:write/);
    assert.equal(
      outcome?.headers?.['www-authenticate'],
      'Bearer realm="exosphere", error="insufficient_scope", scope="orders:write"',
    );
    assert.equal((await check({}))?.status, 403);
  });

  test('client_id gives the application when azp is absent', async () => {
    const { policy, claims } = setup({ ...trusted, keys: [{ secret }] });
    const request = bearer(
      signToken({ algorithm: 'HS256', key: secret, payload: claims({ client_id: 'batch-app' }) }),
    );
    assert.equal(await policy.onRequest(request), undefined);
    assert.equal(request.attributes.get('application'), 'batch-app');
    assert.deepEqual(request.attributes.get('scopes'), []);
  });
});

describe('jwt: configuration', () => {
  test('is validated strictly with paths', () => {
    assert.deepEqual(configurationErrors(jwtPolicyType, { keys: [{ secret }] }), []);
    assert.ok(configurationErrors(jwtPolicyType, {}).length > 0, 'no keys and no jwksUrl');
    assert.ok(
      configurationErrors(jwtPolicyType, { keys: [{ secret: 'short' }] }).some((e) =>
        e.startsWith('keys.0'),
      ),
    );
    assert.ok(configurationErrors(jwtPolicyType, { keys: [{ pem: 'nope' }] }).length > 0);
    assert.ok(
      configurationErrors(jwtPolicyType, { keys: [{ secret }], issuer: 'x' }).length > 0,
      'unknown key',
    );
    assert.ok(configurationErrors(jwtPolicyType, { jwksUrl: 'ftp://x/jwks' }).length > 0);
    assert.ok(
      configurationErrors(jwtPolicyType, { keys: [{ secret }], algorithms: ['none'] }).length > 0,
    );
  });
});
