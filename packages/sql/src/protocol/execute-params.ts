/**
 * COM_STMT_EXECUTE request decoding: statement id, flags, iteration count, the NULL bitmap,
 * new-params-bound flag with the parameter types, and each parameter value in its
 * "Binary Protocol Value" form, turned into the values.ts representation.
 */
import { sqlError } from '../errors.js';
import type { SqlValue } from '../values.js';
import { ColumnType } from './constants.js';
import {
  decodeUtf8,
  decodeUtf8Strict,
  MalformedPacketError,
  PayloadReader,
} from './payload-reader.js';
import { formatDate, formatDateTime, formatTime, type DateTimeParts } from './temporal.js';

export interface ParameterType {
  readonly type: number;
  readonly unsigned: boolean;
}

export interface ExecuteRequest {
  readonly statementId: number;
  /** Cursor flags; a cursor is accepted and the result is sent directly. */
  readonly flags: number;
  readonly params: SqlValue[];
  /** The types in force (sent now, or remembered from the previous execute). */
  readonly types: readonly ParameterType[];
}

/** The statement id of a COM_STMT_EXECUTE / CLOSE / RESET / SEND_LONG_DATA payload. */
export function readStatementId(payload: Uint8Array): number {
  return new PayloadReader(payload, 1).uint32('statement id');
}

const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);
const SAFE_MIN = -SAFE_MAX;

function integerValue(value: bigint): number | bigint {
  return value >= SAFE_MIN && value <= SAFE_MAX ? Number(value) : value;
}

/** A string parameter: text when it is valid UTF-8, raw bytes otherwise. */
function bytesValue(bytes: Uint8Array): SqlValue {
  return decodeUtf8Strict(bytes) ?? Uint8Array.from(bytes);
}

function readDateTimeParts(reader: PayloadReader): DateTimeParts {
  const length = reader.uint8('temporal length');
  const parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, microsecond: 0 };
  if (length >= 4) {
    parts.year = reader.uint16('year');
    parts.month = reader.uint8('month');
    parts.day = reader.uint8('day');
  }
  if (length >= 7) {
    parts.hour = reader.uint8('hour');
    parts.minute = reader.uint8('minute');
    parts.second = reader.uint8('second');
  }
  if (length >= 11) parts.microsecond = reader.uint32('microsecond');
  if (length !== 0 && length !== 4 && length !== 7 && length !== 11) {
    throw new MalformedPacketError(`Malformed packet: invalid date length ${length}`);
  }
  return parts;
}

function readTime(reader: PayloadReader): string {
  const length = reader.uint8('time length');
  if (length !== 0 && length !== 8 && length !== 12) {
    throw new MalformedPacketError(`Malformed packet: invalid time length ${length}`);
  }
  if (length === 0) return '00:00:00';
  const negative = reader.uint8('time sign') === 1;
  const days = reader.uint32('days');
  const hour = reader.uint8('hour');
  const minute = reader.uint8('minute');
  const second = reader.uint8('second');
  const microsecond = length === 12 ? reader.uint32('microsecond') : 0;
  return formatTime({ negative, days, hour, minute, second, microsecond });
}

function isStringType(type: number): boolean {
  return (
    type === ColumnType.VARCHAR ||
    type === ColumnType.VAR_STRING ||
    type === ColumnType.STRING ||
    type === ColumnType.ENUM ||
    type === ColumnType.SET ||
    type === ColumnType.JSON ||
    type === ColumnType.BIT ||
    type === ColumnType.GEOMETRY ||
    (type >= ColumnType.TINY_BLOB && type <= ColumnType.BLOB)
  );
}

function readValue(reader: PayloadReader, parameter: ParameterType): SqlValue {
  const { type, unsigned } = parameter;
  switch (type) {
    case ColumnType.NULL:
      return null;
    case ColumnType.TINY:
      return unsigned ? reader.uint8() : reader.int8();
    case ColumnType.SHORT:
    case ColumnType.YEAR:
      return unsigned ? reader.uint16() : reader.int16();
    case ColumnType.LONG:
    case ColumnType.INT24:
      return unsigned ? reader.uint32() : reader.int32();
    case ColumnType.LONGLONG:
      return integerValue(unsigned ? reader.uint64() : reader.int64());
    case ColumnType.FLOAT:
      return reader.float32();
    case ColumnType.DOUBLE:
      return reader.float64();
    case ColumnType.DECIMAL:
    case ColumnType.NEWDECIMAL:
      return reader.lengthEncodedString('decimal');
    case ColumnType.DATE:
    case ColumnType.NEWDATE:
      return formatDate(readDateTimeParts(reader));
    case ColumnType.DATETIME:
    case ColumnType.TIMESTAMP:
      return formatDateTime(readDateTimeParts(reader));
    case ColumnType.TIME:
      return readTime(reader);
    default:
      if (isStringType(type)) return bytesValue(reader.lengthEncodedBytes('string parameter'));
      throw sqlError(
        'WRONG_ARGUMENTS',
        `Incorrect arguments to mysqld_stmt_execute: unknown parameter type ${type}`,
      );
  }
}

/** A parameter sent with COM_STMT_SEND_LONG_DATA, typed like the others. */
function longDataValue(chunks: readonly Uint8Array[], parameter: ParameterType): SqlValue {
  const bytes = Buffer.concat(chunks);
  if (isStringType(parameter.type)) return bytesValue(bytes);
  return decodeUtf8(bytes);
}

/**
 * Decodes COM_STMT_EXECUTE. Throws SqlError 1210 (ER_WRONG_ARGUMENTS) for anything the
 * statement cannot accept, including truncated packets.
 */
export function parseExecute(
  payload: Uint8Array,
  statement: {
    readonly paramCount: number;
    readonly previousTypes: readonly ParameterType[] | undefined;
    readonly longData: ReadonlyMap<number, readonly Uint8Array[]>;
  },
): ExecuteRequest {
  try {
    const reader = new PayloadReader(payload, 1);
    const statementId = reader.uint32('statement id');
    const flags = reader.uint8('flags');
    reader.uint32('iteration count');
    const count = statement.paramCount;
    if (count === 0) return { statementId, flags, params: [], types: [] };
    const nullBitmap = reader.bytesFixed((count + 7) >> 3, 'NULL bitmap');
    const newParamsBound = reader.uint8('new-params-bound flag');
    let types: readonly ParameterType[];
    if (newParamsBound === 1) {
      const sent: ParameterType[] = [];
      for (let index = 0; index < count; index += 1) {
        const type = reader.uint8('parameter type');
        sent.push({ type, unsigned: (reader.uint8('parameter flag') & 0x80) !== 0 });
      }
      types = sent;
    } else if (statement.previousTypes !== undefined && statement.previousTypes.length === count) {
      types = statement.previousTypes;
    } else {
      throw sqlError(
        'WRONG_ARGUMENTS',
        'Incorrect arguments to mysqld_stmt_execute: parameter types were never sent',
      );
    }
    const params: SqlValue[] = [];
    for (let index = 0; index < count; index += 1) {
      const parameter = types[index]!;
      const longData = statement.longData.get(index);
      if (longData !== undefined) params.push(longDataValue(longData, parameter));
      else if ((nullBitmap[index >> 3]! & (1 << (index & 7))) !== 0) params.push(null);
      else params.push(readValue(reader, parameter));
    }
    return { statementId, flags, params, types };
  } catch (error) {
    if (error instanceof MalformedPacketError) {
      throw sqlError(
        'WRONG_ARGUMENTS',
        `Incorrect arguments to mysqld_stmt_execute: ${error.message}`,
      );
    }
    throw error;
  }
}
