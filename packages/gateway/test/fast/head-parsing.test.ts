import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkedDecoder } from '../../src/proxy/fast/chunked-decoder.js';
import { parseRequestHead, type HeadOutcome } from '../../src/proxy/fast/request-head.js';
import { parseResponseHead } from '../../src/proxy/fast/response-head.js';

const limits = { headBytesMax: 1024, fieldsMax: 20, headTimeoutMs: 1000 };

function parse(text: string): HeadOutcome {
  return parseRequestHead(Buffer.from(text, 'latin1'), 0, limits);
}

/** The status of a refused head, 'unusual', 'incomplete', or the framing of a valid one. */
function verdict(text: string): string {
  const outcome = parse(text);
  if (outcome === undefined) return 'incomplete';
  if ('status' in outcome) return String(outcome.status);
  if ('unusual' in outcome) return 'unusual';
  const { framing } = outcome;
  return framing.kind === 'length' ? `length ${framing.bytes}` : framing.kind;
}

describe('request heads (RFC 9112)', () => {
  const cases: Array<[string, string, string]> = [
    ['a plain GET', 'GET / HTTP/1.1\r\nHost: a\r\n\r\n', 'none'],
    ['Content-Length', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\n', 'length 12'],
    ['Content-Length 0', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n', 'none'],
    ['chunked', 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n', 'chunked'],
    ['leading empty lines are skipped (§2.2)', '\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n', 'none'],
    ['an incomplete head', 'GET / HTTP/1.1\r\nHost: a\r\n', 'incomplete'],
    ['HTTP/1.0 without Host', 'GET / HTTP/1.0\r\n\r\n', 'none'],
    // Request smuggling (§6.1, §6.3): every ambiguity is refused.
    [
      'Content-Length and Transfer-Encoding',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n',
      '400',
    ],
    [
      'two Content-Length fields',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n',
      '400',
    ],
    [
      'two equal Content-Length fields',
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n',
      '400',
    ],
    ['a Content-Length list', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n', '400'],
    ['a signed Content-Length', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n', '400'],
    [
      'Transfer-Encoding in HTTP/1.0',
      'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n',
      '400',
    ],
    [
      'a final coding other than chunked',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n',
      '400',
    ],
    [
      'an obfuscated chunked',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n',
      '400',
    ],
    [
      'gzip then chunked (valid, left to node:http)',
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n',
      'unusual',
    ],
    ['obs-fold (§5.2)', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n 2\r\n\r\n', '400'],
    ['space before the colon (§5.1)', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n', '400'],
    ['a bare LF', 'GET / HTTP/1.1\nHost: a\r\n\r\n', '400'],
    ['a control character in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: \x01\r\n\r\n', '400'],
    ['no Host in HTTP/1.1 (§3.2)', 'GET / HTTP/1.1\r\nX-A: 1\r\n\r\n', '400'],
    ['two Host fields (§3.2)', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', '400'],
    ['garbage', 'GARBAGE\r\n\r\n', '400'],
    ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n', '400'],
    [
      'HTTP/2.0 on an HTTP/1 connection (RFC 9110 §2.5)',
      'GET / HTTP/2.0\r\nHost: a\r\n\r\n',
      '505',
    ],
    [
      'a head over the limit',
      `GET / HTTP/1.1\r\nHost: a\r\nX-A: ${'a'.repeat(1100)}\r\n\r\n`,
      '431',
    ],
    ['an unfinished head over the limit', `GET / HTTP/1.1\r\nX-A: ${'a'.repeat(1100)}`, '431'],
    ['too many fields', `GET / HTTP/1.1\r\nHost: a\r\n${'X-A: 1\r\n'.repeat(25)}\r\n`, '431'],
  ];
  for (const [name, text, expected] of cases)
    it(name, () => assert.equal(verdict(text), expected, JSON.stringify(text)));

  it('keeps node:http’s header object rules and the connection semantics', () => {
    const head = parse(
      'GET /x?y=1 HTTP/1.1\r\nHost: a\r\nHost2: b\r\nAccept: a\r\nAccept: b\r\nCookie: c=1\r\nCookie: d=2\r\nSet-Cookie: e\r\nConnection: close\r\n\r\n',
    );
    assert.ok(head && 'headers' in head);
    assert.equal(head.target, '/x?y=1');
    assert.equal(head.headers.accept, 'a, b');
    assert.equal(head.headers.cookie, 'c=1; d=2');
    assert.deepEqual(head.headers['set-cookie'], ['e']);
    assert.equal(head.keepAlive, false);
    const old = parse('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    assert.ok(old && 'keepAlive' in old);
    assert.equal(old.keepAlive, true);
    const oldClose = parse('GET / HTTP/1.0\r\n\r\n');
    assert.ok(oldClose && 'keepAlive' in oldClose);
    assert.equal(oldClose.keepAlive, false);
  });
});

describe('chunked coding (RFC 9112 §7.1)', () => {
  function decode(parts: readonly string[]): { data: string; end: number; fault?: string } {
    const decoder = new ChunkedDecoder();
    let data = '';
    let end = 0;
    for (const part of parts) {
      end = decoder.feed(Buffer.from(part, 'latin1'), 0, (piece) => (data += piece.toString()));
      if (end < 0) return { data, end, fault: decoder.fault ?? '' };
    }
    return { data, end: decoder.done ? end : -2 };
  }

  it('decodes chunks split anywhere, skips extensions and trailers, stops at the end', () => {
    const message = '5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT';
    for (let split = 1; split < message.length - 4; split++) {
      const result = decode([message.slice(0, split), message.slice(split)]);
      assert.equal(result.data, 'hello world', `split at ${split}`);
      assert.equal(result.end, message.length - split - 4, `split at ${split}`);
    }
  });

  const invalid: Array<[string, string]> = [
    ['a size that is not hex', 'zz\r\nhello\r\n0\r\n\r\n'],
    ['a negative size', '-5\r\nhello\r\n0\r\n\r\n'],
    ['a size over 2^53', '1000000000000000\r\n'],
    ['data longer than its size', '3\r\nhello\r\n0\r\n\r\n'],
    ['a bare LF after the size', '5\nhello\r\n0\r\n\r\n'],
    ['an empty size', '\r\nhello\r\n0\r\n\r\n'],
  ];
  for (const [name, text] of invalid)
    it(`refuses ${name}`, () => assert.equal(decode([text]).end, -1));
});

describe('response heads', () => {
  const options = { bodiless: false, headBytesMax: 1024, fieldsMax: 20 };
  function response(text: string, bodiless = false): ReturnType<typeof parseResponseHead> {
    return parseResponseHead(Buffer.from(text, 'latin1'), 0, { ...options, bodiless });
  }

  it('frames bodies by length, chunked, close, or none', () => {
    const framing = (text: string, bodiless = false): string => {
      const head = response(text, bodiless);
      return typeof head === 'object' ? `${head.framing} ${head.keepAlive}` : String(head);
    };
    assert.equal(framing('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n'), 'length true');
    assert.equal(framing('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'), 'chunked true');
    assert.equal(framing('HTTP/1.1 200 OK\r\n\r\n'), 'close false');
    assert.equal(framing('HTTP/1.1 204 No Content\r\n\r\n'), 'none true');
    assert.equal(framing('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n', true), 'none true');
    assert.equal(framing('HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n'), 'length false');
    assert.equal(
      framing('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n'),
      'an invalid Content-Length',
    );
    assert.equal(framing('HTTP/1.1 OK\r\n\r\n'), 'an invalid status line');
  });
});

describe('relayed field lines', () => {
  it('relays a request’s own fields as received, without hop-by-hop and gateway-written ones', () => {
    const head = parse(
      'GET / HTTP/1.1\r\nHost: a\r\nX-One: 1\r\nConnection: keep-alive, X-Private\r\n' +
        'Keep-Alive: timeout=5\r\nx-private: secret\r\nAccept: */*\r\nX-Forwarded-For: 10.0.0.1\r\n' +
        'TraceParent: 00-x\r\nProxy-Authorization: Basic x\r\nx-one: 2\r\nExpect: 100-continue\r\n\r\n',
    );
    assert.ok(head !== undefined && 'relay' in head);
    assert.equal(head.relay, 'X-One: 1\r\nAccept: */*\r\nx-one: 2\r\n');
    // The record policies read still has every field.
    assert.equal(head.headers['x-forwarded-for'], '10.0.0.1');
  });

  it('relays a response’s end-to-end fields as received', () => {
    const head = parseResponseHead(
      Buffer.from(
        'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nCONNECTION: x-hop\r\nX-Hop: 1\r\n' +
          'Keep-Alive: timeout=7\r\nDATE: Sun, 22 Nov 2026 10:00:00 GMT\r\nTrailer: x\r\n' +
          'Upgrade: h2c\r\nContent-Length: 5\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nhello',
        'latin1',
      ),
      0,
      { bodiless: false, headBytesMax: 1024, fieldsMax: 20 },
    );
    assert.ok(typeof head === 'object');
    assert.equal(
      head.relay,
      'Content-Type: text/plain\r\nDATE: Sun, 22 Nov 2026 10:00:00 GMT\r\n' +
        'Content-Length: 5\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n',
    );
    assert.equal(head.hasDate, true);
    assert.equal(head.keepAliveHint, 'timeout=7');
    assert.deepEqual([head.framing, head.bodyBytes, head.statusText], ['length', 5, 'OK']);
  });

  it('drops Content-Length beside a Transfer-Encoding and keeps nothing of the framing', () => {
    const head = parseResponseHead(
      Buffer.from(
        'HTTP/1.1 200\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n',
        'latin1',
      ),
      0,
      { bodiless: false, headBytesMax: 1024, fieldsMax: 20 },
    );
    assert.ok(typeof head === 'object');
    assert.deepEqual(
      [head.relay, head.framing, head.keepAlive, head.hasDate, head.statusText],
      ['X-A: 1\r\n', 'chunked', false, false, ''],
    );
  });

  it('refuses response fields a relay could not pass on safely', () => {
    const refuse = (fields: string): unknown =>
      parseResponseHead(Buffer.from(`HTTP/1.1 200 OK\r\n${fields}\r\n\r\n`, 'latin1'), 0, {
        bodiless: false,
        headBytesMax: 1024,
        fieldsMax: 3,
      });
    assert.equal(refuse('X-A : 1'), 'an invalid header name');
    assert.equal(refuse('X-A: 1\r\n folded'), 'obsolete line folding');
    assert.equal(refuse('X-A: a\x01b'), 'an invalid header value');
    assert.equal(refuse('X-A: 1\rX-B: 2'), 'an invalid header value');
    assert.equal(refuse('A: 1\r\nB: 2\r\nC: 3\r\nD: 4'), 'a response head with too many fields');
    assert.equal(
      parseResponseHead(Buffer.from('HTTP/1.1 2OO OK\r\n\r\n'), 0, {
        bodiless: false,
        headBytesMax: 1024,
        fieldsMax: 3,
      }),
      'an invalid status line',
    );
  });
});
