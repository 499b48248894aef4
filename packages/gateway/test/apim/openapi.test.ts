import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readOpenApi } from '../../src/apim/openapi.js';
import { call, petstoreDocument, startApim, type ApimSetup } from './helpers.js';

const yamlDocument = `openapi: 3.1.0
info:
  title: Inventory
  version: "2.0"
  description: Stock levels
servers:
  - url: "{scheme}://127.0.0.1:{port}/base"
    variables:
      scheme: { default: http }
      port: { default: "PORT" }
paths:
  /items/{sku}:
    get:
      x-throttling-tier: Tiny
      security:
        - oauth: [stock:read]
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://example.invalid/token
          scopes:
            stock:read: read stock
`;

describe('OpenAPI documents', () => {
  it('reports every error with its JSON path', () => {
    const result = readOpenApi({
      openapi: '2.0',
      info: { title: 'x' },
      paths: {
        pets: {},
        '/pets/{id': {},
        '/pets/{id}': {
          get: { security: [{ missing: [] }] },
          post: { security: [{ oauth: ['pets:delete'] }], 'x-throttling-tier': 5 },
        },
      },
      components: {
        securitySchemes: {
          oauth: { type: 'oauth2', flows: { clientCredentials: { scopes: { 'pets:read': '' } } } },
          odd: { type: 'magic' },
        },
      },
      servers: [{ description: 'no url' }],
    });
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.errors.map((error) => error.path),
      [
        '/openapi',
        '/info/version',
        '/components/securitySchemes/odd/type',
        '/paths/pets',
        '/paths/~1pets~1{id',
        '/paths/~1pets~1{id}/get/security/0/missing',
        '/paths/~1pets~1{id}/post/security/0/oauth/0',
        '/paths/~1pets~1{id}/post/x-throttling-tier',
        '/servers/0/url',
      ],
    );
  });

  it('reads operations, scopes, tiers and the server of a valid document', () => {
    const result = readOpenApi(petstoreDocument());
    assert.ok(result.ok);
    assert.deepEqual(
      result.summary.operations.map((operation) => [
        operation.method,
        operation.path,
        operation.scopes,
      ]),
      [
        ['GET', '/pets', ['pets:read']],
        ['POST', '/pets', ['pets:write']],
        ['GET', '/pets/{petId}', ['pets:read']],
        ['GET', '/health', []],
      ],
    );
  });

  describe('through the admin API', () => {
    let setup: ApimSetup;
    before(async () => {
      setup = await startApim();
    });
    after(() => setup.close());

    it('imports YAML, takes the endpoint from servers, and updates on a second import', async () => {
      const port = new URL(setup.upstream.url).port;
      const text = yamlDocument.replace('PORT', port);
      const imported = await call(`${setup.gateway.adminUrl}/apis/import?context=/inventory`, {
        method: 'POST',
        headers: { 'content-type': 'application/yaml' },
        raw: text,
      });
      assert.equal(imported.status, 201, JSON.stringify(imported.body));
      assert.equal(imported.body.created, true);
      assert.equal(imported.body.name, 'Inventory');
      assert.equal(imported.body.version, '2.0');
      assert.equal(imported.body.description, 'Stock levels');
      assert.deepEqual(imported.body.endpoint, {
        targets: [{ url: setup.upstream.url }],
        basePath: '/base',
      });
      assert.deepEqual(imported.body.operations, [
        { method: 'GET', path: '/items/{sku}', scopes: ['stock:read'], tier: 'Tiny' },
      ]);
      const again = await call(`${setup.gateway.adminUrl}/apis/import`, {
        method: 'POST',
        raw: text.replace('Stock levels', 'Stock levels, revised'),
      });
      assert.equal(again.status, 200);
      assert.equal(again.body.created, false);
      assert.equal(again.body.id, imported.body.id);
      assert.equal(again.body.description, 'Stock levels, revised');

      // The server's path is the upstream base path.
      const id: string = imported.body.id;
      await setup.admin('POST', `/apis/${id}/lifecycle`, { action: 'publish' });
      const application = await setup.admin('POST', '/applications', { name: 'reader' });
      const key = await setup.admin('POST', `/applications/${application.body.id}/keys`);
      await setup.admin('POST', '/subscriptions', {
        applicationId: application.body.id,
        apiId: id,
      });
      const answer = await call(`${setup.gateway.url}/inventory/2.0/items/sku-1?full=1`, {
        headers: { apikey: key.body.key },
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.url, '/base/items/sku-1?full=1');
    });

    it('answers an invalid import with 422 and the paths of the errors', async () => {
      const document = petstoreDocument();
      (document.paths as Record<string, unknown>)['/pets/{petId}'] = {
        get: { security: [{ oauth: ['pets:eat'] }] },
      };
      const answer = await call(`${setup.gateway.adminUrl}/apis/import?upstream=backend`, {
        method: 'POST',
        body: document,
      });
      assert.equal(answer.status, 422);
      assert.equal(answer.body.code, 'EXO_GATEWAY_OPENAPI_INVALID');
      assert.deepEqual(answer.body.details, [
        {
          path: '/paths/~1pets~1{petId}/get/security/0/oauth/0',
          errors: ["scope 'pets:eat' is not declared by the flows of 'oauth'"],
        },
      ]);
      const broken = await call(`${setup.gateway.adminUrl}/apis/import`, {
        method: 'POST',
        raw: 'openapi: [unclosed',
      });
      assert.equal(broken.status, 422);
      assert.equal(broken.body.details[0].path, '/');
      const nested = await setup.admin('POST', '/apis', {
        context: '/nested',
        endpoint: { upstream: 'backend' },
        openapi: { openapi: '3.0.3', info: { title: 'Nested', version: '1' }, paths: { bad: {} } },
      });
      assert.equal(nested.status, 422);
      assert.equal(nested.body.details[0].path, '/openapi/paths/bad');
    });

    it('exports the stored document with the gateway as its server (round trip)', async () => {
      const document = petstoreDocument('3.0.0');
      const created = await setup.admin('POST', '/apis', {
        context: '/pets',
        endpoint: { upstream: 'backend' },
        openapi: document,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const exported = await setup.admin('GET', `/apis/${created.body.id}/openapi`);
      assert.equal(exported.status, 200);
      assert.deepEqual(exported.body, {
        ...document,
        servers: [{ url: `${setup.gateway.url}/pets/3.0.0` }],
      });
      // Importing the export again changes nothing but the timestamps.
      const reimported = await call(`${setup.gateway.adminUrl}/apis/${created.body.id}/openapi`, {
        method: 'PUT',
        body: exported.body,
      });
      assert.equal(reimported.status, 200);
      assert.deepEqual(reimported.body.operations, created.body.operations);
      const second = await setup.admin('GET', `/apis/${created.body.id}/openapi`);
      assert.deepEqual(second.body, exported.body);
    });

    it('generates a document for an API made without one', async () => {
      const created = await setup.admin('POST', '/apis', {
        name: 'Plain',
        version: '1',
        context: '/plain',
        endpoint: { upstream: 'backend' },
        operations: [{ method: 'GET', path: '/things', scopes: ['things:read'] }],
      });
      const exported = await setup.admin('GET', `/apis/${created.body.id}/openapi`);
      assert.equal(exported.body.openapi, '3.0.3');
      assert.deepEqual(Object.keys(exported.body.paths), ['/things']);
      assert.equal(
        exported.body.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl,
        `${setup.gateway.url}/oauth2/token`,
      );
      assert.ok(readOpenApi(exported.body).ok, 'the generated document reads back');
    });
  });
});
