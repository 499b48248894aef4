import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  getJson,
  httpRequest,
  startTestGateway,
  startUpstream,
  type TestGateway,
  type Upstream,
} from './helpers.js';

let a: Upstream;
let b: Upstream;
let gateway: TestGateway;

before(async () => {
  a = await startUpstream('a');
  b = await startUpstream('b');
  gateway = await startTestGateway({
    upstreams: [
      { name: 'a', targets: [{ url: a.url }] },
      { name: 'b', targets: [{ url: b.url }] },
    ],
    routes: [
      { name: 'host-exact', match: { hosts: ['api.example.com'], paths: ['/*'] }, upstream: 'b' },
      { name: 'host-wild', match: { hosts: ['*.example.org'], paths: ['/*'] }, upstream: 'b' },
      {
        name: 'user',
        match: { paths: ['/users/{id}'] },
        rewrite: { path: '/v2/people/{id}' },
        upstream: 'b',
      },
      {
        name: 'files',
        match: { paths: ['/files/{rest*}'] },
        rewrite: { path: '/store/{rest}' },
        upstream: 'a',
      },
      {
        name: 'strip',
        match: { paths: ['/svc/*'] },
        rewrite: { stripPrefix: true },
        upstream: 'a',
      },
      { name: 'post-only', match: { paths: ['/orders'], methods: ['POST'] }, upstream: 'b' },
      { name: 'beta', match: { paths: ['/orders'], headers: { 'X-Beta': 'yes' } }, upstream: 'b' },
      { name: 'orders', match: { paths: ['/orders'] }, upstream: 'a' },
      { name: 'exact', match: { paths: ['/health'] }, upstream: 'a' },
      { name: 'api-prefix', match: { paths: ['/api/*'] }, upstream: 'a' },
    ],
  });
});

after(async () => {
  await gateway.close();
  await a.close();
  await b.close();
});

test('routes by exact and wildcard host, falling back to host-less routes', async () => {
  const exact = await httpRequest(`${gateway.url}/api/x`, { headers: { host: 'api.example.com' } });
  assert.equal(exact.body.upstream, 'b');
  const wild = await httpRequest(`${gateway.url}/anything`, {
    headers: { host: 'deep.sub.example.org:8443' },
  });
  assert.equal(wild.body.upstream, 'b');
  const other = await httpRequest(`${gateway.url}/api/x`, { headers: { host: 'other.test' } });
  assert.equal(other.body.upstream, 'a');
});

test('templates capture parameters and rewrite the path; the query is kept', async () => {
  const user = await getJson(`${gateway.url}/users/42?full=1`);
  assert.equal(user.body.url, '/v2/people/42?full=1');
  const file = await getJson(`${gateway.url}/files/a/b/c.txt`);
  assert.equal(file.body.url, '/store/a/b/c.txt');
  assert.equal((await getJson(`${gateway.url}/users/42/more`)).status, 404);
});

test('prefix routes match on segment boundaries and can strip the prefix', async () => {
  assert.equal((await getJson(`${gateway.url}/svc/inner/path`)).body.url, '/inner/path');
  assert.equal((await getJson(`${gateway.url}/svc`)).body.url, '/');
  const miss = await getJson(`${gateway.url}/apis`);
  assert.equal(miss.status, 404);
  assert.equal(miss.body.code, 'EXO_GATEWAY_NO_ROUTE');
  assert.equal((await getJson(`${gateway.url}/api`)).status, 200);
});

test('routes by method and header, in configuration order', async () => {
  assert.equal(
    (await getJson(`${gateway.url}/orders`, { method: 'POST', body: 'x' })).body.upstream,
    'b',
  );
  assert.equal(
    (await getJson(`${gateway.url}/orders`, { headers: { 'x-beta': 'yes' } })).body.upstream,
    'b',
  );
  assert.equal((await getJson(`${gateway.url}/orders`)).body.upstream, 'a');
  assert.equal((await getJson(`${gateway.url}/health`)).body.url, '/health');
  assert.equal((await getJson(`${gateway.url}/health/x`)).status, 404);
});

test('dot segments are removed before routing', async () => {
  const response = await getJson(`${gateway.url}/svc/%2e%2e/users/7`);
  assert.equal(response.body.url, '/v2/people/7');
});
