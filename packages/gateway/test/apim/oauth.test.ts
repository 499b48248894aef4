import assert from 'node:assert/strict';
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { call, publishedPetstore, requestToken, startApim, type ApimSetup } from './helpers.js';

/** Verifies an ES256/RS256 JWT against a JWK Set with node:crypto only, as a client would. */
function verifyJwt(token: string, jwks: { keys: JsonWebKey[] }): Record<string, unknown> {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const decoded = JSON.parse(Buffer.from(header, 'base64url').toString()) as {
    alg: string;
    kid: string;
    typ: string;
  };
  assert.equal(decoded.typ, 'at+jwt');
  const jwk = jwks.keys.find((key) => key.kid === decoded.kid);
  assert.ok(jwk, `the JWKS publishes kid ${decoded.kid}`);
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const valid = verify(
    decoded.alg === 'ES256' ? 'sha256' : 'sha256',
    Buffer.from(`${header}.${payload}`),
    decoded.alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key,
    Buffer.from(signature, 'base64url'),
  );
  assert.ok(valid, 'the signature verifies against the JWKS');
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
}

for (const algorithm of ['ES256', 'RS256'] as const) {
  describe(`the OAuth 2.0 client credentials flow (${algorithm})`, () => {
    let setup: ApimSetup;
    let ids: Awaited<ReturnType<typeof publishedPetstore>>;
    before(async () => {
      setup = await startApim({ apim: { signingAlgorithm: algorithm } });
      ids = await publishedPetstore(setup);
    });
    after(() => setup.close());

    it('issues a JWT that verifies against the JWKS and calls the API', async () => {
      const token = await requestToken(setup, {
        clientId: ids.applicationId,
        clientSecret: ids.clientSecret,
      });
      assert.equal(token.status, 200, JSON.stringify(token.body));
      assert.equal(token.body.token_type, 'Bearer');
      assert.equal(token.body.expires_in, 3600);
      assert.equal(token.headers.get('cache-control'), 'no-store');
      // Without a scope parameter the client gets every scope its subscriptions allow.
      assert.equal(token.body.scope, 'pets:read pets:write');
      const jwks = await call(`${setup.gateway.url}/oauth2/jwks`);
      assert.equal(jwks.status, 200);
      assert.equal(jwks.headers.get('content-type'), 'application/jwk-set+json');
      const wellKnown = await call(`${setup.gateway.url}/.well-known/jwks.json`);
      assert.deepEqual(wellKnown.body, jwks.body);
      const claims = verifyJwt(token.body.access_token as string, jwks.body);
      assert.equal(claims.iss, setup.gateway.url);
      assert.equal(claims.aud, setup.gateway.url);
      assert.equal(claims.sub, ids.applicationId);
      assert.equal(claims.client_id, ids.applicationId);
      assert.equal(claims.scope, 'pets:read pets:write');
      assert.equal(typeof claims.jti, 'string');
      assert.equal((claims.exp as number) - (claims.iat as number), 3600);
      const answer = await call(`${setup.gateway.url}/petstore/1.0.0/pets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.body.access_token}` },
        raw: '{}',
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    });

    it('authenticates the client with form fields too, and answers RFC 6749 §5.2 errors', async () => {
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: ids.applicationId,
        client_secret: ids.clientSecret,
        scope: 'pets:read',
      });
      const viaForm = await call(`${setup.gateway.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        raw: form.toString(),
      });
      assert.equal(viaForm.status, 200);
      assert.equal(viaForm.body.scope, 'pets:read');
      const wrong = await requestToken(setup, {
        clientId: ids.applicationId,
        clientSecret: 'nope',
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error, 'invalid_client');
      assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic realm=/);
      const beyond = await requestToken(setup, {
        clientId: ids.applicationId,
        clientSecret: ids.clientSecret,
        scope: 'admin:all',
      });
      assert.equal(beyond.status, 400);
      assert.equal(beyond.body.error, 'invalid_scope');
    });

    it('limits grantable scopes to the APIs the application is actively subscribed to', async () => {
      await setup.admin('PATCH', `/subscriptions/${ids.subscriptionId}`, { state: 'BLOCKED' });
      const token = await requestToken(setup, {
        clientId: ids.applicationId,
        clientSecret: ids.clientSecret,
        scope: 'pets:read',
      });
      assert.equal(token.status, 400);
      assert.equal(token.body.error, 'invalid_scope');
      await setup.admin('PATCH', `/subscriptions/${ids.subscriptionId}`, { state: 'ACTIVE' });
    });

    it('rotates the signing key and keeps tokens of the old key valid', async () => {
      const old = await requestToken(setup, {
        clientId: ids.applicationId,
        clientSecret: ids.clientSecret,
      });
      const rotated = await setup.admin('POST', '/oauth2/keys/rotate');
      assert.equal(rotated.status, 200);
      assert.notEqual(rotated.body.kid, rotated.body.retiredKid);
      const jwks = await call(`${setup.gateway.url}/oauth2/jwks`);
      const kids = (jwks.body.keys as JsonWebKey[]).map((key) => key.kid);
      assert.deepEqual(kids, [rotated.body.kid, rotated.body.retiredKid]);
      const fresh = await requestToken(setup, {
        clientId: ids.applicationId,
        clientSecret: ids.clientSecret,
      });
      const header = (token: string): { kid: string } =>
        JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string };
      assert.equal(header(fresh.body.access_token as string).kid, rotated.body.kid);
      assert.equal(header(old.body.access_token as string).kid, rotated.body.retiredKid);
      verifyJwt(old.body.access_token as string, jwks.body);
      for (const token of [old, fresh]) {
        const answer = await call(`${setup.gateway.url}/petstore/1.0.0/pets`, {
          headers: { authorization: `Bearer ${token.body.access_token}` },
        });
        assert.equal(answer.status, 200);
      }
    });

    it('makes a rotated client secret the only one that works', async () => {
      const rotated = await setup.admin('POST', `/applications/${ids.applicationId}/oauth-client`);
      assert.equal(rotated.status, 201);
      assert.equal(rotated.body.clientId, ids.applicationId);
      assert.equal(rotated.body.tokenUrl, `${setup.gateway.url}/oauth2/token`);
      const old = await requestToken(setup, {
        clientId: ids.applicationId,
        clientSecret: ids.clientSecret,
      });
      assert.equal(old.status, 401);
      const fresh = await requestToken(setup, {
        clientId: ids.applicationId,
        clientSecret: rotated.body.clientSecret as string,
      });
      assert.equal(fresh.status, 200);
      ids = { ...ids, clientSecret: rotated.body.clientSecret as string };
    });
  });
}
