import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, publishedPetstore, requestToken, startApim, type ApimSetup } from './helpers.js';

describe('calls to a managed API', () => {
  let setup: ApimSetup;
  let ids: Awaited<ReturnType<typeof publishedPetstore>>;
  before(async () => {
    setup = await startApim();
    ids = await publishedPetstore(setup);
  });
  after(() => setup.close());

  const api = (path: string): string => `${setup.gateway.url}/petstore/1.0.0${path}`;

  it('passes a call with a subscribed API key upstream, without the key, on the operation path', async () => {
    const answer = await call(api('/pets?limit=2'), { headers: { apikey: ids.key } });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.url, '/pets?limit=2');
    assert.equal(answer.body.headers.apikey, undefined);
    const viaOtherHeader = await call(api('/pets/7'), { headers: { 'x-api-key': ids.key } });
    assert.equal(viaOtherHeader.status, 200);
    assert.equal(viaOtherHeader.body.url, '/pets/7');
  });

  it('answers 401 without a credential and with an invalid key', async () => {
    const none = await call(api('/pets'));
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 'EXO_GATEWAY_UNAUTHORIZED');
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer realm=/);
    const wrong = await call(api('/pets'), {
      headers: { apikey: `${ids.key.split('.')[0]}.wrong` },
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 'EXO_GATEWAY_UNAUTHORIZED');
    const forged = await call(api('/pets'), { headers: { authorization: 'Bearer a.b.c' } });
    assert.equal(forged.status, 401);
    assert.match(forged.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('answers 403 to an application without a subscription', async () => {
    const other = await setup.admin('POST', '/applications', { name: 'stranger' });
    const key = await setup.admin('POST', `/applications/${other.body.id}/keys`);
    const answer = await call(api('/pets'), { headers: { apikey: key.body.key } });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.code, 'EXO_GATEWAY_SUBSCRIPTION_REQUIRED');
  });

  it('answers 404 and 405 for paths and methods the OpenAPI document does not have', async () => {
    const missing = await call(api('/owners'), { headers: { apikey: ids.key } });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'EXO_GATEWAY_OPERATION_NOT_FOUND');
    const method = await call(api('/pets/7'), { method: 'DELETE', headers: { apikey: ids.key } });
    assert.equal(method.status, 405);
    assert.equal(method.body.code, 'EXO_GATEWAY_OPERATION_METHOD_NOT_ALLOWED');
    assert.equal(method.headers.get('allow'), 'GET');
  });

  it('checks each operation’s scopes against the token (403 insufficient_scope)', async () => {
    const read = await requestToken(setup, {
      clientId: ids.applicationId,
      clientSecret: ids.clientSecret,
      scope: 'pets:read',
    });
    assert.equal(read.status, 200, JSON.stringify(read.body));
    const bearer = { authorization: `Bearer ${read.body.access_token}` };
    const listed = await call(api('/pets'), { headers: bearer });
    assert.equal(listed.status, 200);
    assert.equal(listed.body.headers.authorization, undefined, 'the token stays at the gateway');
    const created = await call(api('/pets'), { method: 'POST', headers: bearer, raw: '{}' });
    assert.equal(created.status, 403);
    assert.equal(created.body.code, 'EXO_GATEWAY_SCOPE_MISSING');
    assert.match(
      created.headers.get('www-authenticate') ?? '',
      /^Bearer realm="exosphere", error="insufficient_scope", scope="pets:write"$/,
    );
    const open = await call(api('/health'), { headers: bearer });
    assert.equal(open.status, 200, 'an operation with security: [] needs no scope');
  });

  it('limits an API key made with scopes to those scopes', async () => {
    const key = await setup.admin('POST', `/applications/${ids.applicationId}/keys`, {
      scopes: ['pets:read'],
    });
    assert.equal(key.status, 201);
    const read = await call(api('/pets'), { headers: { apikey: key.body.key } });
    assert.equal(read.status, 200);
    const write = await call(api('/pets'), { method: 'POST', headers: { apikey: key.body.key } });
    assert.equal(write.status, 403);
    assert.equal(write.body.code, 'EXO_GATEWAY_SCOPE_MISSING');
    const revoked = await setup.admin(
      'DELETE',
      `/applications/${ids.applicationId}/keys/${key.body.id}`,
    );
    assert.equal(revoked.status, 204);
    const after = await call(api('/pets'), { headers: { apikey: key.body.key } });
    assert.equal(after.status, 401);
  });

  it('refuses calls while the subscription is BLOCKED or ON_HOLD, and serves again once ACTIVE', async () => {
    for (const state of ['BLOCKED', 'ON_HOLD']) {
      const changed = await setup.admin('PATCH', `/subscriptions/${ids.subscriptionId}`, { state });
      assert.equal(changed.status, 200);
      const answer = await call(api('/pets'), { headers: { apikey: ids.key } });
      assert.equal(answer.status, 403);
      assert.equal(answer.body.code, 'EXO_GATEWAY_SUBSCRIPTION_INACTIVE');
    }
    await setup.admin('PATCH', `/subscriptions/${ids.subscriptionId}`, { state: 'ACTIVE' });
    assert.equal((await call(api('/pets'), { headers: { apikey: ids.key } })).status, 200);
  });
});

