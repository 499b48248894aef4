import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RawClient } from './fast/raw-client.js';
import { simpleConfig, startTestGateway, startUpstream } from './helpers.js';

/** Sends the start of a head, then one more byte every 50 ms until the gateway closes. */
async function trickle(client: RawClient, start: string): Promise<void> {
  client.write(start);
  const timer = setInterval(() => client.write('x'), 50);
  try {
    // Bounded: a connection still open after this was not cut off.
    await client.untilClosed(5000);
  } finally {
    clearInterval(timer);
  }
}

// A client that sends its head a byte at a time (slowloris) keeps no connection beyond the head
// timeout (nginx: client_header_timeout), whichever stack reads the head: the fast path, the
// node:http path, or node:http after the fast path handed the connection over. The head itself
// is bounded too (16 KiB, then 431), so a stalled connection holds little memory.
describe('a head sent a byte at a time', () => {
  for (const dataPath of ['fast', 'node'] as const)
    it(`is cut off after the head timeout, data path ${dataPath}`, async () => {
      const upstream = await startUpstream('never');
      const gateway = await startTestGateway(simpleConfig([upstream.url]), {
        dataPath,
        headTimeoutMs: 300,
      });
      try {
        const client = await RawClient.open(gateway.url);
        await trickle(client, 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
        // Closed without an answer (not a 400 for a head that was only slow), and nothing
        // went upstream.
        assert.equal(client.received, '');
        assert.equal(upstream.hits.length, 0);
      } finally {
        await gateway.close();
        await upstream.close();
      }
    });

  it('is cut off on a connection the fast path handed to node:http', async () => {
    const upstream = await startUpstream('mediated');
    // A route with a mediation policy is served by node:http: its request hands the connection
    // over, and node:http reads every later head on it.
    const config = simpleConfig([upstream.url], {}, [
      {
        name: 'mediated',
        match: { paths: ['/*'] },
        upstream: 'backend',
        policies: [{ type: 'set-headers', phase: 'response', headers: { 'x-mediated': '1' } }],
      },
    ]);
    const gateway = await startTestGateway(config, { dataPath: 'fast', headTimeoutMs: 300 });
    try {
      const client = await RawClient.open(gateway.url);
      client.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\n');
      await client.until((received) => received.includes('"upstream":"mediated"'));
      await trickle(client, 'GET /second HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      assert.equal(upstream.hits.length, 1);
    } finally {
      await gateway.close();
      await upstream.close();
    }
  });
});
