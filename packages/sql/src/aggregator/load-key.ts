/**
 * The shard hash of a LOAD DATA line, read straight from its bytes: the same FNV-1a as
 * `catalog/shard-hash.ts` (which defines placement), so a loaded row lands where INSERT would
 * put it. A canonical integer field (no sign but `-`, no leading zero) is hashed from its ASCII
 * bytes, which are the UTF-16 units of its canonical text; any other value is coerced like an
 * INSERT value and hashed from its `shardKeyText`.
 */
import { coerceValue } from '../catalog/coerce.js';
import { shardKeyText } from '../catalog/shard-hash.js';
import type { ColumnDef } from '../catalog/types.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const INTEGER_TYPES: ReadonlySet<string> = new Set([
  'tinyint',
  'bool',
  'smallint',
  'int',
  'bigint',
]);
/** Longer digit strings may leave the safe integer range, where the coerced text differs. */
const FAST_DIGITS_MAX = 15;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const BACKSLASH = 0x5c;

export interface KeyField {
  /** The field's index in the line. */
  readonly field: number;
  readonly column: ColumnDef;
  readonly integer: boolean;
}

export function keyFields(fields: readonly number[], columns: readonly ColumnDef[]): KeyField[] {
  return fields.map((field, index) => {
    const column = columns[index] as ColumnDef;
    return { field, column, integer: INTEGER_TYPES.has(column.type) };
  });
}

function isCanonicalInteger(data: Buffer, start: number, end: number): boolean {
  let position = start;
  if (data[position] === MINUS) position += 1;
  const digits = end - position;
  if (digits < 1 || digits > FAST_DIGITS_MAX) return false;
  if (data[position] === ZERO && digits > 1) return false;
  if (data[start] === MINUS && digits === 1 && data[position] === ZERO) return false;
  for (; position < end; position++) {
    const byte = data[position] as number;
    if (byte < ZERO || byte > NINE) return false;
  }
  return true;
}

/**
 * The shard hash of the line `data[start, end)` (no line terminator) split by `delimiter`.
 * Throws the MySQL error of a key value INSERT would refuse (`row` is its 1-based number).
 */
export function lineKeyHash(
  data: Buffer,
  start: number,
  end: number,
  delimiter: number,
  keys: readonly KeyField[],
  row: number,
): number {
  let hash = FNV_OFFSET;
  for (const key of keys) {
    let fieldStart = start;
    let missing = false;
    for (let skipped = 0; skipped < key.field; skipped++) {
      const found = data.indexOf(delimiter, fieldStart);
      if (found < 0 || found >= end) {
        missing = true;
        break;
      }
      fieldStart = found + 1;
    }
    let fieldEnd = missing ? end : data.indexOf(delimiter, fieldStart);
    if (fieldEnd < 0 || fieldEnd > end) fieldEnd = end;
    if (!missing && key.integer && isCanonicalInteger(data, fieldStart, fieldEnd)) {
      for (let position = fieldStart; position < fieldEnd; position++) {
        hash ^= data[position] as number;
        hash = Math.imul(hash, FNV_PRIME);
      }
    } else {
      const isNull =
        missing ||
        (fieldEnd - fieldStart === 2 &&
          data[fieldStart] === BACKSLASH &&
          data[fieldStart + 1] === 0x4e);
      const value = isNull ? null : data.toString('utf8', fieldStart, fieldEnd);
      const text = shardKeyText(coerceValue(value, key.column, row), key.column);
      for (let position = 0; position < text.length; position++) {
        hash ^= text.charCodeAt(position);
        hash = Math.imul(hash, FNV_PRIME);
      }
    }
    hash ^= 0;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}
