/**
 * Binary Protocol Resultset rows (ProtocolBinary::ResultsetRow): a 0x00 header, a NULL
 * bitmap with an offset of 2, then each non-NULL value in its binary form chosen by the
 * column's type ("Binary Protocol Value").
 */
import type { ColumnMeta, SqlValue } from '../values.js';
import { decodeUtf8 } from './payload-reader.js';
import { PayloadWriter } from './payload-writer.js';
import { parseDateTime, parseTime } from './temporal.js';
import { textValue } from './text-row.js';

/** Any value as a bigint, for integer columns; values that are not numbers become 0. */
function toBigInt(value: SqlValue): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
  const text = (typeof value === 'string' ? value : decodeUtf8(value ?? new Uint8Array())).trim();
  if (/^[+-]?\d+$/.test(text)) return BigInt(text);
  const number = Number(text);
  return Number.isFinite(number) ? BigInt(Math.trunc(number)) : 0n;
}

function toNumber(value: SqlValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const text = typeof value === 'string' ? value : decodeUtf8(value ?? new Uint8Array());
  return Number(text);
}

function toText(value: SqlValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return decodeUtf8(value);
  return String(value);
}

/** MYSQL_TYPE_DATE / DATETIME / TIMESTAMP: length 0, 4, 7 or 11, then the parts present. */
function writeDateTime(writer: PayloadWriter, value: SqlValue, dateOnly: boolean): void {
  const parts = parseDateTime(toText(value));
  if (parts === undefined) {
    writer.uint8(0);
    return;
  }
  const hasTime = !dateOnly && (parts.hour !== 0 || parts.minute !== 0 || parts.second !== 0);
  const hasMicros = !dateOnly && parts.microsecond !== 0;
  const zeroDate = parts.year === 0 && parts.month === 0 && parts.day === 0;
  if (zeroDate && !hasTime && !hasMicros) {
    writer.uint8(0);
    return;
  }
  writer.uint8(hasMicros ? 11 : hasTime ? 7 : 4);
  writer.uint16(parts.year).uint8(parts.month).uint8(parts.day);
  if (hasTime || hasMicros) writer.uint8(parts.hour).uint8(parts.minute).uint8(parts.second);
  if (hasMicros) writer.uint32(parts.microsecond);
}

/** MYSQL_TYPE_TIME: length 0, 8 or 12; sign, days, hours, minutes, seconds, microseconds. */
function writeTime(writer: PayloadWriter, value: SqlValue): void {
  const parts = parseTime(toText(value));
  if (parts === undefined) {
    writer.uint8(0);
    return;
  }
  const zero =
    parts.days === 0 &&
    parts.hour === 0 &&
    parts.minute === 0 &&
    parts.second === 0 &&
    parts.microsecond === 0;
  if (zero) {
    writer.uint8(0);
    return;
  }
  const hasMicros = parts.microsecond !== 0;
  writer
    .uint8(hasMicros ? 12 : 8)
    .uint8(parts.negative ? 1 : 0)
    .uint32(parts.days);
  writer.uint8(parts.hour).uint8(parts.minute).uint8(parts.second);
  if (hasMicros) writer.uint32(parts.microsecond);
}

function writeValue(writer: PayloadWriter, value: SqlValue, column: ColumnMeta): void {
  if (column.kind === 'bit') {
    writer.lengthEncodedBytes(textValue(value, column) ?? new Uint8Array());
    return;
  }
  switch (column.type) {
    case 'bool':
    case 'tinyint':
      writer.uint8(Number(BigInt.asUintN(8, toBigInt(value))));
      return;
    case 'smallint':
      writer.uint16(Number(BigInt.asUintN(16, toBigInt(value))));
      return;
    case 'int':
      writer.uint32(Number(BigInt.asUintN(32, toBigInt(value))));
      return;
    case 'bigint':
      writer.int64(toBigInt(value));
      return;
    case 'float':
      writer.float32(toNumber(value));
      return;
    case 'double':
      writer.float64(toNumber(value));
      return;
    case 'date':
      writeDateTime(writer, value, true);
      return;
    case 'datetime':
    case 'timestamp':
      writeDateTime(writer, value, false);
      return;
    case 'time':
      writeTime(writer, value);
      return;
    case 'decimal':
    case 'char':
    case 'varchar':
    case 'text':
    case 'blob':
    case 'json':
    case 'null':
      writer.lengthEncodedBytes(textValue(value, column) ?? new Uint8Array());
      return;
  }
}

/** One ProtocolBinary::ResultsetRow. */
export function binaryRowPacket(
  row: readonly SqlValue[],
  columns: readonly ColumnMeta[],
): Uint8Array {
  const writer = new PayloadWriter(64);
  writer.uint8(0x00);
  const bitmap = new Uint8Array((columns.length + 7 + 2) >> 3);
  for (let index = 0; index < columns.length; index += 1) {
    const value = row[index] ?? null;
    // A NULL-typed column has no binary form, so it is always sent as NULL.
    if (value === null || columns[index]!.type === 'null') {
      const bit = index + 2;
      bitmap[bit >> 3]! |= 1 << (bit & 7);
    }
  }
  writer.bytes(bitmap);
  for (let index = 0; index < columns.length; index += 1) {
    const value = row[index] ?? null;
    const column = columns[index]!;
    if (value !== null && column.type !== 'null') writeValue(writer, value, column);
  }
  return writer.finish();
}
