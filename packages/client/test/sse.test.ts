import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEventStream, type ServerSentEvent } from '../src/index.js';

/** A body that delivers `parts` as separate chunks, to cut lines at awkward places. */
function body(parts: readonly string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

async function collect(parts: readonly string[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of parseEventStream(body(parts))) events.push(event);
  return events;
}

void test('events are dispatched on empty lines, comments are skipped', async () => {
  assert.deepEqual(
    await collect([': connected\n\nevent: a\ndata: {"x":1}\n\n: keep-alive\n\ndata: plain\n\n']),
    [
      { event: 'a', data: '{"x":1}' },
      { event: 'message', data: 'plain' },
    ],
  );
});

void test('CRLF split across chunks, multi-line data and ids', async () => {
  assert.deepEqual(
    await collect(['id: 7\r', '\nevent:b\r\ndata: one\r\ndata:two\r', '\n\r', '\n']),
    [{ event: 'b', data: 'one\ntwo', id: '7' }],
  );
});

void test('a multi-byte character cut between chunks survives, an unfinished event is dropped', async () => {
  const bytes = new TextEncoder().encode('data: é\n\ndata: lost');
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.subarray(0, 7));
      controller.enqueue(bytes.subarray(7));
      controller.close();
    },
  });
  const events: ServerSentEvent[] = [];
  for await (const event of parseEventStream(stream)) events.push(event);
  assert.deepEqual(events, [{ event: 'message', data: 'é' }]);
});
