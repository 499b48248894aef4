import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { httpRequest, simpleConfig, startTestGateway } from './helpers.js';

interface ClosingUpstream {
  readonly url: string;
  /** Connections accepted, and requests answered. */
  readonly counts: { connections: number; answered: number; dropped: number };
  close(): Promise<void>;
}

/**
 * An upstream that answers the first request of each connection with a keep-alive response
 * and drops the connection when a second request arrives on it, before any byte of answer:
 * the race of a keep-alive timeout on the upstream's side, made certain. `how` says whether it
 * resets (RST) or ends (FIN) the connection.
 */
async function startClosingUpstream(how: 'reset' | 'end'): Promise<ClosingUpstream> {
  const counts = { connections: 0, answered: 0, dropped: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    counts.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let received = '';
    let served = false;
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      if (served) {
        counts.dropped++;
        if (how === 'reset') socket.resetAndDestroy();
        else socket.end();
        return;
      }
      const length = /\r\ncontent-length: *(\d+)/i.exec(received.slice(0, headEnd));
      if (received.length < headEnd + 4 + Number(length?.[1] ?? 0)) return;
      served = true;
      counts.answered++;
      const head = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=30\r\n\r\n';
      socket.write(received.startsWith('HEAD ') ? head : `${head}ok`);
      received = '';
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// A keep-alive connection the upstream closed while the gateway was sending on it: the request
// was never processed, so an idempotent one goes again on a fresh connection to the same target,
// without using up a retry or counting against the target's health (as nginx gives the try back
// for a cached connection). A request whose body already streamed, or a POST, is not replayed.
for (const dataPath of ['fast', 'node'] as const) {
  for (const how of ['reset', 'end'] as const) {
    describe(`a stale upstream connection (${how}), data path ${dataPath}`, () => {
      it('idempotent requests go again on a fresh connection, one target, no retries', async () => {
        const upstream = await startClosingUpstream(how);
        // One failure would eject the only target: a stale connection must not count.
        const config = simpleConfig([upstream.url], {
          retries: { count: 0 },
          healthCheck: { passive: { failuresMax: 1, ejectMs: 60_000 } },
        });
        const gateway = await startTestGateway(config, { dataPath });
        try {
          for (let i = 0; i < 20; i++) {
            const method = ['GET', 'HEAD', 'DELETE', 'OPTIONS'][i % 4]!;
            const answer = await httpRequest(`${gateway.url}/item/${i}`, { method });
            assert.equal(answer.status, 200, `${method} #${i}: ${JSON.stringify(answer.body)}`);
          }
          assert.equal(upstream.counts.answered, 20);
          assert.ok(upstream.counts.dropped >= 1, 'no connection was reused');
        } finally {
          await gateway.close();
          await upstream.close();
        }
      });

      it('with requests waiting for the connection limit, every one is answered', async () => {
        const upstream = await startClosingUpstream(how);
        const gateway = await startTestGateway(simpleConfig([upstream.url], { socketsMax: 2 }), {
          dataPath,
        });
        try {
          for (let round = 0; round < 4; round++) {
            const answers = await Promise.all(
              Array.from({ length: 8 }, (_, i) => httpRequest(`${gateway.url}/r${round}/${i}`)),
            );
            assert.deepEqual(
              answers.map((answer) => answer.status),
              Array.from({ length: 8 }, () => 200),
            );
          }
          assert.equal(upstream.counts.answered, 32);
          assert.ok(upstream.counts.dropped >= 1, 'no connection was reused');
        } finally {
          await gateway.close();
          await upstream.close();
        }
      });

      it('a POST, or a request whose body streamed, is not sent again: 502', async () => {
        const upstream = await startClosingUpstream(how);
        const gateway = await startTestGateway(simpleConfig([upstream.url]), { dataPath });
        try {
          for (const request of [
            { method: 'POST', body: 'data' },
            { method: 'POST' },
            { method: 'PUT', body: 'data' },
          ]) {
            const warm = await httpRequest(`${gateway.url}/warm`);
            assert.equal(warm.status, 200);
            const answered = upstream.counts.answered;
            const answer = await httpRequest(`${gateway.url}/write`, request);
            assert.equal(answer.status, 502, JSON.stringify(request));
            assert.equal(answer.body.code, 'EXO_GATEWAY_BAD_GATEWAY');
            assert.equal(upstream.counts.answered, answered, 'the request went again');
          }
        } finally {
          await gateway.close();
          await upstream.close();
        }
      });
    });
  }
}

// A mediated route buffers a body that a policy reads: such a body can be replayed, so a PUT
// with one goes again too (as nginx, which buffers request bodies, does); a POST still does not.
for (const how of ['reset', 'end'] as const) {
  describe(`a stale upstream connection (${how}), mediated route`, () => {
    it('a buffered PUT goes again on a fresh connection; a POST does not', async () => {
      const upstream = await startClosingUpstream(how);
      const config = simpleConfig(
        [upstream.url],
        { retries: { count: 0 }, healthCheck: { passive: { failuresMax: 1, ejectMs: 60_000 } } },
        [
          {
            name: 'mediated',
            match: { paths: ['/*'] },
            upstream: 'backend',
            policies: [{ type: 'jsonata', expression: '$' }],
          },
        ],
      );
      const gateway = await startTestGateway(config);
      try {
        const json = { 'content-type': 'application/json' };
        for (let i = 0; i < 6; i++) {
          const method = i % 2 === 0 ? 'GET' : 'PUT';
          const body = method === 'PUT' ? JSON.stringify({ i }) : undefined;
          const answer = await httpRequest(`${gateway.url}/item/${i}`, {
            method,
            headers: json,
            ...(body === undefined ? {} : { body }),
          });
          assert.equal(answer.status, 200, `${method} #${i}: ${JSON.stringify(answer.body)}`);
        }
        assert.ok(upstream.counts.dropped >= 1, 'no connection was reused');
        const answered = upstream.counts.answered;
        const post = await httpRequest(`${gateway.url}/orders`, {
          method: 'POST',
          headers: json,
          body: '{}',
        });
        assert.equal(post.status, 502);
        assert.equal(upstream.counts.answered, answered, 'the POST went again');
      } finally {
        await gateway.close();
        await upstream.close();
      }
    });
  });
}
