/**
 * JSON text read the way MariaDB's scanner reads it (strings/json_lib.c): the same characters
 * are accepted — any escape but a control character, numbers that stop at the first character
 * that cannot continue them ('[-]' and '1.' are read), at most 31 nested containers — and an
 * error names the same kind and position (a byte offset) MariaDB reports. Scalars and keys
 * keep their text as written, since MariaDB copies them into its answers unchanged.
 */

export type JsonNode =
  | { readonly kind: 'object'; readonly members: readonly JsonMember[]; readonly span?: Span }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[]; readonly span?: Span }
  | { readonly kind: 'string'; readonly raw: string }
  | { readonly kind: 'number'; readonly raw: string; readonly fraction: boolean }
  | { readonly kind: 'true' | 'false' | 'null' };

/** Where a container read from text starts and ends in it (JSON_QUERY answers its text). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface JsonMember {
  /** The key as written between its quotes (escapes kept). */
  readonly key: string;
  readonly value: JsonNode;
}

/** MariaDB's JSON error kinds: 4035 broken, 4036 disallowed, 4037 end, 4038 syntax, 4039, 4040. */
export type JsonErrorKind = 'broken' | 'notJsonChar' | 'eos' | 'syntax' | 'escaping' | 'depth';

export interface JsonError {
  readonly kind: JsonErrorKind;
  /** Byte offset MariaDB names as the position. */
  readonly position: number;
}

export type JsonRead =
  | { readonly ok: true; readonly value: JsonNode; readonly trailing?: JsonError }
  | { readonly ok: false; readonly error: JsonError };

/** MariaDB's JSON_DEPTH_LIMIT: a container opened at this depth is an error. */
const DEPTH_LIMIT = 32;

