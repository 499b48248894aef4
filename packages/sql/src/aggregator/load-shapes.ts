/**
 * Line shapes for the LOAD DATA fast path: a line has its columns' shape only when every field
 * is in a canonical form that DuckDB's typed CSV reader turns into exactly the value the checked
 * path (`load-checks.ts`) stores — integers with too few digits to overflow, decimals with no
 * more integer digits or decimals than the column holds, calendar dates, strings within the
 * column's length. The aggregator tests each line from its bytes while routing it; a chunk
 * whose every line has the shape is read typed on its leaf and skips the per-field checks (half
 * the engine's work), any other chunk takes the checked path. So each shape must accept a
 * subset of what its column's `accept` test accepts, and only values the typed reader parses
 * without error.
 */
import { duckdbType } from '../catalog/column-type.js';
import type { ColumnDef } from '../catalog/types.js';

export interface LineShape {
  /** The DuckDB type each field is read as. */
  readonly types: readonly string[];
  /** Whether the line `data[start, end)` (without its `\n`) has the shape. */
  readonly matches: (data: Uint8Array, start: number, end: number) => boolean;
}

type FieldShape =
  | { readonly kind: 'integer'; readonly signed: boolean; readonly digits: number }
  | {
      readonly kind: 'decimal';
      readonly signed: boolean;
      readonly digits: number;
      readonly scale: number;
    }
  | { readonly kind: 'date' }
  | {
      readonly kind: 'text';
      /** The largest count of characters, or of bytes when `bytes`. */
      readonly limit: number;
      readonly bytes: boolean;
    };

interface Field {
  readonly shape: FieldShape;
  readonly nullable: boolean;
  readonly type: string;
}

/** Digits an integer type holds whatever they are (one fewer than its largest value has). */
const INTEGER_DIGITS: Record<string, number> = {
  TINYINT: 2,
  UTINYINT: 2,
  SMALLINT: 4,
  USMALLINT: 4,
  INTEGER: 9,
  UINTEGER: 9,
  BIGINT: 18,
  UBIGINT: 19,
};

const TEXT_BYTES_MAX: Record<string, number> = {
  tinytext: 255,
  text: 65535,
  mediumtext: 16777215,
};

const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const BACKSLASH = 0x5c;
const CAPITAL_N = 0x4e;
const DATE_LENGTH = 10;
/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A field's shape and typed-read type, or undefined when its type has none. */
function fieldOf(column: ColumnDef): Field | undefined {
  if (column.values !== undefined && column.values.length > 0) return undefined;
  const type = duckdbType(column);
  let shape: FieldShape;
  let readType = type;
  switch (column.type) {
    case 'tinyint':
    case 'bool':
    case 'smallint':
    case 'int':
    case 'bigint': {
      const digits = INTEGER_DIGITS[type];
      if (digits === undefined) return undefined;
      shape = { kind: 'integer', signed: !type.startsWith('U'), digits };
      break;
    }
    case 'decimal': {
      const precision = column.precision ?? 10;
      const scale = column.scale ?? 0;
      if (precision - scale < 1) return undefined;
      shape = {
        kind: 'decimal',
        signed: column.unsigned !== true,
        digits: precision - scale,
        scale,
      };
      break;
    }
    case 'date':
      shape = { kind: 'date' };
      break;
    case 'char':
    case 'varchar':
    case 'text': {
      const bytesMax = TEXT_BYTES_MAX[column.mysqlType];
      shape =
        bytesMax !== undefined
          ? { kind: 'text', limit: bytesMax, bytes: true }
          : { kind: 'text', limit: column.length ?? Number.POSITIVE_INFINITY, bytes: false };
      readType = 'VARCHAR';
      break;
    }
    default:
      return undefined;
  }
  return { shape, nullable: column.nullable, type: readType };
}

/** The shape of a line holding `columns` in file order, or undefined when one has none. */
export function lineShape(columns: readonly ColumnDef[], delimiter: number): LineShape | undefined {
  const fields: Field[] = [];
  for (const column of columns) {
    const field = fieldOf(column);
    if (field === undefined) return undefined;
    fields.push(field);
  }
  return {
    types: fields.map((field) => field.type),
    matches: (data, start, end) => matchLine(fields, delimiter, data, start, end),
  };
}

