/** One dispatched server-sent event: its type (`event:` field) and its data. */
export interface StreamEvent {
  readonly type: string;
  readonly data: string;
}

/**
 * A push parser for `text/event-stream`, following the HTML Living Standard, "Interpreting an
 * event stream" (§9.2.6): lines end in CRLF, LF or CR; a line starting with ":" is a comment
 * (the master's keep-alives); `field: value` loses one leading space of the value; `data`
 * lines are joined with "\n"; an empty line dispatches the event, and an event without data
 * is not dispatched. An unfinished line or event longer than `charsMax` is an error, so a
 * broken peer cannot grow the gateway's memory.
 */
export class EventStreamParser {
  private buffer = '';
  private type = '';
  private data: string[] = [];
  private dataChars = 0;
  /** A CR ended the last chunk: a LF starting the next one belongs to the same line end. */
  private pendingCarriageReturn = false;

  constructor(private readonly charsMax: number) {}

  /** Parses `text` (decoded), returning the events it completes. Throws past the size limit. */
  push(text: string): StreamEvent[] {
    let input = text;
    if (this.pendingCarriageReturn && input.startsWith('\n')) input = input.slice(1);
    this.pendingCarriageReturn = false;
    this.buffer += input;
    const events: StreamEvent[] = [];
    let start = 0;
    for (;;) {
      const lineFeed = this.buffer.indexOf('\n', start);
      const carriageReturn = this.buffer.indexOf('\r', start);
      if (lineFeed < 0 && carriageReturn < 0) break;
      let end: number;
      let next: number;
      if (carriageReturn >= 0 && (lineFeed < 0 || carriageReturn < lineFeed)) {
        end = carriageReturn;
        if (carriageReturn + 1 === this.buffer.length) {
          // The LF of a CRLF may come with the next chunk.
          this.pendingCarriageReturn = true;
          next = carriageReturn + 1;
        } else next = this.buffer[carriageReturn + 1] === '\n' ? end + 2 : end + 1;
      } else {
        end = lineFeed;
        next = lineFeed + 1;
      }
      const event = this.line(this.buffer.slice(start, end));
      if (event) events.push(event);
      start = next;
    }
    this.buffer = this.buffer.slice(start);
    if (this.buffer.length + this.dataChars > this.charsMax)
      throw new Error(`an event is longer than ${this.charsMax} characters`);
    return events;
  }

  private line(line: string): StreamEvent | undefined {
    if (line === '') {
      const event =
        this.data.length > 0
          ? { type: this.type || 'message', data: this.data.join('\n') }
          : undefined;
      this.type = '';
      this.data = [];
      this.dataChars = 0;
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.type = value;
    else if (field === 'data') {
      this.data.push(value);
      this.dataChars += value.length + 1;
    }
    return undefined;
  }
}
