import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventStreamParser } from '../../src/discovery/event-stream-parser.js';

describe('the event stream parser (HTML §9.2.6)', () => {
  it('dispatches on blank lines, skips comments and joins data lines', () => {
    const parser = new EventStreamParser(1024);
    assert.deepEqual(parser.push(': connected\n\nevent: a\ndata: {"x":1}\n\n'), [
      { type: 'a', data: '{"x":1}' },
    ]);
    assert.deepEqual(parser.push('data:one\ndata: two\n\n'), [
      { type: 'message', data: 'one\ntwo' },
    ]);
    assert.deepEqual(parser.push('event: empty\n\n'), [], 'no data, no event');
  });

  it('accepts CR, LF and CRLF line ends, also split across chunks', () => {
    const parser = new EventStreamParser(1024);
    assert.deepEqual(parser.push('event: a\r'), []);
    assert.deepEqual(parser.push('\ndata: 1\r'), []);
    assert.deepEqual(parser.push('\n\r'), [{ type: 'a', data: '1' }]);
    assert.deepEqual(parser.push('\ndata: 2\r\rdata: 3\n\n'), [
      { type: 'message', data: '2' },
      { type: 'message', data: '3' },
    ]);
  });

  it('refuses an event longer than its limit', () => {
    const parser = new EventStreamParser(16);
    assert.throws(
      () => parser.push(`data: ${'x'.repeat(10)}\ndata: ${'y'.repeat(10)}\n`),
      /longer than 16/,
    );
    assert.throws(() => new EventStreamParser(16).push('x'.repeat(17)), /longer than 16/);
  });
});
