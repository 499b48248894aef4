/**
 * RESP2, the Redis serialization protocol (https://redis.io/docs/latest/develop/reference/protocol-spec/):
 * commands go out as arrays of bulk strings; replies are simple strings (+), errors (-),
 * integers (:), bulk strings ($, -1 for null) and arrays (*, -1 for null), each line ended by CRLF.
 */
export type RespValue = string | number | null | RespError | RespValue[];

/** An error reply. `code` is its first word (ERR, NOSCRIPT, WRONGTYPE, NOAUTH…). */
export class RespError extends Error {
  readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = 'RespError';
    const space = message.indexOf(' ');
    this.code = space > 0 ? message.slice(0, space) : message;
  }
}

/** A reply that breaks the protocol: the connection cannot be trusted any more. */
export class RespProtocolError extends Error {
  readonly code = 'REDIS_PROTOCOL';
}

export type RespArgument = string | number | Buffer;

/** Encodes one command as a RESP array of bulk strings (the only form servers must accept). */
export function encodeCommand(args: readonly RespArgument[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const argument of args) {
    const bytes = Buffer.isBuffer(argument) ? argument : Buffer.from(String(argument), 'utf8');
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, crlf);
  }
  return Buffer.concat(parts);
}

const crlf = Buffer.from('\r\n');
const incomplete = Symbol('incomplete');

/**
 * Incremental reply parser: `push` bytes as they arrive, get every complete reply. A reply cut
 * across chunks is parsed again from its start once more bytes come; replies here are small, and
 * `bufferedBytesMax` bounds what a misbehaving server can make the client hold.
 */
export class RespParser {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly options: { readonly bufferedBytesMax: number }) {}

  push(chunk: Buffer): RespValue[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const replies: RespValue[] = [];
    let offset = 0;
    for (;;) {
      const parsed = parseValue(this.buffer, offset, 0);
      if (parsed === incomplete) break;
      replies.push(parsed.value);
      offset = parsed.next;
    }
    this.buffer = offset === this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(offset);
    if (this.buffer.length > this.options.bufferedBytesMax)
      throw new RespProtocolError(
        `a reply exceeds ${this.options.bufferedBytesMax} bytes; the connection is dropped`,
      );
    return replies;
  }

  reset(): void {
    this.buffer = Buffer.alloc(0);
  }
}

const depthMax = 32;

type Parsed = { value: RespValue; next: number } | typeof incomplete;

function parseValue(buffer: Buffer, offset: number, depth: number): Parsed {
  if (offset >= buffer.length) return incomplete;
  const lineEnd = buffer.indexOf(crlf, offset);
  if (lineEnd < 0) return incomplete;
  const type = buffer[offset]!;
  const line = buffer.toString('utf8', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case 0x2b: // '+'
      return { value: line, next };
    case 0x2d: // '-'
      return { value: new RespError(line), next };
    case 0x3a: // ':'
      return { value: integer(line), next };
    case 0x24: {
      // '$'
      const length = integer(line);
      if (length === -1) return { value: null, next };
      if (length < 0) throw new RespProtocolError(`bad bulk length ${line}`);
      if (buffer.length < next + length + 2) return incomplete;
      if (buffer[next + length] !== 0x0d || buffer[next + length + 1] !== 0x0a)
        throw new RespProtocolError('a bulk string does not end with CRLF');
      return { value: buffer.toString('utf8', next, next + length), next: next + length + 2 };
    }
    case 0x2a: {
      // '*'
      const count = integer(line);
      if (count === -1) return { value: null, next };
      if (count < 0) throw new RespProtocolError(`bad array length ${line}`);
      if (depth >= depthMax) throw new RespProtocolError(`arrays nested deeper than ${depthMax}`);
      const items: RespValue[] = [];
      let position = next;
      for (let index = 0; index < count; index++) {
        const item = parseValue(buffer, position, depth + 1);
        if (item === incomplete) return incomplete;
        items.push(item.value);
        position = item.next;
      }
      return { value: items, next: position };
    }
    default:
      throw new RespProtocolError(`unknown reply type byte ${type}`);
  }
}

function integer(text: string): number {
  if (!/^-?\d{1,18}$/.test(text)) throw new RespProtocolError(`bad integer ${text}`);
  return Number(text);
}