function matchLine(
  fields: readonly Field[],
  delimiter: number,
  data: Uint8Array,
  start: number,
  end: number,
): boolean {
  // The typed reader skips an empty line (the router sends none here anyway).
  if (start === end) return false;
  let position = start;
  const last = fields.length - 1;
  for (let index = 0; index <= last; index++) {
    const field = fields[index] as Field;
    const next =
      field.nullable && isNull(data, position, end, delimiter)
        ? position + 2
        : matchField(field.shape, data, position, end, delimiter);
    if (next < 0) return false;
    if (index === last) return next === end;
    if (next >= end || data[next] !== delimiter) return false;
    position = next + 1;
  }
  return false;
}

function isNull(data: Uint8Array, position: number, end: number, delimiter: number): boolean {
  return (
    data[position] === BACKSLASH &&
    data[position + 1] === CAPITAL_N &&
    (position + 2 === end || data[position + 2] === delimiter)
  );
}

/** Where a field of `shape` starting at `position` ends, or -1 when it is out of shape. */
function matchField(
  shape: FieldShape,
  data: Uint8Array,
  position: number,
  end: number,
  delimiter: number,
): number {
  switch (shape.kind) {
    case 'integer': {
      const from = shape.signed && data[position] === MINUS ? position + 1 : position;
      const to = digitsEnd(data, from, end);
      return to > from && to - from <= shape.digits ? to : -1;
    }
    case 'decimal': {
      const from = shape.signed && data[position] === MINUS ? position + 1 : position;
      const to = digitsEnd(data, from, end);
      if (to === from || to - from > shape.digits) return -1;
      if (to >= end || data[to] !== DOT || shape.scale === 0) return to;
      const fraction = digitsEnd(data, to + 1, end);
      return fraction > to + 1 && fraction - to - 1 <= shape.scale ? fraction : -1;
    }
    case 'date':
      return position + DATE_LENGTH <= end && isDate(data, position) ? position + DATE_LENGTH : -1;
    case 'text':
      return textEnd(data, position, end, delimiter, shape.limit, shape.bytes);
  }
}

/**
 * Where a text field ends (-1 past `limit`, or with a backslash: the only one a fast-path chunk
 * holds is a `\N` field, which is NULL). Characters are the bytes that do not continue one
 * (the chunk is valid UTF-8).
 */
function textEnd(
  data: Uint8Array,
  position: number,
  end: number,
  delimiter: number,
  limit: number,
  bytes: boolean,
): number {
  let continuing = 0;
  let to = position;
  for (; to < end; to++) {
    const byte = data[to] as number;
    if (byte === delimiter) break;
    if (byte === BACKSLASH) return -1;
    if ((byte & 0xc0) === 0x80) continuing += 1;
  }
  return to - position - (bytes ? 0 : continuing) <= limit ? to : -1;
}

function digitsEnd(data: Uint8Array, position: number, end: number): number {
  let to = position;
  while (to < end) {
    const byte = data[to] as number;
    if (byte < ZERO || byte > NINE) break;
    to += 1;
  }
  return to;
}

function digitAt(data: Uint8Array, position: number): number {
  const byte = data[position] as number;
  return byte >= ZERO && byte <= NINE ? byte - ZERO : -1;
}

/** `YYYY-MM-DD` of a calendar day in the years 1000–9999. */
function isDate(data: Uint8Array, position: number): boolean {
  if (data[position + 4] !== MINUS || data[position + 7] !== MINUS) return false;
  let year = 0;
  for (let index = 0; index < 4; index++) {
    const digit = digitAt(data, position + index);
    if (digit < 0) return false;
    year = year * 10 + digit;
  }
  const m1 = digitAt(data, position + 5);
  const m2 = digitAt(data, position + 6);
  const d1 = digitAt(data, position + 8);
  const d2 = digitAt(data, position + 9);
  if (year < 1000 || m1 < 0 || m2 < 0 || d1 < 0 || d2 < 0) return false;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] as number);
  return day <= days;
}
