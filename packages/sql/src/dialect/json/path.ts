/**
 * JSON paths as MariaDB 10.11 reads them: an optional `lax`, `$`, then `.key`, `."key"`, `.*`,
 * `[n]`, `[*]`, `[last]`, `[last-n]`, `[-n]`, `[a to b]` and `**` before a step. Unquoted keys
 * run to the next '.', '[' or the end (spaces included). An error gives MariaDB's kind and
 * position: 4041 at the end of the text, else 4042 at the offending character (1-based bytes).
 */
import { unescapeJson } from './print.js';

export type PathStep =
  | {
      readonly kind: 'key';
      /** The key with its escapes resolved; undefined for `.*`. */
      readonly name: string | undefined;
      /** The key as written (without quotes): a member a path adds is named with it. */
      readonly raw: string;
      /** Written after `**`: any number of steps may come before it. */
      readonly deep: boolean;
    }
  | {
      readonly kind: 'index';
      /** undefined for `[*]`; a negative index counts from the end (`last` is -1). */
      readonly from: number | undefined;
      /** The end of `[a to b]`. */
      readonly to?: number;
      readonly deep: boolean;
    };

export interface JsonPath {
  readonly steps: readonly PathStep[];
  /** `*`, `**` or a range: the path may match several values. */
  readonly wild: boolean;
}

export interface PathError {
  readonly kind: 'eos' | 'syntax';
  readonly position: number;
}

export type PathRead =
  | { readonly ok: true; readonly path: JsonPath }
  | { readonly ok: false; readonly error: PathError };

class Failure extends Error {
  constructor(readonly error: PathError) {
    super(error.kind);
  }
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

class PathParser {
  private i = 0;
  private readonly steps: PathStep[] = [];
  private wild = false;

  constructor(private readonly text: string) {}

  private peek(): string | undefined {
    return this.text[this.i];
  }

  /** An error at the current character (the end of the text is 4041). */
  private fail(): never {
    if (this.i >= this.text.length)
      throw new Failure({ kind: 'eos', position: Buffer.byteLength(this.text) + 1 });
    throw new Failure({
      kind: 'syntax',
      position: Buffer.byteLength(this.text.slice(0, this.i)) + 1,
    });
  }

  /** A syntax error at the current position even at the end of the text. */
  private failSyntax(): never {
    throw new Failure({
      kind: 'syntax',
      position: Buffer.byteLength(this.text.slice(0, this.i)) + 1,
    });
  }

  private spaces(): void {
    while (this.peek() === ' ') this.i++;
  }

  parse(): JsonPath {
    this.spaces();
    if (this.text.startsWith('lax', this.i)) {
      this.i += 3;
      if (this.peek() !== ' ') this.fail();
      this.spaces();
    }
    if (this.peek() !== '$') this.fail();
    this.i++;
    for (;;) {
      const c = this.peek();
      if (c === undefined) break;
      let deep = false;
      if (c === '*') {
        this.i++;
        if (this.peek() !== '*') this.failSyntax();
        this.i++;
        deep = true;
        this.wild = true;
        const next = this.peek();
        if (next !== '.' && next !== '[') this.failSyntax();
      }
      if (this.peek() === '.') this.key(deep);
      else if (this.peek() === '[') this.index(deep);
      else this.fail();
    }
    return { steps: this.steps, wild: this.wild };
  }

  private key(deep: boolean): void {
    this.i++;
    const c = this.peek();
    if (c === undefined) this.fail();
    if (c === '*') {
      this.i++;
      this.wild = true;
      this.steps.push({ kind: 'key', name: undefined, raw: '', deep });
      const next = this.peek();
      if (next !== undefined && next !== '.' && next !== '[') this.failSyntax();
      return;
    }
    if (c === '"') {
      this.i++;
      const start = this.i;
      for (;;) {
        const k = this.peek();
        if (k === undefined) this.fail();
        if (k === '\\') this.i += 2;
        else if (k === '"') break;
        else this.i++;
      }
      const raw = this.text.slice(start, this.i);
      this.i++;
      this.steps.push({ kind: 'key', name: unescapeJson(raw), raw, deep });
      const next = this.peek();
      if (next !== undefined && next !== '.' && next !== '[') this.failSyntax();
      return;
    }
    if (c === '.' || c === '[' || c === '\\' || c < ' ') this.fail();
    const start = this.i;
    for (;;) {
      const k = this.peek();
      if (k === undefined || k === '.' || k === '[') break;
      if (k === '*') this.failSyntax();
      this.i += k === '\\' ? 2 : 1;
    }
    const raw = this.text.slice(start, this.i);
    this.steps.push({ kind: 'key', name: unescapeJson(raw), raw, deep });
  }

  /** An index: n, last, last-n or -n. */
  private position(): number {
    const c = this.peek();
    if (c === 'l' && this.text.startsWith('last', this.i)) {
      this.i += 4;
      this.spaces();
      if (this.peek() !== '-') return -1;
      this.i++;
      return -1 - this.digits();
    }
    if (c === '-') {
      this.i++;
      const n = this.digits();
      return n === 0 ? 0 : -n;
    }
    return this.digits();
  }

  private digits(): number {
    if (!isDigit(this.peek())) this.fail();
    const start = this.i;
    if (this.peek() === '0') this.i++;
    else while (isDigit(this.peek())) this.i++;
    return Number(this.text.slice(start, this.i));
  }

  /** After a number: blanks, then ']' (or `to`, when `range` allows it). */
  private close(range: boolean): boolean {
    const c = this.peek();
    if (c === ']') {
      this.i++;
      return false;
    }
    if (c !== ' ') this.fail();
    this.spaces();
    if (this.peek() === ']') {
      this.i++;
      return false;
    }
    if (range && this.text.startsWith('to', this.i)) {
      this.i += 2;
      if (this.peek() !== ' ') this.fail();
      this.spaces();
      return true;
    }
    return this.fail();
  }

  private index(deep: boolean): void {
    this.i++;
    this.spaces();
    if (this.peek() === '*') {
      this.i++;
      this.wild = true;
      this.close(false);
      this.steps.push({ kind: 'index', from: undefined, deep });
      return;
    }
    const from = this.position();
    if (!this.close(true)) {
      this.steps.push({ kind: 'index', from, deep });
      return;
    }
    const to = this.position();
    this.close(false);
    this.wild = true;
    this.steps.push({ kind: 'index', from, to, deep });
  }
}

export function readPath(text: string): PathRead {
  try {
    return { ok: true, path: new PathParser(text).parse() };
  } catch (failure) {
    if (failure instanceof Failure) return { ok: false, error: failure.error };
    throw failure;
  }
}
