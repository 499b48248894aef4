/**
 * Tagged encoding of single `SqlValue`s (statement parameters, prepare-log records). Column
 * batches use the denser per-column layout of `leaf/rows-codec.ts`, which reuses these tags
 * for columns of mixed kinds.
 */
import type { SqlValue } from '../values.js';
import { BinaryError, type BinaryReader, type BinaryWriter } from './binary.js';

export const ValueTag = {
  Null: 0,
  Int: 1,
  /** An integer beyond int64 (HUGEINT, UBIGINT), as decimal digits. */
  BigText: 2,
  Double: 3,
  String: 4,
  Bytes: 5,
} as const;
export type ValueTag = (typeof ValueTag)[keyof typeof ValueTag];

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function valueTag(value: SqlValue): ValueTag {
  if (value === null) return ValueTag.Null;
  switch (typeof value) {
    case 'number':
      return Number.isSafeInteger(value) && !Object.is(value, -0) ? ValueTag.Int : ValueTag.Double;
    case 'bigint':
      return value >= INT64_MIN && value <= INT64_MAX ? ValueTag.Int : ValueTag.BigText;
    case 'string':
      return ValueTag.String;
    default:
      return ValueTag.Bytes;
  }
}

/** Writes the value's payload for a tag chosen by `valueTag` (or a column tag it matches). */
export function writeValueBody(writer: BinaryWriter, tag: number, value: SqlValue): void {
  switch (tag) {
    case ValueTag.Null:
      return;
    case ValueTag.Int:
      if (typeof value === 'bigint') writer.i64(value);
      else writer.int(value as number);
      return;
    case ValueTag.BigText:
      writer.string(String(value));
      return;
    case ValueTag.Double:
      writer.f64(value as number);
      return;
    case ValueTag.String:
      writer.string(value as string);
      return;
    case ValueTag.Bytes:
      writer.bytes(value as Uint8Array);
      return;
  }
}

export function readValueBody(reader: BinaryReader, tag: number): SqlValue {
  switch (tag) {
    case ValueTag.Null:
      return null;
    case ValueTag.Int:
      return reader.int();
    case ValueTag.BigText: {
      const text = reader.string();
      if (!/^-?\d{1,80}$/.test(text)) throw new BinaryError('Bad integer text');
      return BigInt(text);
    }
    case ValueTag.Double:
      return reader.f64();
    case ValueTag.String:
      return reader.string();
    case ValueTag.Bytes:
      return reader.bytes();
    default:
      throw new BinaryError(`Unknown value tag ${tag}`);
  }
}

export function writeValue(writer: BinaryWriter, value: SqlValue): void {
  const tag = valueTag(value);
  writer.u8(tag);
  writeValueBody(writer, tag, value);
}

export function readValue(reader: BinaryReader): SqlValue {
  return readValueBody(reader, reader.u8());
}

export function writeValues(writer: BinaryWriter, values: readonly SqlValue[]): void {
  writer.u32(values.length);
  for (const value of values) writeValue(writer, value);
}

export function readValues(reader: BinaryReader): SqlValue[] {
  const count = reader.count(1);
  const values = new Array<SqlValue>(count);
  for (let index = 0; index < count; index++) values[index] = readValue(reader);
  return values;
}
