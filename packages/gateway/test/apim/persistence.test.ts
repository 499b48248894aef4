import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call, publishedPetstore, requestToken, startApim, type ApimSetup } from './helpers.js';

describe('API management state survives a restart', () => {
  let setup: ApimSetup;
  before(async () => {
    // A fixed issuer: the restarted gateway listens on another port.
    setup = await startApim({ apim: { issuer: 'https://gateway.test' } });
  });
  after(() => setup.close());

  it('keeps APIs, applications, keys, subscriptions and signing keys, stored hashed', async () => {
    const ids = await publishedPetstore(setup);
    const token = await requestToken(setup, {
      clientId: ids.applicationId,
      clientSecret: ids.clientSecret,
    });
    assert.equal(token.status, 200);
    const jwksBefore = (await call(`${setup.gateway.url}/oauth2/jwks`)).body;

    const catalogPath = join(setup.home, 'apim', 'catalog.json');
    const keysPath = join(setup.home, 'apim', 'signing-keys.json');
    const catalogText = await readFile(catalogPath, 'utf8');
    assert.ok(!catalogText.includes(ids.key.split('.')[1]!), 'the API key secret is not stored');
    assert.ok(!catalogText.includes(ids.clientSecret), 'the client secret is not stored');
    assert.match(catalogText, /sha256\$/);
    assert.equal((await stat(catalogPath)).mode & 0o777, 0o600);
    assert.equal((await stat(keysPath)).mode & 0o777, 0o600);

    await setup.restart();

    const apis = await setup.admin('GET', '/apis');
    assert.deepEqual(
      (apis.body.apis as { id: string; state: string }[]).map((api) => [api.id, api.state]),
      [[ids.apiId, 'PUBLISHED']],
    );
    const url = `${setup.gateway.url}/petstore/1.0.0/pets`;
    assert.equal((await call(url, { headers: { apikey: ids.key } })).status, 200);
    const bearer = { authorization: `Bearer ${token.body.access_token}` };
    assert.equal(
      (await call(url, { headers: bearer })).status,
      200,
      'a token from before the restart',
    );
    assert.deepEqual((await call(`${setup.gateway.url}/oauth2/jwks`)).body, jwksBefore);
    const again = await requestToken(setup, {
      clientId: ids.applicationId,
      clientSecret: ids.clientSecret,
    });
    assert.equal(again.status, 200);
    const subscriptions = await setup.admin(
      'GET',
      `/subscriptions?applicationId=${ids.applicationId}`,
    );
    assert.equal(subscriptions.body.subscriptions.length, 1);
    assert.equal(subscriptions.body.subscriptions[0].state, 'ACTIVE');
  });

  it('acknowledges a change only once it is on disk', async () => {
    const created = await setup.admin('POST', '/applications', { name: 'durable' });
    assert.equal(created.status, 201);
    const stored = JSON.parse(await readFile(join(setup.home, 'apim', 'catalog.json'), 'utf8')) as {
      applications: { id: string }[];
    };
    assert.ok(stored.applications.some((application) => application.id === created.body.id));
  });
});
