import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateConfig } from '../../src/index.js';
import { startUpstream } from '../helpers.js';
import { echoUpstream, getJson, setup } from './helpers.js';

const petstore = {
  openapi: '3.0.3',
  info: { title: 'pets', version: '1' },
  servers: [{ url: 'https://api.example.com/shop/v1' }],
  paths: {
    '/pets/{id}': {
      get: {
        responses: {
          '404': { description: 'none' },
          '200': {
            description: 'a pet',
            content: {
              'application/json': { examples: { rex: { $ref: '#/components/examples/rex' } } },
              'application/xml': { example: '<pet><name>Rex</name></pet>' },
            },
          },
        },
      },
    },
    '/pets/mine': {
      get: {
        responses: {
          '200': {
            description: 'mine',
            content: { 'application/json': { example: { mine: true } } },
          },
        },
      },
    },
    '/pets': {
      post: {
        responses: {
          '201': {
            description: 'created',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
          },
        },
      },
    },
  },
  components: {
    examples: { rex: { value: { id: 1, name: 'Rex' } } },
    schemas: { Pet: { type: 'object', example: { id: 2, name: 'New' } } },
  },
};

describe('mock responses', () => {
  it('answers from the examples of an OpenAPI document, without the upstream', async () => {
    const upstream = await echoUpstream('main');
    const { gateway, close } = await setup({
      upstreams: { main: upstream },
      policies: [{ type: 'mock', openapi: { document: petstore } }],
    });
    try {
      const json = await getJson(`${gateway.url}/shop/v1/pets/7`);
      assert.equal(json.status, 200);
      assert.deepEqual(json.body, { id: 1, name: 'Rex' });
      const xml = await getJson(`${gateway.url}/pets/7`, {
        headers: { accept: 'application/xml;q=0.9, text/html;q=0.1' },
      });
      assert.equal(xml.headers.get('content-type'), 'application/xml');
      assert.equal(xml.body, '<pet><name>Rex</name></pet>');
      assert.deepEqual((await getJson(`${gateway.url}/pets/mine`)).body, { mine: true });
      const created = await getJson(`${gateway.url}/pets`, { method: 'POST', body: '{}' });
      assert.equal(created.status, 201);
      assert.deepEqual(created.body, { id: 2, name: 'New' });
      const missing = await getJson(`${gateway.url}/owners`);
      assert.equal(missing.status, 501);
      assert.equal(missing.body.code, 'EXO_GATEWAY_NO_MOCK');
      assert.equal(upstream.hits.length, 0);
    } finally {
      await close();
    }
  });

  it('reads the document from a file at load, with a configured status, and reports a missing file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'exo-mock-'));
    const file = join(folder, 'pets.json');
    await writeFile(file, JSON.stringify(petstore));
    const { gateway, close } = await setup({
      upstreams: { main: await echoUpstream('main') },
      policies: [{ type: 'mock', openapi: { file }, status: 404 }],
    });
    try {
      const result = await getJson(`${gateway.url}/pets/3`);
      assert.equal(result.status, 404);
      assert.equal(result.body, '');
      const invalid = validateConfig({
        upstreams: [{ name: 'main', targets: [{ url: 'http://127.0.0.1:9' }] }],
        routes: [
          {
            name: 'r',
            upstream: 'main',
            match: { paths: ['/*'] },
            policies: [{ type: 'mock', openapi: { file: join(folder, 'none.yaml') } }],
          },
        ],
      });
      assert.equal(invalid.ok, false);
      if (!invalid.ok) {
        assert.equal(invalid.errors[0]!.path, '/routes/0/policies/0/openapi');
        assert.match(invalid.errors[0]!.errors[0]!, /ENOENT/);
      }
    } finally {
      await close();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('answers a static response', async () => {
    const { gateway, close } = await setup({
      upstreams: { main: await echoUpstream('main') },
      policies: [
        {
          type: 'mock',
          static: { status: 202, headers: { 'x-mocked': 'yes' }, body: { queued: true } },
        },
      ],
    });
    try {
      const result = await getJson(`${gateway.url}/anything`);
      assert.equal(result.status, 202);
      assert.equal(result.headers.get('x-mocked'), 'yes');
      assert.deepEqual(result.body, { queued: true });
    } finally {
      await close();
    }
  });
});

describe('fault phase', () => {
  it('builds a custom error body when the upstream is down', async () => {
    const down = await startUpstream('down');
    const url = down.url;
    await down.close();
    const echo = await echoUpstream('echo');
    const { gateway, close } = await setup({
      upstreams: { echo },
      policies: [],
    });
    try {
      await gateway.writeConfig({
        upstreams: [
          { name: 'down', targets: [{ url }], retries: { count: 0 } },
          { name: 'echo', targets: [{ url: echo.url }] },
        ],
        routes: [
          {
            name: 'mapped',
            match: { paths: ['/mapped'] },
            upstream: 'down',
            policies: [
              {
                type: 'jsonata',
                phase: 'fault',
                expression: '{"error": {"reason": code, "detail": message}, "retry": true}',
              },
              { type: 'set-headers', phase: 'fault', headers: { 'x-fault': 'handled' } },
              { type: 'set-headers', phase: 'response', headers: { 'x-response': 'no' } },
            ],
          },
          {
            name: 'static',
            match: { paths: ['/static'] },
            upstream: 'down',
            policies: [
              {
                type: 'mock',
                phase: 'fault',
                static: {
                  status: 503,
                  body: '<error>down</error>',
                  headers: { 'content-type': 'application/xml' },
                },
              },
            ],
          },
          {
            name: 'policy-failure',
            match: { paths: ['/policy'] },
            upstream: 'echo',
            policies: [
              { type: 'jsonata', expression: '$error("bad order")' },
              { type: 'json-to-xml', phase: 'fault', rootElement: 'fault' },
            ],
          },
        ],
      });
      assert.equal((await gateway.reload()).ok, true);
      const mapped = await getJson(`${gateway.url}/mapped`);
      assert.equal(mapped.status, 502);
      assert.equal(mapped.headers.get('x-fault'), 'handled');
      assert.equal(mapped.headers.get('x-response'), null);
      assert.equal(mapped.body.error.reason, 'EXO_GATEWAY_BAD_GATEWAY');
      assert.match(mapped.body.error.detail, /ECONNREFUSED/);
      assert.equal(mapped.body.retry, true);
      const fixed = await getJson(`${gateway.url}/static`);
      assert.equal(fixed.status, 503);
      assert.equal(fixed.headers.get('content-type'), 'application/xml');
      assert.equal(fixed.body, '<error>down</error>');
      const failed = await getJson(`${gateway.url}/policy`, { method: 'POST', body: '{}' });
      assert.equal(failed.status, 500);
      assert.match(String(failed.body), /^<\?xml.*<fault><code>EXO_GATEWAY_MAPPING_FAILED<\/code>/);
      assert.equal(echo.hits.length, 0);
    } finally {
      await close();
    }
  });
});
