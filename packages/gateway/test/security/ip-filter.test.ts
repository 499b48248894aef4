import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ipFilterPolicyType } from '../../src/policies/security/ip-filter.js';
import { parseIpAddress, parseIpBlock } from '../../src/policies/security/ip-address.js';
import { configurationErrors, configure, policyRequest } from './helpers.js';

const policy = configure(ipFilterPolicyType, {
  allow: ['10.0.0.0/8', '192.168.1.10', '2001:db8::/32', '::1'],
  deny: ['10.1.0.0/16', '2001:db8:bad::/48'],
});

const outcome = (remoteAddress: string) => policy.onRequest(policyRequest({ remoteAddress }));

describe('ip-filter', () => {
  test('allow list with CIDRs, IPv4 and IPv6', () => {
    for (const address of [
      '10.0.0.1',
      '10.255.255.255',
      '192.168.1.10',
      '2001:db8::1',
      '2001:DB8:1:2::3',
      '::1',
      '[::1]',
    ]) {
      assert.equal(outcome(address), undefined, address);
    }
    for (const address of [
      '11.0.0.1',
      '192.168.1.11',
      '2001:db9::1',
      '127.0.0.1',
      'fe80::1%eth0',
    ]) {
      assert.deepEqual(
        outcome(address),
        {
          status: 403,
          code: 'EXO_GATEWAY_IP_DENIED',
          message: 'Calls from this client address are not allowed on this route.',
        },
        address,
      );
    }
  });

  test('deny wins over allow', () => {
    assert.equal((outcome('10.1.2.3') as { status: number } | undefined)?.status, 403);
    assert.equal((outcome('2001:db8:bad::7') as { status: number } | undefined)?.status, 403);
    assert.equal(outcome('2001:db8:bae::7'), undefined);
  });

  test('IPv4-mapped IPv6 addresses are their IPv4 address', () => {
    assert.equal(outcome('::ffff:10.0.0.1'), undefined);
    assert.equal(outcome('::ffff:a00:1'), undefined, 'hexadecimal form');
    assert.equal(
      (outcome('::ffff:10.1.0.1') as { code: string } | undefined)?.code,
      'EXO_GATEWAY_IP_DENIED',
    );
    const mappedRule = configure(ipFilterPolicyType, { deny: ['::ffff:172.16.0.0/108'] });
    assert.equal(
      (
        mappedRule.onRequest(policyRequest({ remoteAddress: '172.16.5.5' })) as
          { status: number } | undefined
      )?.status,
      403,
    );
    assert.equal(mappedRule.onRequest(policyRequest({ remoteAddress: '172.32.0.1' })), undefined);
  });

  test('an IPv6 rule does not swallow IPv4 clients, and garbage fails closed', () => {
    const denyAllV6 = configure(ipFilterPolicyType, { deny: ['::/0'] });
    assert.equal(
      denyAllV6.onRequest(policyRequest({ remoteAddress: '::ffff:8.8.8.8' })),
      undefined,
    );
    assert.equal(
      (
        denyAllV6.onRequest(policyRequest({ remoteAddress: '2a00::1' })) as
          { status: number } | undefined
      )?.status,
      403,
    );
    assert.equal(
      (
        denyAllV6.onRequest(policyRequest({ remoteAddress: 'not-an-ip' })) as
          { status: number } | undefined
      )?.status,
      403,
    );
    assert.equal(
      (denyAllV6.onRequest(policyRequest({ remoteAddress: '' })) as { status: number } | undefined)
        ?.status,
      403,
    );
  });

  test('address parsing', () => {
    assert.deepEqual(parseIpAddress('1.2.3.4'), { version: 4, value: 0x01020304n });
    assert.deepEqual(parseIpAddress('::ffff:1.2.3.4'), { version: 4, value: 0x01020304n });
    assert.deepEqual(parseIpAddress('1::'), { version: 6, value: 1n << 112n });
    assert.deepEqual(parseIpAddress('::2'), { version: 6, value: 2n });
    assert.deepEqual(parseIpAddress('64:ff9b::1.2.3.4'), {
      version: 6,
      value: (0x64n << 112n) | (0xff9bn << 96n) | 0x01020304n,
    });
    assert.deepEqual(parseIpBlock('10.1.2.3/8'), {
      version: 4,
      network: 10n << 24n,
      prefixLength: 8,
    });
    for (const bad of [
      '10.0.0.0/33',
      '2001:db8::/129',
      '::ffff:0:0/95',
      '10.0.0.0/-1',
      '10.0.0',
      '1.2.3.4/8/9',
      'fe80::1%eth0',
    ]) {
      assert.equal(parseIpBlock(bad), undefined, bad);
    }
  });

  test('configuration errors name the bad entry', () => {
    assert.deepEqual(configurationErrors(ipFilterPolicyType, { allow: ['10.0.0.0/8', 'nope'] }), [
      'allow.1: an IPv4 or IPv6 address or CIDR block',
    ]);
    assert.ok(configurationErrors(ipFilterPolicyType, {}).length > 0);
    assert.ok(configurationErrors(ipFilterPolicyType, { allow: ['::1'], other: 1 }).length > 0);
  });
});
