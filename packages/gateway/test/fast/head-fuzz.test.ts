import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRequestHead } from '../../src/proxy/fast/request-head.js';
import { parseResponseHead } from '../../src/proxy/fast/response-head.js';

/** A small seeded generator (mulberry32), so a failure can be replayed from its seed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bytes that matter to head parsing, and any byte at all. */
const interesting = [13, 10, 58, 32, 9, 0, 127, 44, 0x80, 0xff, 65, 97];

function mutate(base: Buffer, random: () => number): Buffer {
  const bytes = [...base];
  const edits = 1 + Math.floor(random() * 4);
  for (let edit = 0; edit < edits; edit++) {
    const at = Math.floor(random() * (bytes.length + 1));
    const byte =
      random() < 0.7
        ? interesting[Math.floor(random() * interesting.length)]!
        : Math.floor(random() * 256);
    const kind = random();
    if (kind < 0.4) bytes.splice(at, 0, byte);
    else if (kind < 0.7) bytes.splice(at, 1);
    else bytes[Math.min(at, bytes.length - 1)] = byte;
  }
  return Buffer.from(bytes);
}

/** Every relayed line is `name: value` with a token name and no CR, LF or NUL inside. */
function assertSafeLines(relay: string, context: string): void {
  assert.ok(relay === '' || relay.endsWith('\r\n'), context);
  for (const line of relay.slice(0, -2).split('\r\n')) {
    if (relay === '') break;
    assert.match(line, /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[^\r\n\0]*$/, context);
  }
}

const hopByHop =
  /^(connection|keep-alive|te|trailer|transfer-encoding|upgrade|proxy-connection|proxy-authorization|proxy-authenticate):/im;

describe('fast path heads under mutation', () => {
  const responseBase = Buffer.from(
    'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: keep-alive, X-Hop\r\n' +
      'X-Hop: 1\r\nKeep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=b\r\n\r\nhello',
    'latin1',
  );
  const requestBase = Buffer.from(
    'POST /a?b=c HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\nConnection: X-Private\r\n' +
      'X-Private: 1\r\nX-Forwarded-For: 10.0.0.1\r\nApiKey: k\r\nCookie: a=b\r\n\r\nabc',
    'latin1',
  );

  it('never throws on a mutated response head, and relays only safe end-to-end lines', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const input = mutate(responseBase, generator(seed));
      const context = `seed ${seed}: ${JSON.stringify(input.toString('latin1'))}`;
      const head = parseResponseHead(input, 0, {
        bodiless: false,
        headBytesMax: 4096,
        fieldsMax: 50,
      });
      if (head === undefined || typeof head === 'string') continue;
      assertSafeLines(head.relay, context);
      assert.doesNotMatch(head.relay, hopByHop, context);
      assert.ok(head.headBytes <= input.length, context);
    }
  });

  it('never throws on a mutated request head, and relays only safe lines', () => {
    const limits = { headBytesMax: 4096, fieldsMax: 50, headTimeoutMs: 1000 };
    for (let seed = 1; seed <= 3000; seed++) {
      const input = mutate(requestBase, generator(seed));
      const context = `seed ${seed}: ${JSON.stringify(input.toString('latin1'))}`;
      const head = parseRequestHead(input, 0, limits);
      if (head === undefined || 'status' in head || 'unusual' in head) continue;
      assertSafeLines(head.relay, context);
      assert.doesNotMatch(head.relay, hopByHop, context);
      assert.doesNotMatch(
        head.relay,
        /^(host|x-forwarded-(for|proto|host)|traceparent|expect):/im,
        context,
      );
    }
  });
});