describe('the lifecycle decides what is callable', () => {
  let setup: ApimSetup;
  before(async () => {
    setup = await startApim();
  });
  after(() => setup.close());

  it('serves CREATED → nothing, PUBLISHED and DEPRECATED, BLOCKED → 403, RETIRED → 404', async () => {
    const created = await setup.admin('POST', '/apis', {
      name: 'Orders',
      version: 'v1',
      context: '/orders',
      endpoint: { upstream: 'backend' },
      defaultVersion: true,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.state, 'CREATED');
    assert.deepEqual(created.body.allowedActions, ['publish']);
    const id: string = created.body.id;
    const application = await setup.admin('POST', '/applications', { name: 'buyer' });
    const key = (await setup.admin('POST', `/applications/${application.body.id}/keys`)).body.key;
    const url = `${setup.gateway.url}/orders/v1/items`;
    const headers = { apikey: key };

    const early = await call(url, { headers });
    assert.equal(early.status, 404);
    assert.equal(early.body.code, 'EXO_GATEWAY_NO_ROUTE');
    const tooEarly = await setup.admin('POST', '/subscriptions', {
      applicationId: application.body.id,
      apiId: id,
    });
    assert.equal(tooEarly.status, 409);
    assert.equal(tooEarly.body.code, 'EXO_GATEWAY_SUBSCRIPTION_NOT_ALLOWED');

    await setup.admin('POST', `/apis/${id}/lifecycle`, { action: 'publish' });
    const subscribed = await setup.admin('POST', '/subscriptions', {
      applicationId: application.body.id,
      apiId: id,
    });
    assert.equal(subscribed.status, 201);
    const served = await call(url, { headers });
    assert.equal(served.status, 200);
    assert.equal(served.body.url, '/items');
    // The default version is also served without its version segment.
    const unversioned = await call(`${setup.gateway.url}/orders/items`, { headers });
    assert.equal(unversioned.status, 200);
    assert.equal(unversioned.body.url, '/items');

    await setup.admin('POST', `/apis/${id}/lifecycle`, { action: 'deprecate' });
    assert.equal((await call(url, { headers })).status, 200, 'DEPRECATED stays callable');
    const other = await setup.admin('POST', '/applications', { name: 'latecomer' });
    const late = await setup.admin('POST', '/subscriptions', {
      applicationId: other.body.id,
      apiId: id,
    });
    assert.equal(late.status, 409, 'DEPRECATED takes no new subscriptions');

    const blocked = await setup.admin('POST', `/apis/${id}/lifecycle`, { action: 'block' });
    assert.equal(blocked.body.state, 'BLOCKED');
    const refused = await call(url, { headers });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'EXO_GATEWAY_API_BLOCKED');
    const unblocked = await setup.admin('POST', `/apis/${id}/lifecycle`, { action: 'unblock' });
    assert.equal(
      unblocked.body.state,
      'DEPRECATED',
      'unblock returns to the state it was blocked from',
    );

    const deleteLive = await setup.admin('DELETE', `/apis/${id}`);
    assert.equal(deleteLive.status, 409);
    assert.equal(deleteLive.body.code, 'EXO_GATEWAY_API_IN_USE');

    await setup.admin('POST', `/apis/${id}/lifecycle`, { action: 'retire' });
    const retired = await call(url, { headers });
    assert.equal(retired.status, 404);
    assert.equal(retired.body.code, 'EXO_GATEWAY_API_RETIRED');
    assert.equal((await setup.admin('DELETE', `/apis/${id}`)).status, 204);
    assert.equal((await call(url, { headers })).body.code, 'EXO_GATEWAY_NO_ROUTE');
  });

  it('refuses illegal transitions with 409, the current state and the allowed actions', async () => {
    const created = await setup.admin('POST', '/apis', {
      name: 'Billing',
      version: '2',
      context: '/billing',
      endpoint: { targets: [{ url: setup.upstream.url }] },
    });
    const id: string = created.body.id;
    const cases: Array<[string, string, string[]]> = [
      ['deprecate', 'CREATED', ['publish']],
      ['unblock', 'CREATED', ['publish']],
    ];
    for (const [action, state, allowed] of cases) {
      const answer = await setup.admin('POST', `/apis/${id}/lifecycle`, { action });
      assert.equal(answer.status, 409);
      assert.equal(answer.body.code, 'EXO_GATEWAY_LIFECYCLE_CONFLICT');
      assert.equal(answer.body.state, state);
      assert.deepEqual(answer.body.allowedActions, allowed);
    }
    await setup.admin('POST', `/apis/${id}/lifecycle`, { action: 'publish' });
    const retire = await setup.admin('POST', `/apis/${id}/lifecycle`, { action: 'retire' });
    assert.equal(retire.status, 409);
    assert.deepEqual(retire.body.allowedActions, ['deprecate', 'block']);
    const unknown = await setup.admin('POST', `/apis/${id}/lifecycle`, { action: 'launch' });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.details[0].path, '/action');
  });

  it('rejects an API on a taken context and version, and invalid fields with their paths', async () => {
    const first = await setup.admin('POST', '/apis', {
      name: 'Stock',
      version: '1',
      context: '/stock',
      endpoint: { upstream: 'backend' },
    });
    assert.equal(first.status, 201);
    const clash = await setup.admin('POST', '/apis', {
      name: 'Stock2',
      version: '1',
      context: '/stock',
      endpoint: { upstream: 'backend' },
    });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.code, 'EXO_GATEWAY_API_EXISTS');
    const invalid = await setup.admin('POST', '/apis', {
      name: 'Broken',
      version: '1',
      context: '/broken',
      endpoint: { upstream: 'nowhere' },
      tiers: ['Platinum'],
    });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.body.code, 'EXO_GATEWAY_APIM_INVALID');
    const details = invalid.body.details as { path: string }[];
    assert.deepEqual(details.map((detail) => detail.path).sort(), [
      '/endpoint/upstream',
      '/tiers/0',
    ]);
  });
});
