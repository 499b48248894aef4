import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import mysql from 'mysql2/promise';
import { framePayload, PacketDecoder } from '../../src/protocol/index.js';
import { eventually, startTestServer, type TestServer } from './helpers.js';
import { RawClient } from './raw-client.js';

/** Cuts bytes into chunks of the given sizes (cycled), as a socket might deliver them. */
function chunk(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  let index = 0;
  while (offset < bytes.length) {
    const size = sizes[index % sizes.length]!;
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
    index += 1;
  }
  return chunks;
}

describe('packet decoder', () => {
  it('never throws on random bytes and never yields more bytes than it received', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 4096 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }),
        (bytes, sizes) => {
          const decoder = new PacketDecoder({ maxPayloadBytes: 1024 });
          let yielded = 0;
          for (const part of chunk(bytes, sizes)) {
            for (const event of decoder.push(part)) {
              if (event.kind === 'packet') yielded += event.packet.payload.length + 4;
            }
          }
          assert.ok(yielded <= bytes.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives back framed payloads intact however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1 }),
        (payloads, sizes) => {
          const stream = Buffer.concat(
            payloads.flatMap((payload, index) => framePayload(payload, index).buffers),
          );
          const decoder = new PacketDecoder({ maxPayloadBytes: 1024 });
          const received = chunk(stream, sizes).flatMap((part) => decoder.push(part));
          assert.deepEqual(
            received.map((event) =>
              event.kind === 'packet' ? Buffer.from(event.packet.payload) : event.kind,
            ),
            payloads.map((payload) => Buffer.from(payload)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('joins payloads of 0xFFFFFF bytes and more, with the header cut anywhere', () => {
    const payload = new Uint8Array(0xffffff + 3).map((_, index) => index % 251);
    const stream = Buffer.concat(framePayload(payload, 0).buffers);
    for (const cut of [1, 2, 3, 4, 5]) {
      const decoder = new PacketDecoder({ maxPayloadBytes: 1 << 25 });
      const boundary = 4 + 0xffffff + cut;
      const events = [
        ...decoder.push(stream.subarray(0, boundary)),
        ...decoder.push(stream.subarray(boundary)),
      ];
      assert.equal(events.length, 1);
      const event = events[0]!;
      assert.ok(
        event.kind === 'packet' && Buffer.from(event.packet.payload).equals(Buffer.from(payload)),
      );
    }
  });
});

describe('random packets into a live server', () => {
  let test: TestServer;
  before(async () => {
    test = await startTestServer({ maxAllowedPacketBytes: 8192 });
  });
  after(async () => {
    await test.server.close();
  });

  const commandBytes = [
    0x01, 0x02, 0x03, 0x04, 0x09, 0x0c, 0x0e, 0x11, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x63,
  ];
  const packet = fc.tuple(fc.constantFrom(...commandBytes), fc.uint8Array({ maxLength: 64 }));

  it('keeps serving after random commands, and a fresh mysql2 connection still works', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(packet, { minLength: 1, maxLength: 20 }), async (packets) => {
        const client = await RawClient.login(test.port, { user: 'root', password: 'secret' });
        try {
          // A statement to aim the random EXECUTE/SEND_LONG_DATA/CLOSE packets at (id 1).
          client.command([0x16, ...Buffer.from('SELECT ?, ?')]);
          for (const [command, body] of packets) client.command([command, ...body]);
          // COM_QUIT ends the connection, unless an earlier packet already did.
          client.command([0x01]);
          await client.waitClosed();
        } finally {
          client.close();
        }
      }),
      { numRuns: 60 },
    );
    await eventually(() => test.server.connectionCount === 0);
    assert.deepEqual(
      test.events.filter((entry) => entry.event === 'mysql.connection_failed'),
      [],
    );
    const connection = await mysql.createConnection({
      host: '127.0.0.1',
      port: test.port,
      user: 'root',
      password: 'secret',
    });
    const [rows] = await connection.query('SELECT 1');
    assert.deepEqual(rows, [{ 1: 1 }]);
    await connection.end();
  });
});
