import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, publishedPetstore, startApim, type ApimSetup } from './helpers.js';

describe('the subscription tier limits calls', () => {
  let setup: ApimSetup;
  before(async () => {
    setup = await startApim({
      config: {
        // A declarative per-api limit attached to the API itself (see the API's policies).
        tiers: { Tiny: { requestsPerMinute: 3 }, Roomy: { requestsPerMinute: 100 } },
      },
    });
  });
  after(() => setup.close());

  it('answers 429 with Retry-After after the tier’s requests in a minute', async () => {
    const ids = await publishedPetstore(setup, { tier: 'Tiny' });
    const url = `${setup.gateway.url}/petstore/1.0.0/pets`;
    // Requests may straddle a minute boundary; the fixed window then restarts, so allow for one.
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof call>> | undefined;
    for (let attempt = 0; attempt < 8 && refused === undefined; attempt++) {
      const answer = await call(url, { headers: { apikey: ids.key } });
      statuses.push(answer.status);
      if (answer.status === 429) refused = answer;
      else {
        assert.equal(answer.status, 200);
        assert.equal(answer.headers.get('ratelimit-limit'), '3');
      }
    }
    assert.ok(refused, `a 429 came (${statuses.join(', ')})`);
    assert.equal(refused.body.code, 'EXO_GATEWAY_RATE_LIMITED');
    assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(refused.headers.get('ratelimit-remaining'), '0');
    assert.ok(statuses.filter((status) => status === 200).length >= 3);

    // Another tier for the same subscription takes effect at once.
    const changed = await setup.admin('PATCH', `/subscriptions/${ids.subscriptionId}`, {
      tier: 'Unlimited',
    });
    assert.equal(changed.status, 200);
    assert.equal((await call(url, { headers: { apikey: ids.key } })).status, 200);
    const notOffered = await setup.admin('PATCH', `/subscriptions/${ids.subscriptionId}`, {
      tier: 'Roomy',
    });
    assert.equal(notOffered.status, 409);
  });

  it('applies rate-limit policies of the API with per: api', async () => {
    const created = await setup.admin('POST', '/apis', {
      name: 'Limited',
      version: '1',
      context: '/limited',
      endpoint: { upstream: 'backend' },
      policies: [{ type: 'rate-limit', tier: 'Tiny', per: 'api' }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await setup.admin('POST', `/apis/${created.body.id}/lifecycle`, { action: 'publish' });
    const keys: string[] = [];
    for (const name of ['one', 'two']) {
      const application = await setup.admin('POST', '/applications', { name });
      keys.push((await setup.admin('POST', `/applications/${application.body.id}/keys`)).body.key);
      await setup.admin('POST', '/subscriptions', {
        applicationId: application.body.id,
        apiId: created.body.id,
      });
    }
    // Both applications share the API's counter: at most 3 pass per minute between them.
    const statuses: number[] = [];
    for (let index = 0; index < 8; index++)
      statuses.push(
        (await call(`${setup.gateway.url}/limited/1/x`, { headers: { apikey: keys[index % 2]! } }))
          .status,
      );
    assert.ok(statuses.includes(429), statuses.join(', '));
    const invalid = await setup.admin('POST', '/apis', {
      name: 'Bad',
      version: '1',
      context: '/bad',
      endpoint: { upstream: 'backend' },
      policies: [{ type: 'rate-limit', tier: 'Nope' }],
    });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.body.details[0].path, '/policies/0/tier');
  });
});
