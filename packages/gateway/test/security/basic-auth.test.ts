import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { VirtualClock } from '@exosphere/common';
import { basicAuthPolicyType, hashPassword } from '../../src/policies/security/basic-auth.js';
import type { RequestPolicy } from '../../src/policies/policy.js';
import { configurationErrors, configure, policyContext, policyRequest } from './helpers.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

describe('basic-auth', () => {
  let policy: RequestPolicy;
  let aliceHash: string;
  before(async () => {
    aliceHash = await hashPassword('s3cret:with:colons ünïcode', { scryptCostLog2: 10 });
    policy = configure(
      basicAuthPolicyType,
      {
        realm: 'ops',
        users: [
          { username: 'alice', passwordHash: aliceHash, application: 'ops-console' },
          { username: 'bob', passwordHash: await hashPassword('hunter2', { scryptCostLog2: 10 }) },
        ],
      },
      policyContext(new VirtualClock()),
    );
  });

  test('passwords are stored as scrypt hashes', () => {
    assert.match(aliceHash, /^scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    assert.ok(!aliceHash.includes('s3cret'));
  });

  test('valid credentials pass, set the subject and never reach the upstream', async () => {
    const request = policyRequest({
      headers: { authorization: basic('alice', 's3cret:with:colons ünïcode') },
    });
    assert.equal(await policy.onRequest(request), undefined);
    assert.equal(request.attributes.get('subject'), 'alice');
    assert.equal(request.attributes.get('application'), 'ops-console');
    assert.ok(request.removedHeaders.has('authorization'));
    const again = policyRequest({
      headers: {
        authorization: basic('alice', 's3cret:with:colons ünïcode').replace('Basic', 'basic'),
      },
    });
    assert.equal(await policy.onRequest(again), undefined, 'cached check, case-insensitive scheme');
  });

  test('missing, malformed and wrong credentials are 401 with a Basic challenge', async () => {
    const headers = [
      {},
      { authorization: 'Bearer abc' },
      { authorization: 'Basic !!!' },
      { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` },
      { authorization: basic('alice', 'wrong') },
      { authorization: basic('mallory', 'hunter2') },
      { authorization: basic('bob', 'hunter2\n') },
    ];
    for (const header of headers) {
      const outcome = await policy.onRequest(policyRequest({ headers: header }));
      assert.equal(outcome?.status, 401, JSON.stringify(header));
      assert.equal(outcome?.code, 'EXO_GATEWAY_UNAUTHORIZED');
      assert.equal(outcome?.headers?.['www-authenticate'], 'Basic realm="ops", charset="UTF-8"');
    }
  });

  test('configuration refuses plain passwords and colons in usernames', () => {
    assert.ok(
      configurationErrors(basicAuthPolicyType, {
        users: [{ username: 'a', passwordHash: 'hunter2' }],
      }).some((e) => e.startsWith('users.0.passwordHash')),
    );
    assert.ok(
      configurationErrors(basicAuthPolicyType, {
        users: [{ username: 'a:b', passwordHash: aliceHash }],
      }).length > 0,
    );
    assert.ok(
      configurationErrors(basicAuthPolicyType, { users: [], realm: 'say "hi"' }).length > 0,
    );
  });
});
