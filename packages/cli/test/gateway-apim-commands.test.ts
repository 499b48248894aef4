import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { silentLogger } from '@exosphere/common';
import { startGateway, type RunningGateway } from '@exosphere/gateway';
import { runExo, type ExoRun } from './user-cluster.js';

const openapi = `openapi: 3.0.3
info: { title: Petstore, version: 1.0.0 }
paths:
  /pets:
    get: { security: [{ oauth: [pets:read] }] }
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://example.invalid/token
          scopes: { pets:read: read }
`;

let home: string;
let exoHome: string;
let upstream: Server;
let gateway: RunningGateway;

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'exo-cli-apim-gateway-'));
  exoHome = await mkdtemp(join(tmpdir(), 'exo-cli-apim-home-'));
  upstream = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ url: request.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  const configPath = join(home, 'gateway.yaml');
  await writeFile(
    configPath,
    JSON.stringify({
      upstreams: [{ name: 'backend', targets: [{ url: `http://127.0.0.1:${port}` }] }],
    }),
  );
  gateway = await startGateway({ home, configPath, logger: silentLogger() });
});

after(async () => {
  await gateway.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
  await rm(home, { recursive: true, force: true });
  await rm(exoHome, { recursive: true, force: true });
});

/** `exo ARGS --gateway-admin URL` as a child process. */
function exo(args: readonly string[]): Promise<ExoRun> {
  return runExo([...args, '--gateway-admin', gateway.adminUrl], { exoHome });
}

function ok(run: ExoRun, code = 0): ExoRun {
  assert.equal(run.code, code, `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  return run;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function json(run: ExoRun): any {
  return JSON.parse(ok(run).stdout) as unknown;
}

void test('exo api, application and subscription drive the gateway admin API end to end', async () => {
  const file = join(exoHome, 'petstore.yaml');
  await writeFile(file, openapi);
  const api = json(
    await exo(['api', 'import', file, '--context', '/pets', '--upstream', 'backend', '--json']),
  );
  assert.equal(api.created, true);
  assert.equal(api.state, 'CREATED');
  const published = ok(await exo(['api', 'publish', api.id]));
  assert.match(published.stdout, /^API Petstore 1\.0\.0 \(.+\) is PUBLISHED$/m);
  const again = ok(await exo(['api', 'publish', api.id]), 1);
  assert.match(again.stderr, /EXO_GATEWAY_LIFECYCLE_CONFLICT/);

  const application = json(
    await exo(['application', 'create', 'shop', '--owner', 'alice', '--json']),
  );
  const key = json(await exo(['application', 'key', 'create', application.id, '--json']));
  assert.match(key.key, /^key-[0-9a-f]+\./);
  const subscription = json(
    await exo([
      'subscription',
      'create',
      '--application',
      application.id,
      '--api',
      api.id,
      '--json',
    ]),
  );
  assert.equal(subscription.state, 'ACTIVE');

  const url = `${gateway.url}/pets/1.0.0/pets`;
  assert.equal((await fetch(url, { headers: { apikey: key.key } })).status, 200);
  ok(await exo(['subscription', 'block', subscription.id]));
  assert.equal((await fetch(url, { headers: { apikey: key.key } })).status, 403);
  assert.match(ok(await exo(['subscription', 'unblock', subscription.id])).stdout, /is ACTIVE/);
  assert.equal((await fetch(url, { headers: { apikey: key.key } })).status, 200);

  // Without --gateway-admin the URL comes from $EXO_HOME/endpoints.json, as `exo up` writes it.
  await writeFile(
    join(exoHome, 'endpoints.json'),
    JSON.stringify({ gateway_admin: gateway.adminUrl }),
  );
  const listed = ok(await runExo(['api', 'list'], { exoHome }));
  assert.match(listed.stdout, /^ID\s+NAME\s+VERSION\s+CONTEXT\s+STATE\s+OPERATIONS$/m);
  assert.match(listed.stdout, /Petstore\s+1\.0\.0\s+\/pets\s+PUBLISHED\s+1$/m);

  const exported = json(await exo(['api', 'export', api.id]));
  assert.deepEqual(exported.servers, [{ url: `${gateway.url}/pets/1.0.0` }]);
  const shown = ok(await exo(['api', 'show', api.id]));
  assert.match(shown.stdout, /GET\s+\/pets\s+scopes: pets:read/);

  const client = json(await exo(['application', 'client-secret', application.id, '--json']));
  const token = await fetch(`${gateway.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }).toString(),
  });
  const { access_token: accessToken } = (await token.json()) as { access_token: string };
  assert.equal(
    (await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } })).status,
    200,
  );

  const subscriptions = json(
    await exo(['subscription', 'list', '--application', application.id, '--json']),
  );
  assert.equal(subscriptions.subscriptions.length, 1);
  ok(await exo(['application', 'key', 'revoke', application.id, key.id]));
  assert.equal((await fetch(url, { headers: { apikey: key.key } })).status, 401);

  ok(await exo(['api', 'deprecate', api.id]));
  ok(await exo(['api', 'block', api.id]));
  assert.match(ok(await exo(['api', 'unblock', api.id])).stdout, /is DEPRECATED/);
  ok(await exo(['api', 'retire', api.id]));
  ok(await exo(['api', 'delete', api.id]));
  ok(await exo(['subscription', 'delete', subscription.id]), 1);
  ok(await exo(['application', 'delete', application.id]));
  assert.match(ok(await exo(['application', 'list'])).stdout, /^no applications$/m);
});

void test('exo api create takes flags, and a bad request names the field', async () => {
  const created = json(
    await exo([
      'api',
      'create',
      '--name',
      'Orders',
      '--version',
      'v1',
      '--context',
      '/orders',
      '--upstream',
      'backend',
      '--json',
    ]),
  );
  assert.equal(created.context, '/orders');
  const bad = ok(
    await exo([
      'api',
      'create',
      '--name',
      'Bad',
      '--version',
      'v1',
      '--context',
      'no-slash',
      '--upstream',
      'backend',
    ]),
    1,
  );
  assert.match(bad.stderr, /EXO_GATEWAY_APIM_INVALID/);
  assert.match(bad.stderr, /\/context:/);
  const usage = ok(await exo(['api', 'create', '--name', 'X']), 2);
  assert.match(usage.stderr, /--upstream NAME or --target URL/);
  const subscription = ok(
    await exo(['subscription', 'create', '--application', 'nope', '--api', created.id]),
    1,
  );
  assert.match(
    subscription.stderr,
    /EXO_GATEWAY_SUBSCRIPTION_NOT_ALLOWED|EXO_GATEWAY_APPLICATION_NOT_FOUND/,
  );
});
