import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawClient } from './fast/raw-client.js';
import { startTestGateway } from './helpers.js';
import { nginxMissing, startNginxUpstream } from './nginx-upstream.js';

/** The status line, and the body nginx wrote: `host|request_uri|x-forwarded-host`. */
async function send(gatewayUrl: string, head: string): Promise<{ status: string; seen: string }> {
  const client = await RawClient.open(gatewayUrl);
  try {
    client.write(head);
    const received = await client.untilClosed();
    return {
      status: received.slice(0, received.indexOf('\r\n')),
      seen: received.slice(received.indexOf('\r\n\r\n') + 4).trimEnd(),
    };
  } finally {
    client.close();
  }
}

// RFC 9112 §3.2.2: with an absolute-form target the Host field is ignored and replaced by the
// target's authority; nginx likewise picks the server by the URI's host. Routes are chosen by
// that authority, the upstream gets the origin form (path and query), and a route that keeps
// the client's Host sends the authority.
for (const dataPath of ['fast', 'node'] as const) {
  describe(`absolute-form request targets, data path ${dataPath}`, { skip: nginxMissing }, () => {
    it('routes by the authority of the target, not by Host', async () => {
      const nginx = await startNginxUpstream(`
    location / {
      default_type text/plain;
      return 200 "$http_host|$request_uri|$http_x_forwarded_host\\n";
    }`);
      const gateway = await startTestGateway(
        {
          upstreams: [{ name: 'origin', targets: [{ url: nginx.url }] }],
          routes: [
            {
              name: 'api',
              match: { hosts: ['api.example.com'], paths: ['/{rest*}'] },
              rewrite: { path: '/api/{rest}' },
              upstream: 'origin',
              preserveHost: true,
            },
            { name: 'other', match: { paths: ['/*'] }, upstream: 'origin' },
          ],
        },
        { dataPath },
      );
      const upstreamHost = new URL(nginx.url).host;
      try {
        const close = 'Connection: close\r\n\r\n';
        const cases: Array<[string, string, string]> = [
          [
            `GET http://api.example.com/x?q=1 HTTP/1.1\r\nHost: other.example.com\r\n${close}`,
            'HTTP/1.1 200 OK',
            'api.example.com|/api/x?q=1|api.example.com',
          ],
          [
            `GET HTTP://API.Example.com:8080/a/b HTTP/1.1\r\nHost: other.example.com\r\n${close}`,
            'HTTP/1.1 200 OK',
            'API.Example.com:8080|/api/a/b|API.Example.com:8080',
          ],
          [
            `GET http://api.example.com HTTP/1.1\r\nHost: api.example.com\r\n${close}`,
            'HTTP/1.1 200 OK',
            'api.example.com|/api/|api.example.com',
          ],
          [
            `GET http://api.example.com?x=1 HTTP/1.1\r\nHost: api.example.com\r\n${close}`,
            'HTTP/1.1 200 OK',
            'api.example.com|/api/?x=1|api.example.com',
          ],
          [
            `GET http://api.example.com/v HTTP/1.0\r\n\r\n`,
            'HTTP/1.1 200 OK',
            'api.example.com|/api/v|api.example.com',
          ],
          [
            `GET http://other.example.com/y HTTP/1.1\r\nHost: api.example.com\r\n${close}`,
            'HTTP/1.1 200 OK',
            `${upstreamHost}|/y|other.example.com`,
          ],
        ];
        for (const [head, status, seen] of cases) {
          const answer = await send(gateway.url, head);
          assert.equal(answer.status, status, head);
          assert.equal(answer.seen, seen, head);
        }
      } finally {
        await gateway.close();
        await nginx.stop();
      }
    });

    it('refuses an authority that is empty, has user information or a bad port: 400', async () => {
      const nginx = await startNginxUpstream(`
    location / { default_type text/plain; return 200 "$request_uri\\n"; }`);
      const gateway = await startTestGateway(
        {
          upstreams: [{ name: 'origin', targets: [{ url: nginx.url }] }],
          routes: [{ name: 'all', match: { paths: ['/*'] }, upstream: 'origin' }],
        },
        { dataPath },
      );
      try {
        for (const target of [
          'http:///x',
          'http://user@api.example.com/x',
          'http://api.example.com:abc/x',
          'http://api example.com/x',
          'http://[::1/x',
          'http://api.example.com:99999999/x',
        ]) {
          const head = `GET ${target} HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n`;
          const answer = await send(gateway.url, head);
          assert.equal(answer.status.slice(0, 12), 'HTTP/1.1 400', target);
        }
      } finally {
        await gateway.close();
        await nginx.stop();
      }
    });
  });
}
