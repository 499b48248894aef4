import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { corsPolicyType } from '../../src/policies/security/cors.js';
import { configurationErrors, configure, policyRequest } from './helpers.js';

const policy = configure(corsPolicyType, {
  origins: ['https://shop.example.com', 'https://*.partners.example', 'http://localhost:3000'],
  methods: ['GET', 'POST'],
  headers: ['Content-Type', 'Authorization'],
  exposeHeaders: ['X-Request-Id'],
  credentials: true,
  maxAgeSeconds: 300,
});

const preflight = (origin: string, method: string, headers?: string) =>
  policyRequest({
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      ...(headers === undefined ? {} : { 'access-control-request-headers': headers }),
    },
  });

describe('cors', () => {
  test('an allowed preflight is answered with 204 and the Access-Control-* headers', () => {
    const answer = policy.respond!(
      preflight('https://shop.example.com', 'POST', 'content-type, authorization'),
    );
    assert.deepEqual(answer, {
      status: 204,
      headers: {
        'access-control-allow-origin': 'https://shop.example.com',
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'Content-Type, Authorization',
        'access-control-max-age': '300',
        vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      },
    });
  });

  test('wildcard subdomains match any depth but never the bare domain or look-alikes', () => {
    for (const origin of ['https://a.partners.example', 'https://x.y.partners.example']) {
      assert.equal(
        policy.respond!(preflight(origin, 'GET'))?.headers['access-control-allow-origin'],
        origin,
      );
    }
    for (const origin of [
      'https://partners.example',
      'https://evilpartners.example',
      'http://a.partners.example',
      'https://a.partners.example:8443',
      'null',
      'https://shop.example.com.evil.io',
    ]) {
      const answer = policy.respond!(preflight(origin, 'GET'));
      assert.equal(answer?.status, 204, origin);
      assert.equal(answer?.headers['access-control-allow-origin'], undefined, origin);
    }
  });

  test('a disallowed method or header gets no CORS headers', () => {
    assert.equal(
      policy.respond!(preflight('https://shop.example.com', 'DELETE'))?.headers[
        'access-control-allow-origin'
      ],
      undefined,
    );
    assert.equal(
      policy.respond!(preflight('https://shop.example.com', 'POST', 'x-secret'))?.headers[
        'access-control-allow-origin'
      ],
      undefined,
    );
  });

  test('ordinary requests, OPTIONS included, are not answered by the policy', () => {
    assert.equal(
      policy.respond!(
        policyRequest({ method: 'GET', headers: { origin: 'https://shop.example.com' } }),
      ),
      undefined,
    );
    assert.equal(policy.respond!(policyRequest({ method: 'OPTIONS' })), undefined);
    assert.equal(
      policy.onRequest(policyRequest({ headers: { origin: 'https://evil.io' } })),
      undefined,
    );
  });

  test('actual responses get the headers for an allowed origin and lose upstream CORS headers otherwise', () => {
    const headers: Record<string, string | string[]> = {
      'content-type': 'application/json',
      Vary: 'Accept-Encoding',
    };
    policy.onResponseHeaders!(
      policyRequest({ headers: { origin: 'http://localhost:3000' } }),
      headers,
    );
    assert.deepEqual(headers, {
      'content-type': 'application/json',
      Vary: 'Accept-Encoding, Origin',
      'access-control-allow-origin': 'http://localhost:3000',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Request-Id',
    });

    const fromUpstream: Record<string, string | string[]> = { 'Access-Control-Allow-Origin': '*' };
    policy.onResponseHeaders!(
      policyRequest({ headers: { origin: 'https://evil.io' } }),
      fromUpstream,
    );
    assert.deepEqual(fromUpstream, { vary: 'Origin' });
    const noOrigin: Record<string, string | string[]> = {};
    policy.onResponseHeaders!(policyRequest(), noOrigin);
    assert.deepEqual(noOrigin, { vary: 'Origin' });
  });

  test('"*" without credentials answers "*" and reflects requested headers', () => {
    const open = configure(corsPolicyType, { origins: ['*'] });
    const answer = open.respond!(preflight('https://anyone.example', 'PUT', 'X-Custom'));
    assert.equal(answer?.headers['access-control-allow-origin'], '*');
    assert.equal(answer?.headers['access-control-allow-headers'], 'x-custom');
    assert.equal(answer?.headers['access-control-allow-credentials'], undefined);
    const headers: Record<string, string | string[]> = {};
    open.onResponseHeaders!(
      policyRequest({ headers: { origin: 'https://anyone.example' } }),
      headers,
    );
    assert.deepEqual(headers, { 'access-control-allow-origin': '*' });
  });

  test('configuration: "*" with credentials and malformed origins are rejected', () => {
    assert.ok(
      configurationErrors(corsPolicyType, { origins: ['*'], credentials: true }).some((e) =>
        e.startsWith('origins'),
      ),
    );
    assert.ok(configurationErrors(corsPolicyType, { origins: ['shop.example.com'] }).length > 0);
    assert.ok(
      configurationErrors(corsPolicyType, { origins: ['https://shop.example.com/path'] }).length >
        0,
    );
    assert.ok(configurationErrors(corsPolicyType, { origins: [] }).length > 0);
    assert.deepEqual(
      configurationErrors(corsPolicyType, { origins: ['https://Shop.Example.com:443'] }),
      [],
    );
  });
});