class Failure extends Error {
  constructor(readonly error: JsonError) {
    super(error.kind);
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Number states (json_lib's NS_*): which characters continue a number in each. */
type NumberState = 'go1' | 'zero' | 'int' | 'frac' | 'exp' | 'exp1';

function nextNumberState(state: NumberState, c: number): NumberState | undefined {
  const digit = isDigit(c);
  const point = c === 0x2e;
  const e = c === 0x65 || c === 0x45;
  const sign = c === 0x2d || c === 0x2b;
  switch (state) {
    case 'go1':
      return c === 0x30 ? 'zero' : digit ? 'int' : undefined;
    case 'zero':
      return point ? 'frac' : undefined;
    case 'int':
      return digit ? 'int' : point ? 'frac' : e ? 'exp' : undefined;
    case 'frac':
      return digit ? 'frac' : e ? 'exp' : undefined;
    case 'exp':
      return sign ? 'exp' : digit ? 'exp1' : undefined;
    case 'exp1':
      return digit ? 'exp1' : undefined;
  }
}

class Scanner {
  private i = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  private fail(kind: JsonErrorKind, index: number): never {
    throw new Failure({ kind, position: Buffer.byteLength(this.text.slice(0, index)) });
  }

  private code(index: number): number {
    return index < this.text.length ? this.text.charCodeAt(index) : -1;
  }

  /** Consumes blanks and the next character; -1 at the end. */
  private nextNonSpace(): number {
    while (this.i < this.text.length && isSpace(this.text.charCodeAt(this.i))) this.i++;
    if (this.i >= this.text.length) return -1;
    return this.text.charCodeAt(this.i++);
  }

  /** The error for a character (already consumed) that cannot come here. */
  private unexpected(c: number): never {
    if (c === -1) this.fail('eos', this.i);
    if (c < 0x20) this.fail('notJsonChar', this.i);
    this.fail('syntax', this.i);
  }

  read(): JsonNode {
    return this.value(this.nextNonSpace());
  }

  /** What follows the first value: nothing but blanks, or the error MariaDB reports there. */
  rest(): JsonError | undefined {
    const c = this.nextNonSpace();
    if (c === -1) return undefined;
    try {
      this.unexpected(c);
    } catch (failure) {
      if (failure instanceof Failure) return failure.error;
      throw failure;
    }
  }

  private value(c: number): JsonNode {
    switch (c) {
      case 0x7b:
        return this.object();
      case 0x5b:
        return this.array();
      case 0x22:
        return { kind: 'string', raw: this.string() };
      case 0x74:
        this.word('rue');
        return { kind: 'true' };
      case 0x66:
        this.word('alse');
        return { kind: 'false' };
      case 0x6e:
        this.word('ull');
        return { kind: 'null' };
      default:
        if (c === 0x2d || isDigit(c)) return this.number(c);
        return this.unexpected(c);
    }
  }

  private open(): void {
    if (++this.depth >= DEPTH_LIMIT) this.fail('depth', this.i);
  }

  private word(rest: string): void {
    for (const expected of rest) {
      const c = this.code(this.i);
      if (c === -1) this.fail('eos', this.i);
      if (c !== expected.charCodeAt(0)) this.fail('syntax', this.i);
      this.i++;
    }
  }

  private number(first: number): JsonNode {
    const start = this.i - 1;
    let state: NumberState = first === 0x2d ? 'go1' : first === 0x30 ? 'zero' : 'int';
    let fraction = false;
    for (;;) {
      const c = this.code(this.i);
      if (c === -1) {
        if (state === 'go1' || state === 'exp') this.fail('syntax', this.i);
        break;
      }
      if (c >= 0x80) this.fail('broken', this.i);
      const next = nextNumberState(state, c);
      if (next === undefined) break;
      state = next;
      if (state === 'frac') fraction = true;
      this.i++;
    }
    return { kind: 'number', raw: this.text.slice(start, this.i), fraction };
  }

  /** After the opening quote: the text up to the closing one. */
  private string(): string {
    const start = this.i;
    for (;;) {
      const c = this.code(this.i);
      if (c === -1) this.fail('eos', this.i);
      this.i++;
      if (c === 0x22) return this.text.slice(start, this.i - 1);
      if (c === 0x5c) this.escape();
      else if (c < 0x20) this.fail('notJsonChar', this.i);
    }
  }

  /** After a backslash (json_handle_esc). */
  private escape(): void {
    const c = this.code(this.i);
    if (c === -1) this.fail('eos', this.i);
    if (c < 0x20) this.fail('escaping', this.i);
    this.i++;
    if (c !== 0x75) return;
    const unit = this.hex4();
    if (unit >= 0xdc00 && unit <= 0xdfff) this.fail('broken', this.i);
    if (unit < 0xd800 || unit > 0xdbff) return;
    for (const expected of [0x5c, 0x75]) {
      const next = this.code(this.i);
      if (next === -1) this.fail('eos', this.i);
      if (next !== expected) this.fail('syntax', this.i);
      this.i++;
    }
    const low = this.hex4();
    if (low < 0xdc00 || low > 0xdfff) this.fail('broken', this.i);
  }

  private hex4(): number {
    let unit = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.code(this.i);
      if (c === -1) this.fail('eos', this.i);
      if (!isHex(c)) this.fail('syntax', this.i);
      unit = unit * 16 + Number.parseInt(String.fromCharCode(c), 16);
      this.i++;
    }
    return unit;
  }

  private array(): JsonNode {
    this.open();
    const start = this.i - 1;
    const items: JsonNode[] = [];
    let c = this.nextNonSpace();
    if (c === 0x5d) {
      this.depth--;
      return { kind: 'array', items, span: { start, end: this.i } };
    }
    if (c === 0x7d || c === 0x3a || c === 0x2c) this.unexpected(c);
    for (;;) {
      items.push(this.value(c));
      c = this.nextNonSpace();
      if (c === 0x5d) break;
      if (c !== 0x2c) this.unexpected(c);
      c = this.nextNonSpace();
    }
    this.depth--;
    return { kind: 'array', items, span: { start, end: this.i } };
  }

  private object(): JsonNode {
    this.open();
    const start = this.i - 1;
    const members: JsonMember[] = [];
    let c = this.nextNonSpace();
    if (c === 0x7d) {
      this.depth--;
      return { kind: 'object', members, span: { start, end: this.i } };
    }
    for (;;) {
      if (c !== 0x22) this.unexpected(c);
      const key = this.key();
      members.push({ key, value: this.value(this.nextNonSpace()) });
      c = this.nextNonSpace();
      if (c === 0x7d) break;
      if (c !== 0x2c) this.unexpected(c);
      c = this.nextNonSpace();
    }
    this.depth--;
    return { kind: 'object', members, span: { start, end: this.i } };
  }

  /** After a key's opening quote: the key, then blanks and the colon. */
  private key(): string {
    const start = this.i;
    const first = this.code(this.i);
    if (first === 0x22) {
      // An empty key: the colon is read as the next token (json_lib's skip_colon).
      this.i++;
      const c = this.nextNonSpace();
      if (c !== 0x3a) this.unexpected(c);
      return '';
    }
    if (first >= 0 && first < 0x20) {
      this.i++;
      this.fail('notJsonChar', this.i);
    }
    for (;;) {
      const c = this.code(this.i);
      if (c === -1) this.fail('eos', this.i);
      if (c < 0x20) this.fail('syntax', this.i);
      this.i++;
      if (c === 0x5c) this.escape();
      else if (c === 0x22) break;
    }
    const key = this.text.slice(start, this.i - 1);
    for (;;) {
      const c = this.code(this.i);
      if (c === -1) this.fail('eos', this.i);
      if (c === 0x3a) {
        this.i++;
        return key;
      }
      if (!isSpace(c)) this.fail('syntax', this.i);
      this.i++;
    }
  }
}

/**
 * Reads the first JSON value of `text`. `trailing` is the error of anything but blanks after
 * it, which only the functions that read the whole document report.
 */
export function readJson(text: string): JsonRead {
  const scanner = new Scanner(text);
  try {
    const value = scanner.read();
    const trailing = scanner.rest();
    return trailing === undefined ? { ok: true, value } : { ok: true, value, trailing };
  } catch (failure) {
    if (failure instanceof Failure) return { ok: false, error: failure.error };
    throw failure;
  }
}

/** The whole document, or the first error in it. */
export function readDocument(text: string): JsonRead {
  const read = readJson(text);
  if (read.ok && read.trailing !== undefined) return { ok: false, error: read.trailing };
  return read;
}
