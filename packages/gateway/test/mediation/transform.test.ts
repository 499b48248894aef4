import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startUpstream } from '../helpers.js';
import { echoUpstream, getJson, readAll, setup } from './helpers.js';

describe('JSON ↔ XML conversion', () => {
  it('converts a JSON request body to XML and the XML answer back to JSON', async () => {
    let seen = { body: '', type: '' };
    const xmlService = await startUpstream('xml', (request, response) => {
      void readAll(request).then((body) => {
        seen = { body, type: String(request.headers['content-type']) };
        const answer =
          '<?xml version="1.0"?><receipt id="7"><item sku="a1">pen</item><item sku="b2">ink</item><total>12.5</total><note>a &amp; b</note></receipt>';
        response.writeHead(200, { 'content-type': 'application/xml' });
        response.end(answer);
      });
    });
    const { gateway, close } = await setup({
      upstreams: { main: xmlService },
      policies: [
        { type: 'json-to-xml', phase: 'request' },
        { type: 'xml-to-json', phase: 'response', arrays: ['item'] },
      ],
    });
    try {
      const result = await getJson(`${gateway.url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order: { '@id': 5, item: ['pen', 'ink'], note: 'x < y' } }),
      });
      assert.equal(
        seen.body,
        '<?xml version="1.0" encoding="UTF-8"?><order id="5"><item>pen</item><item>ink</item><note>x &lt; y</note></order>',
      );
      assert.match(seen.type, /^application\/xml/);
      assert.equal(result.status, 200);
      assert.match(result.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(result.body, {
        receipt: {
          '@id': 7,
          item: [
            { '@sku': 'a1', '#text': 'pen' },
            { '@sku': 'b2', '#text': 'ink' },
          ],
          total: 12.5,
          note: 'a & b',
        },
      });
    } finally {
      await close();
    }
  });

  it('wraps a JSON value without a single root key in the root element', async () => {
    let seen = '';
    const xmlService = await startUpstream('xml', (request, response) => {
      void readAll(request).then((body) => {
        seen = body;
        response.end('ok');
      });
    });
    const { gateway, close } = await setup({
      upstreams: { main: xmlService },
      policies: [{ type: 'json-to-xml', rootElement: 'data', declaration: false }],
    });
    try {
      await getJson(`${gateway.url}/`, { method: 'POST', body: '[1,{"a":null}]' });
      assert.equal(seen, '<data><item>1</item><item><a></a></item></data>');
    } finally {
      await close();
    }
  });

  it('answers 400 with a stable code for an invalid JSON or XML request body', async () => {
    const upstream = await echoUpstream('main');
    const { gateway, close } = await setup({
      upstreams: { main: upstream },
      policies: [{ type: 'json-to-xml' }],
    });
    const xml = await setup({
      upstreams: { main: await echoUpstream('main') },
      policies: [{ type: 'xml-to-json' }],
    });
    try {
      const bad = await getJson(`${gateway.url}/`, { method: 'POST', body: '{"open": ' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'EXO_GATEWAY_INVALID_REQUEST_BODY');
      assert.match(bad.body.message, /not valid JSON/);
      const badXml = await getJson(`${xml.gateway.url}/`, { method: 'POST', body: '<a><b></a>' });
      assert.equal(badXml.status, 400);
      assert.equal(badXml.body.code, 'EXO_GATEWAY_INVALID_REQUEST_BODY');
      const entity = await getJson(`${xml.gateway.url}/`, {
        method: 'POST',
        body: '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
      });
      assert.equal(entity.status, 400);
      assert.match(entity.body.message, /DOCTYPE/);
      assert.equal(upstream.hits.length, 0);
      // A valid body still goes through.
      const good = await getJson(`${xml.gateway.url}/`, {
        method: 'POST',
        body: '<a><b>1</b></a>',
      });
      assert.equal(good.status, 200);
      assert.equal(good.body.body, '{"a":{"b":1}}');
    } finally {
      await close();
      await xml.close();
    }
  });

  it('answers 502 with a stable code when the upstream body is not valid', async () => {
    const broken = await startUpstream('broken', (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/xml' });
      response.end('<unclosed>');
    });
    const { gateway, close } = await setup({
      upstreams: { main: broken },
      policies: [{ type: 'xml-to-json', phase: 'response' }],
    });
    try {
      const result = await getJson(`${gateway.url}/`);
      assert.equal(result.status, 502);
      assert.equal(result.body.code, 'EXO_GATEWAY_INVALID_UPSTREAM_BODY');
    } finally {
      await close();
    }
  });
});

describe('headers and query parameters', () => {
  it('sets and removes request and response headers and query parameters', async () => {
    const upstream = await startUpstream('main', (request, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        server: 'internal/1.0',
        'x-echo-url': request.url ?? '',
        'x-echo-tenant': String(request.headers['x-tenant']),
        'x-echo-secret': String(request.headers['x-secret']),
      });
      response.end('{}');
    });
    const { gateway, close } = await setup({
      upstreams: { main: upstream },
      policies: [
        { type: 'set-headers', headers: { 'X-Tenant': 'blue' } },
        { type: 'remove-headers', headers: ['x-secret'] },
        { type: 'set-query', parameters: { version: '2' } },
        { type: 'remove-query', parameters: ['debug'] },
        { type: 'set-headers', phase: 'response', headers: { 'x-served-by': 'exosphere' } },
        { type: 'remove-headers', phase: 'response', headers: ['server'] },
      ],
    });
    try {
      const result = await getJson(`${gateway.url}/items?debug=1&page=3&version=1`, {
        headers: { 'x-secret': 'hunter2' },
      });
      assert.equal(result.status, 200);
      assert.equal(result.headers.get('x-echo-url'), '/items?page=3&version=2');
      assert.equal(result.headers.get('x-echo-tenant'), 'blue');
      assert.equal(result.headers.get('x-echo-secret'), 'undefined');
      assert.equal(result.headers.get('x-served-by'), 'exosphere');
      assert.equal(result.headers.get('server'), null);
    } finally {
      await close();
    }
  });

  it('runs request policies in order, then response policies in order', async () => {
    const upstream = await startUpstream('main', (request, response) => {
      response.writeHead(200, { 'x-seen': String(request.headers['x-step']) });
      response.end();
    });
    const { gateway, close } = await setup({
      upstreams: { main: upstream },
      policies: [
        { type: 'set-headers', headers: { 'x-step': 'first' } },
        { type: 'set-headers', phase: 'response', headers: { 'x-after': 'first' } },
        { type: 'set-headers', headers: { 'x-step': 'second' } },
        { type: 'set-headers', phase: 'response', headers: { 'x-after': 'second' } },
        {
          type: 'jsonata',
          phase: 'response',
          expression: '{"seen": $headers."x-seen", "after": $headers."x-after"}',
        },
      ],
    });
    try {
      const result = await getJson(`${gateway.url}/`);
      assert.equal(result.headers.get('x-seen'), 'second');
      assert.equal(result.headers.get('x-after'), 'second');
      // The mapping ran after both response header policies.
      assert.deepEqual(result.body, { seen: 'second', after: 'second' });
    } finally {
      await close();
    }
  });
});
