import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  apiKeyPolicyType,
  generateApiKey,
  hashApiKey,
} from '../../src/policies/security/api-key.js';
import { parseSecretHash, verifySecret } from '../../src/policies/security/secret-hash.js';
import { configurationErrors, configure, policyRequest } from './helpers.js';

const shop = generateApiKey({ id: 'shop-web-1' });
const batch = generateApiKey();
const foreignKey = 'a-key-issued-by-another-tool-0123456789';

const policy = configure(apiKeyPolicyType, {
  queryParameter: 'apikey',
  keys: [
    { id: shop.id, hash: shop.hash, application: 'shop-web' },
    { id: batch.id, hash: batch.hash },
    { id: 'legacy', hash: hashApiKey(foreignKey), application: 'legacy-app' },
  ],
});

describe('api-key', () => {
  test('generated keys carry their id and are stored only as a salted hash', async () => {
    assert.ok(shop.key.startsWith('shop-web-1.'));
    assert.match(batch.id, /^key-[0-9a-f]{12}$/);
    assert.ok(!shop.hash.includes(shop.key.split('.')[1]!));
    assert.match(shop.hash, /^sha256\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]{43}$/);
    assert.notEqual(hashApiKey(shop.key), hashApiKey(shop.key), 'a fresh salt each time');
    assert.equal(await verifySecret(shop.key, parseSecretHash(hashApiKey(shop.key))!), true);
    assert.equal(await verifySecret(`${shop.key}x`, parseSecretHash(shop.hash)!), false);
  });

  test('a valid key in either default header sets credential and application and is stripped', async () => {
    for (const header of ['apikey', 'x-api-key']) {
      const request = policyRequest({ headers: { [header]: shop.key } });
      assert.equal(await policy.onRequest(request), undefined);
      assert.equal(request.attributes.get('credential'), 'shop-web-1');
      assert.equal(request.attributes.get('application'), 'shop-web');
      assert.ok(request.removedHeaders.has('apikey') && request.removedHeaders.has('x-api-key'));
    }
  });

  test('a key in the configured query parameter works and is removed from the query', async () => {
    const request = policyRequest({ query: `apikey=${encodeURIComponent(batch.key)}&page=2` });
    assert.equal(await policy.onRequest(request), undefined);
    assert.equal(request.attributes.get('credential'), batch.id);
    assert.equal(request.attributes.has('application'), false);
    assert.equal(request.query.toString(), 'page=2');
  });

  test('keys without an id prefix are found by checking every entry', async () => {
    const request = policyRequest({ headers: { 'x-api-key': foreignKey } });
    assert.equal(await policy.onRequest(request), undefined);
    assert.equal(request.attributes.get('application'), 'legacy-app');
  });

  test('missing and wrong keys are 401 with a stable code and no hint of which keys exist', async () => {
    const missing = await policy.onRequest(policyRequest());
    assert.equal(missing?.status, 401);
    assert.equal(missing?.code, 'EXO_GATEWAY_UNAUTHORIZED');
    assert.match(missing?.message ?? '', /apikey/);

    const wrongSecret = `shop-web-1.${'A'.repeat(43)}`;
    const unknownId = `nobody.${'A'.repeat(43)}`;
    const outcomes = await Promise.all(
      [wrongSecret, unknownId, 'x', 'y'.repeat(2000)].map((key) =>
        Promise.resolve(policy.onRequest(policyRequest({ headers: { 'x-api-key': key } }))),
      ),
    );
    for (const outcome of outcomes) {
      assert.deepEqual(outcome, {
        status: 401,
        code: 'EXO_GATEWAY_UNAUTHORIZED',
        message: 'The API key is not valid.',
      });
    }
    const duplicated = await policy.onRequest(
      policyRequest({ headers: { 'x-api-key': [shop.key, shop.key] } }),
    );
    assert.equal(duplicated?.status, 401, 'a header sent twice is ambiguous');
  });

  test('the query parameter is ignored unless configured', async () => {
    const headersOnly = configure(apiKeyPolicyType, { keys: [{ id: shop.id, hash: shop.hash }] });
    assert.equal(
      (await headersOnly.onRequest(policyRequest({ query: `apikey=${shop.key}` })))?.status,
      401,
    );
    const custom = configure(apiKeyPolicyType, {
      headers: ['x-shop-key'],
      keys: [{ id: shop.id, hash: shop.hash }],
    });
    assert.equal(
      await custom.onRequest(policyRequest({ headers: { 'x-shop-key': shop.key } })),
      undefined,
    );
    assert.equal(
      (await custom.onRequest(policyRequest({ headers: { 'x-api-key': shop.key } })))?.status,
      401,
    );
  });

  test('a wrong key takes as long whichever part of it is wrong (constant-time check)', () => {
    // A right key is remembered once verified (verified-key-cache.ts) and then answers faster;
    // it reveals nothing, its sender holds it already. Every wrong key costs the full HMAC.
    const secretStart = shop.key.indexOf('.') + 1;
    const flip = (character: string): string => (character === 'A' ? 'B' : 'A');
    const wrongLast = `${shop.key.slice(0, -1)}${flip(shop.key.at(-1)!)}`;
    const wrongFirst = `${shop.key.slice(0, secretStart)}${flip(shop.key[secretStart]!)}${shop.key.slice(secretStart + 1)}`;
    const time = (key: string) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < 3000; i++)
        void policy.onRequest(policyRequest({ headers: { 'x-api-key': key } }));
      return Number(process.hrtime.bigint() - started);
    };
    time(wrongLast);
    time(wrongFirst);
    const fastest = (key: string): number =>
      Math.min(...Array.from({ length: 5 }, () => time(key)));
    const last = fastest(wrongLast);
    const first = fastest(wrongFirst);
    // A loose bound, as other tests share the machine's two cores: what it catches is a wrong
    // key that returns before the full HMAC is computed, which is many times faster.
    assert.ok(first > last * 0.1 && first < last * 10, `last ${last} ns, first ${first} ns`);
  });

  test('a verified key is remembered, a wrong one never is', async () => {
    const fresh = configure(apiKeyPolicyType, {
      keys: [{ id: shop.id, hash: shop.hash, application: 'shop-web' }],
    });
    const wrong = `${shop.key.slice(0, -1)}${shop.key.endsWith('A') ? 'B' : 'A'}`;
    for (let round = 0; round < 3; round++) {
      assert.equal(
        await fresh.onRequest(policyRequest({ headers: { 'x-api-key': shop.key } })),
        undefined,
      );
      assert.equal(
        (await fresh.onRequest(policyRequest({ headers: { 'x-api-key': wrong } })))?.status,
        401,
      );
    }
    // A key removed from the configuration is refused by the policy built from the new one.
    const revoked = configure(apiKeyPolicyType, { keys: [] });
    assert.equal(
      (await revoked.onRequest(policyRequest({ headers: { 'x-api-key': shop.key } })))?.status,
      401,
    );
  });

  test('configuration: plain keys, duplicate ids and unknown options are rejected', () => {
    assert.ok(
      configurationErrors(apiKeyPolicyType, { keys: [{ id: 'a', hash: shop.key }] }).some((e) =>
        e.startsWith('keys.0.hash'),
      ),
    );
    assert.ok(
      configurationErrors(apiKeyPolicyType, {
        keys: [
          { id: 'a', hash: shop.hash },
          { id: 'a', hash: batch.hash },
        ],
      }).length > 0,
    );
    assert.ok(configurationErrors(apiKeyPolicyType, { keys: [], header: 'x' }).length > 0);
    assert.ok(
      configurationErrors(apiKeyPolicyType, { keys: [{ id: 'bad id', hash: shop.hash }] }).length >
        0,
    );
  });
});
