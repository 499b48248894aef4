/**
 * Column Definition (Protocol::ColumnDefinition41) from the data plane's `ColumnMeta`:
 * which MySQL column type, character set, display length, flags and decimals a client sees
 * for each `SqlType`. Lengths follow what MySQL reports for the same column types.
 */
import type { ColumnMeta, SqlType } from '../values.js';
import { Charset, ColumnFlag, ColumnType } from './constants.js';
import { PayloadWriter } from './payload-writer.js';
import { UTF8MB4_RESULTS, type ResultCharset } from './result-charset.js';

export interface WireColumn {
  readonly type: number;
  readonly charset: number;
  readonly length: number;
  readonly flags: number;
  readonly decimals: number;
}

const NUMERIC: ReadonlySet<SqlType> = new Set<SqlType>([
  'tinyint',
  'bool',
  'smallint',
  'int',
  'bigint',
  'decimal',
  'double',
  'float',
]);

/** Column length of a fractional-seconds type: base + '.' + digits when fsp > 0. */
function withFraction(base: number, fsp: number): number {
  return fsp > 0 ? base + 1 + fsp : base;
}

/** The length limit of the field (a uint32 on the wire). */
function clampLength(length: number): number {
  return Math.max(0, Math.min(0xffffffff, Math.trunc(length)));
}

/** MariaDB's NOT_FIXED_DEC: the decimals of a value whose digits are not fixed. */
export const notFixedDecimals = 39;

/**
 * The digits a DOUBLE or FLOAT prints after the point when they are fixed (a DOUBLE(M,D)
 * column, ROUND(x, 2)), else undefined.
 */
export function fixedDecimals(column: ColumnMeta): number | undefined {
  const scale = column.scale;
  return scale !== undefined && scale >= 0 && scale < 31 ? scale : undefined;
}

/**
 * The MySQL type, length and decimals of one SqlType. Text lengths are characters times the
 * bytes a character takes in the result's character set (`bytes`).
 */
function typeShape(
  column: ColumnMeta,
  bytes: number,
): { type: number; length: number; decimals: number } {
  // MariaDB sends YEAR as YEAR(4) and ENUM/SET as STRING with the ENUM/SET flag.
  if (column.kind === 'year') return { type: ColumnType.YEAR, length: 4, decimals: 0 };
  if (column.kind === 'mediumint')
    return { type: ColumnType.INT24, length: column.length ?? 9, decimals: 0 };
  if (column.kind === 'bit')
    return { type: ColumnType.BIT, length: column.length ?? 1, decimals: 0 };
  if (column.kind === 'enum' || column.kind === 'set')
    return { type: ColumnType.STRING, length: (column.length ?? 1) * bytes, decimals: 0 };
  const unsigned = column.unsigned === true;
  const scale = column.scale ?? 0;
  // MariaDB sends a computed CHAR/VARCHAR with decimals 39 (its NOT_FIXED_DEC), a table column
  // with 0: the translator gives computed text that scale (dialect/query.ts).
  const text = column.scale === notFixedDecimals ? notFixedDecimals : 0;
  switch (column.type) {
    case 'bool':
      return { type: ColumnType.TINY, length: 1, decimals: 0 };
    case 'tinyint':
      return { type: ColumnType.TINY, length: column.length ?? (unsigned ? 3 : 4), decimals: 0 };
    case 'smallint':
      return { type: ColumnType.SHORT, length: column.length ?? (unsigned ? 5 : 6), decimals: 0 };
    case 'int':
      return { type: ColumnType.LONG, length: column.length ?? (unsigned ? 10 : 11), decimals: 0 };
    case 'bigint':
      // A computed BIGINT is 21 wide in MariaDB (COUNT(*), TIMESTAMPDIFF); a column 20.
      return { type: ColumnType.LONGLONG, length: column.length ?? 20, decimals: 0 };
    case 'decimal': {
      const precision = column.precision ?? 10;
      // Digits, plus the point when there is a scale, plus the sign unless unsigned.
      const length = precision + (scale > 0 ? 1 : 0) + (unsigned ? 0 : 1);
      return { type: ColumnType.NEWDECIMAL, length, decimals: scale };
    }
    // DOUBLE(M,D) and FLOAT(M,D) columns are M wide with D decimals.
    case 'double':
      return {
        type: ColumnType.DOUBLE,
        length: column.length ?? column.precision ?? 22,
        decimals: fixedDecimals(column) ?? 31,
      };
    case 'float':
      return {
        type: ColumnType.FLOAT,
        length: column.length ?? column.precision ?? 12,
        decimals: fixedDecimals(column) ?? 31,
      };
    case 'char':
      return { type: ColumnType.STRING, length: (column.length ?? 1) * bytes, decimals: text };
    case 'varchar': {
      const chars = column.length ?? 255;
      if (chars >= LARGE_TEXT_CHARS) return largeText(chars, bytes, text);
      return { type: ColumnType.VAR_STRING, length: chars * bytes, decimals: text };
    }
    case 'text':
      return { type: ColumnType.BLOB, length: (column.length ?? 65535) * bytes, decimals: 0 };
    case 'blob':
      return { type: ColumnType.BLOB, length: column.length ?? 65535, decimals: 0 };
    case 'date':
      return { type: ColumnType.DATE, length: 10, decimals: 0 };
    case 'datetime':
      return { type: ColumnType.DATETIME, length: withFraction(19, scale), decimals: scale };
    case 'timestamp':
      return { type: ColumnType.TIMESTAMP, length: withFraction(19, scale), decimals: scale };
    case 'time':
      return { type: ColumnType.TIME, length: withFraction(10, scale), decimals: scale };
    case 'json': {
      // A JSON column is a LONGTEXT, as in MariaDB; a JSON function's answer is computed text.
      const chars = column.length;
      if (chars === undefined) return { type: ColumnType.BLOB, length: 0xffffffff, decimals: 0 };
      if (chars >= LARGE_TEXT_CHARS) return largeText(chars, bytes, text);
      return { type: ColumnType.VAR_STRING, length: chars * bytes, decimals: text };
    }
    case 'null':
      return { type: ColumnType.NULL, length: 0, decimals: 0 };
  }
}

