import { ClientError } from './client-error.js';

/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** The `event:` field, "message" when absent. */
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/** A line longer than this ends the stream with an error instead of growing memory. */
export const eventLineCharsMax = 8 * 1024 * 1024;

/**
 * Parses a text/event-stream body as the HTML Living Standard specifies in "Interpreting an
 * event stream" (§9.2.6): lines end in CRLF, LF or CR; a line starting with ":" is a comment;
 * `field: value` loses one leading space of the value; `data` lines are joined with "\n"; an
 * empty line dispatches the event, and an event with no data is not dispatched.
 * When `signal` aborts, the iteration ends quietly.
 */
export async function* parseEventStream(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal?.aborted) return;
        throw error;
      }
      if (chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      for (;;) {
        const end = lineEnd(buffer);
        if (end === undefined) break;
        const line = buffer.slice(0, end.index);
        buffer = buffer.slice(end.index + end.length);
        if (line === '') {
          if (data.length > 0)
            yield {
              event: event || 'message',
              data: data.join('\n'),
              ...(id === undefined ? {} : { id }),
            };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id' && !value.includes('\0')) id = value;
      }
      if (buffer.length > eventLineCharsMax) {
        throw new ClientError(
          'EXO_CLIENT_BAD_RESPONSE',
          200,
          `an event stream line is longer than ${eventLineCharsMax} characters`,
        );
      }
    }
  } finally {
    // Ending the iteration early (break, return, error) closes the connection.
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Where the first complete line of `buffer` ends. A CR at the very end is not yet a line end:
 * the next chunk may start with the LF of a CRLF pair.
 */
function lineEnd(buffer: string): { index: number; length: number } | undefined {
  for (let index = 0; index < buffer.length; index++) {
    const char = buffer[index];
    if (char === '\n') return { index, length: 1 };
    if (char === '\r') {
      if (index + 1 === buffer.length) return undefined;
      return { index, length: buffer[index + 1] === '\n' ? 2 : 1 };
    }
  }
  return undefined;
}
