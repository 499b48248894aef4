import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { silentLogger } from '@exosphere/common';
import type { FastHandlerOptions } from '../../src/proxy/fast/fast-handler.js';
import { createFastServer } from '../../src/proxy/fast/fast-server.js';

describe('fast path: idle client connections', () => {
  it(
    'closes a connection that sends nothing for the idle timeout, not before',
    { timeout: 10_000 },
    async () => {
      // No request is ever sent here, so the handler is never called: only its logger is given.
      const handler = { logger: silentLogger() } as unknown as FastHandlerOptions;
      const fast = createFastServer({
        httpServer: createHttpServer(),
        handler,
        idleTimeoutMs: 300,
      });
      const url = new URL(await fast.listen('127.0.0.1', 0));
      try {
        const startedMs = performance.now();
        const socket = connect(Number(url.port), url.hostname);
        const closedAfterMs = await new Promise<number>((resolve, reject) => {
          socket.on('error', reject);
          socket.on('close', () => resolve(performance.now() - startedMs));
          socket.resume();
        });
        assert.ok(closedAfterMs >= 250, `closed after ${closedAfterMs} ms`);
      } finally {
        await fast.close();
      }
    },
  );

  it('keeps a connection that is busy past the idle timeout', async () => {
    const handler = { logger: silentLogger() } as unknown as FastHandlerOptions;
    const fast = createFastServer({ httpServer: createHttpServer(), handler, idleTimeoutMs: 200 });
    const url = new URL(await fast.listen('127.0.0.1', 0));
    try {
      const socket = connect(Number(url.port), url.hostname);
      let closed = false;
      socket.on('close', () => (closed = true));
      await new Promise((resolve) => socket.once('connect', resolve));
      // Bytes of a head that is never finished, every 50 ms for 600 ms: never idle that long.
      for (let index = 0; index < 12; index++) {
        socket.write(index === 0 ? 'GET / HTTP/1.1\r\n' : 'x-a: b\r\n');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(closed, false);
      socket.destroy();
    } finally {
      await fast.close();
    }
  });
});