/** From this many characters on, MariaDB sends computed text as a BLOB type. */
const LARGE_TEXT_CHARS = 65_535;

/** Computed text too long for a VARCHAR: BLOB, MEDIUM_BLOB or LONG_BLOB by its length. */
function largeText(
  chars: number,
  bytes: number,
  decimals: number,
): { type: number; length: number; decimals: number } {
  const type =
    chars >= 16_777_216
      ? ColumnType.LONG_BLOB
      : chars > LARGE_TEXT_CHARS
        ? ColumnType.MEDIUM_BLOB
        : ColumnType.BLOB;
  return { type, length: chars * bytes, decimals };
}

/** Text columns carry the result's character set; numbers, dates, blobs and NULL are binary. */
function isText(type: SqlType): boolean {
  return type === 'char' || type === 'varchar' || type === 'text' || type === 'json';
}

function isBlobType(type: number): boolean {
  return (
    type === ColumnType.BLOB ||
    type === ColumnType.MEDIUM_BLOB ||
    type === ColumnType.LONG_BLOB ||
    type === ColumnType.TINY_BLOB
  );
}

export function wireColumn(
  column: ColumnMeta,
  results: ResultCharset = UTF8MB4_RESULTS,
): WireColumn {
  const shape = typeShape(column, results.bytes);
  const charset = isText(column.type) ? results.collation : Charset.BINARY;
  let flags = 0;
  if (column.nullable === false) flags |= ColumnFlag.NOT_NULL;
  if (column.primaryKey === true) flags |= ColumnFlag.PRI_KEY;
  if (column.unsigned === true && NUMERIC.has(column.type)) flags |= ColumnFlag.UNSIGNED;
  if (column.autoIncrement === true) flags |= ColumnFlag.AUTO_INCREMENT;
  // NUM_FLAG is not sent: MariaDB's client library sets it from the type when it reads the
  // definition (the `mariadb` CLI shows it); the server's packet never carries it.
  if (isBlobType(shape.type)) flags |= ColumnFlag.BLOB;
  if (column.noDefaultValue === true) flags |= ColumnFlag.NO_DEFAULT_VALUE;
  if (column.partKey === true) flags |= ColumnFlag.PART_KEY;
  if (column.uniqueKey === true) flags |= ColumnFlag.UNIQUE_KEY;
  if (column.multipleKey === true) flags |= ColumnFlag.MULTIPLE_KEY;
  // MariaDB marks a number BINARY when it is computed; a table's own column (one with an
  // origin table) is sent without the flag.
  const tableNumber = NUMERIC.has(column.type) && column.orgTable !== undefined;
  if (charset === Charset.BINARY && !tableNumber) flags |= ColumnFlag.BINARY;
  if (column.kind === 'year')
    flags =
      (flags & (ColumnFlag.NOT_NULL | ColumnFlag.PRI_KEY)) |
      ColumnFlag.UNSIGNED |
      ColumnFlag.ZEROFILL;
  // A BIT column is UNSIGNED without BINARY.
  if (column.kind === 'bit') flags &= ~ColumnFlag.BINARY;
  if (column.kind === 'enum') flags |= ColumnFlag.ENUM;
  if (column.kind === 'set') flags |= ColumnFlag.SET;
  return {
    type: shape.type,
    charset,
    length: clampLength(shape.length),
    flags,
    decimals: shape.decimals,
  };
}

