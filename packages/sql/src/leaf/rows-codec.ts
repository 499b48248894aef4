/**
 * Column batches on the wire: row count, then per column a kind tag, a null bitmap (bit set =
 * NULL) and the non-null values in row order: int64 and float64 little-endian, u32
 * length-prefixed UTF-8 or bytes. Decimals, dates and times are already strings
 * (values.ts). A column whose values are of several kinds (SQLite is dynamically typed) is
 * written as `Mixed`: one value tag before each value.
 */
import type { ColumnMeta, SqlType, SqlValue } from '../values.js';
import { BinaryError, type BinaryReader, type BinaryWriter } from '../storage/binary.js';
import { ValueTag, readValueBody, valueTag, writeValueBody } from '../storage/value-codec.js';

const MIXED = 6;

const SQL_TYPES: readonly SqlType[] = [
  'tinyint',
  'smallint',
  'int',
  'bigint',
  'decimal',
  'double',
  'float',
  'char',
  'varchar',
  'text',
  'blob',
  'date',
  'datetime',
  'timestamp',
  'time',
  'json',
  'bool',
  'null',
];
const SQL_TYPE_INDEX = new Map(SQL_TYPES.map((type, index) => [type, index]));

const NUMBER_FIELDS = ['length', 'precision', 'scale'] as const;
const BOOLEAN_FIELDS = ['unsigned', 'nullable', 'primaryKey', 'autoIncrement'] as const;
const STRING_FIELDS = ['database', 'table', 'orgTable', 'orgName'] as const;

export function writeColumnMetas(writer: BinaryWriter, columns: readonly ColumnMeta[]): void {
  writer.u32(columns.length);
  for (const column of columns) {
    writer.string(column.name);
    writer.u8(SQL_TYPE_INDEX.get(column.type) ?? SQL_TYPE_INDEX.get('text') ?? 0);
    let present = 0;
    let bit = 1;
    for (const field of [...NUMBER_FIELDS, ...BOOLEAN_FIELDS, ...STRING_FIELDS]) {
      if (column[field] !== undefined) present |= bit;
      bit <<= 1;
    }
    writer.u32(present);
    for (const field of NUMBER_FIELDS) if (column[field] !== undefined) writer.u32(column[field]);
    for (const field of BOOLEAN_FIELDS)
      if (column[field] !== undefined) writer.u8(column[field] ? 1 : 0);
    for (const field of STRING_FIELDS)
      if (column[field] !== undefined) writer.string(column[field]);
  }
}

export function readColumnMetas(reader: BinaryReader): ColumnMeta[] {
  const count = reader.count(9);
  const columns: ColumnMeta[] = [];
  for (let index = 0; index < count; index++) {
    const column: Record<string, unknown> = { name: reader.string() };
    const type = SQL_TYPES[reader.u8()];
    if (type === undefined) throw new BinaryError('Unknown column type');
    column['type'] = type;
    const present = reader.u32();
    let bit = 1;
    for (const field of NUMBER_FIELDS) {
      if ((present & bit) !== 0) column[field] = reader.u32();
      bit <<= 1;
    }
    for (const field of BOOLEAN_FIELDS) {
      if ((present & bit) !== 0) column[field] = reader.u8() === 1;
      bit <<= 1;
    }
    for (const field of STRING_FIELDS) {
      if ((present & bit) !== 0) column[field] = reader.string();
      bit <<= 1;
    }
    columns.push(column as unknown as ColumnMeta);
  }
  return columns;
}

/** The single tag that fits every non-null value of a column, or MIXED (one pass). */
function columnTag(rows: readonly (readonly SqlValue[])[], column: number): number {
  let tag: number = ValueTag.Null;
  let onlyNumbers = true;
  for (const row of rows) {
    const value = row[column] ?? null;
    if (value === null) continue;
    if (typeof value !== 'number') onlyNumbers = false;
    const next = valueTag(value);
    if (tag === next) continue;
    if (tag === ValueTag.Null) tag = next;
    else if (
      (tag === ValueTag.Int || tag === ValueTag.Double) &&
      (next === ValueTag.Int || next === ValueTag.Double)
    ) {
      tag = ValueTag.Double;
    } else return MIXED;
    if (tag === ValueTag.Double && !onlyNumbers) return MIXED;
  }
  return tag;
}

export function writeRows(
  writer: BinaryWriter,
  rows: readonly (readonly SqlValue[])[],
  columnCount: number,
): void {
  writer.u32(rows.length);
  writer.u32(columnCount);
  const bitmapBytes = (rows.length + 7) >>> 3;
  const bitmap = Buffer.alloc(bitmapBytes);
  for (let column = 0; column < columnCount; column++) {
    const tag = columnTag(rows, column);
    writer.u8(tag);
    if (tag === ValueTag.Null) continue;
    bitmap.fill(0);
    rows.forEach((row, index) => {
      if ((row[column] ?? null) === null)
        bitmap[index >>> 3] = (bitmap[index >>> 3] ?? 0) | (1 << (index & 7));
    });
    writer.raw(bitmap);
    for (const row of rows) {
      const value = row[column] ?? null;
      if (value === null) continue;
      if (tag === MIXED) {
        const own = valueTag(value);
        writer.u8(own);
        writeValueBody(writer, own, value);
      } else writeValueBody(writer, tag, value);
    }
  }
}

export function readRows(reader: BinaryReader): SqlValue[][] {
  const rowCount = reader.u32();
  const columnCount = reader.u32();
  // Every column costs at least its tag byte; every row at least a bit in a bitmap.
  if (columnCount > reader.remaining || (columnCount > 0 && rowCount > reader.remaining * 8)) {
    throw new BinaryError('Row batch exceeds message size');
  }
  if (columnCount === 0 && rowCount > 1_000_000) throw new BinaryError('Too many empty rows');
  const rows: SqlValue[][] = new Array<SqlValue[]>(rowCount);
  for (let index = 0; index < rowCount; index++)
    rows[index] = new Array<SqlValue>(columnCount).fill(null);
  const bitmapBytes = (rowCount + 7) >>> 3;
  for (let column = 0; column < columnCount; column++) {
    const tag = reader.u8();
    if (tag === ValueTag.Null) continue;
    if (tag > MIXED) throw new BinaryError(`Unknown column tag ${tag}`);
    const bitmap = reader.raw(bitmapBytes);
    for (let index = 0; index < rowCount; index++) {
      if (((bitmap[index >>> 3] ?? 0) & (1 << (index & 7))) !== 0) continue;
      const row = rows[index] as SqlValue[];
      row[column] = readValueBody(reader, tag === MIXED ? reader.u8() : tag);
    }
  }
  return rows;
}