/**
 * Encoded definitions by result collation and column. Plans cached across executions return
 * the same column objects every time, so their result sets reuse the bytes; others are
 * collected with them.
 */
const encodedDefinitions = new Map<number, WeakMap<ColumnMeta, Uint8Array>>();

/** Protocol::ColumnDefinition41. The bytes are shared: callers must not modify them. */
export function columnDefinitionPacket(
  column: ColumnMeta,
  results: ResultCharset = UTF8MB4_RESULTS,
): Uint8Array {
  const key = results.extendedMetadata === true ? -results.collation : results.collation;
  let cache = encodedDefinitions.get(key);
  if (cache === undefined) {
    cache = new WeakMap();
    encodedDefinitions.set(key, cache);
  }
  let packet = cache.get(column);
  if (packet === undefined) {
    packet = encodeColumnDefinition(column, results);
    cache.set(column, packet);
  }
  return packet;
}

/** MariaDB's extended metadata of a JSON value: format (1) = "json". */
const JSON_FORMAT = Uint8Array.from([1, 4, ...Buffer.from('json')]);
const NO_METADATA = new Uint8Array();

function encodeColumnDefinition(column: ColumnMeta, results: ResultCharset): Uint8Array {
  const wire = wireColumn(column, results);
  const writer = new PayloadWriter(96)
    .lengthEncodedString('def')
    .lengthEncodedString(column.database ?? '')
    .lengthEncodedString(column.table ?? '')
    .lengthEncodedString(column.orgTable ?? column.table ?? '')
    .lengthEncodedString(column.name)
    .lengthEncodedString(column.orgName ?? (column.table === undefined ? '' : column.name));
  // A JSON column or a JSON function's answer is text that says it is JSON, as MariaDB's is.
  if (results.extendedMetadata === true)
    writer.lengthEncodedBytes(column.type === 'json' ? JSON_FORMAT : NO_METADATA);
  return writer
    .lengthEncodedInteger(0x0c)
    .uint16(wire.charset)
    .uint32(wire.length)
    .uint8(wire.type)
    .uint16(wire.flags)
    .uint8(wire.decimals)
    .zeros(2)
    .finish();
}

/** The placeholder definition sent for each `?` in a COM_STMT_PREPARE answer. */
export function parameterDefinitionPacket(results: ResultCharset = UTF8MB4_RESULTS): Uint8Array {
  const writer = new PayloadWriter(32)
    .lengthEncodedString('def')
    .lengthEncodedString('')
    .lengthEncodedString('')
    .lengthEncodedString('')
    .lengthEncodedString('?')
    .lengthEncodedString('');
  if (results.extendedMetadata === true) writer.lengthEncodedBytes(NO_METADATA);
  return writer
    .lengthEncodedInteger(0x0c)
    .uint16(Charset.BINARY)
    .uint32(0)
    .uint8(ColumnType.VAR_STRING)
    .uint16(ColumnFlag.BINARY)
    .uint8(0)
    .zeros(2)
    .finish();
}
