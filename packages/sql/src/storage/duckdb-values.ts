/**
 * DuckDB types → `ColumnMeta`, DuckDB values → values.ts conventions (converted column by
 * column, so the type switch runs once per column rather than once per cell), and SqlValue
 * parameters → typed bindings (DuckDB refuses untyped JS values for `?` of unknown type).
 */
import {
  DuckDBIntervalValue,
  DuckDBTypeId,
  type DuckDBAppender,
  type DuckDBPreparedStatement,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { ColumnMeta, SqlValue } from '../values.js';
import { TIME_MICROS_MAX, timeTextMicros } from '../dialect/time-text.js';
import { DUCK_ZERO, ZERO_DATE } from '../zero-date.js';
import {
  formatDateDays,
  formatScaledDecimal,
  formatTimeMicros,
  formatTimestampMicros,
  toSafeNumber,
} from './value-format.js';

export function duckColumnMeta(name: string, type: DuckDBType): ColumnMeta {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return { name, type: 'bool', length: 1 };
    case DuckDBTypeId.TINYINT:
      return { name, type: 'tinyint' };
    case DuckDBTypeId.SMALLINT:
      return { name, type: 'smallint' };
    case DuckDBTypeId.INTEGER:
      return { name, type: 'int' };
    case DuckDBTypeId.BIGINT:
      return { name, type: 'bigint' };
    case DuckDBTypeId.UTINYINT:
      return { name, type: 'tinyint', unsigned: true };
    case DuckDBTypeId.USMALLINT:
      return { name, type: 'smallint', unsigned: true };
    case DuckDBTypeId.UINTEGER:
      return { name, type: 'int', unsigned: true };
    case DuckDBTypeId.UBIGINT:
      return { name, type: 'bigint', unsigned: true };
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      // MySQL has no 128-bit integer; SUM over BIGINT is DECIMAL(41,0) there too.
      return { name, type: 'decimal', precision: 38, scale: 0 };
    case DuckDBTypeId.DECIMAL: {
      const decimal = type;
      return { name, type: 'decimal', precision: decimal.width, scale: decimal.scale };
    }
    case DuckDBTypeId.FLOAT:
      return { name, type: 'float' };
    case DuckDBTypeId.DOUBLE:
      return { name, type: 'double' };
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
      return { name, type: 'varchar' };
    case DuckDBTypeId.UUID:
      return { name, type: 'char', length: 36 };
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.BIT:
      return { name, type: 'blob' };
    case DuckDBTypeId.DATE:
      return { name, type: 'date' };
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_NS:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.INTERVAL:
      // MySQL TIME values are kept as INTERVALs of microseconds (catalog/column-type.ts).
      return { name, type: 'time' };
    case DuckDBTypeId.TIMESTAMP_S:
      return { name, type: 'datetime', scale: 0 };
    case DuckDBTypeId.TIMESTAMP_MS:
      return { name, type: 'datetime', scale: 3 };
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_NS:
      return { name, type: 'datetime' };
    case DuckDBTypeId.TIMESTAMP_TZ:
      return { name, type: 'timestamp' };
    case DuckDBTypeId.SQLNULL:
      return { name, type: 'null' };
    default:
      return { name, type: 'text' };
  }
}

export type DuckConverter = (value: DuckDBValue) => SqlValue;

function micros(value: DuckDBValue): bigint {
  const record = value as { micros?: bigint; millis?: bigint; seconds?: bigint; nanos?: bigint };
  if (record.micros !== undefined) return record.micros;
  if (record.millis !== undefined) return record.millis * 1000n;
  if (record.seconds !== undefined) return record.seconds * 1_000_000n;
  if (record.nanos !== undefined) return record.nanos / 1000n;
  return 0n;
}

const MICROS_PER_DAY = 86_400_000_000n;
const TIME_MICROS = BigInt(TIME_MICROS_MAX);

/** An INTERVAL as signed microseconds (months count 30 days), clamped to MySQL's TIME range. */
function intervalMicros(value: DuckDBValue): bigint {
  const interval = value as { months: number; days: number; micros: bigint };
  const total =
    (BigInt(interval.months) * 30n + BigInt(interval.days)) * MICROS_PER_DAY + interval.micros;
  return total > TIME_MICROS ? TIME_MICROS : total < -TIME_MICROS ? -TIME_MICROS : total;
}

/** The converter for one result column; `scale` is the fraction digits wanted for times. */
export function duckConverter(type: DuckDBType, scale: number | undefined): DuckConverter {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return (value) => (value === true ? 1 : 0);
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.VARCHAR:
      return (value) => value as SqlValue;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
      return (value) => (typeof value === 'bigint' ? toSafeNumber(value) : (value as SqlValue));
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return (value) => String(value);
    case DuckDBTypeId.DECIMAL:
      return (value) => {
        const decimal = value as { value: bigint; scale: number };
        return formatScaledDecimal(decimal.value, decimal.scale);
      };
    case DuckDBTypeId.BLOB:
      return (value) => {
        const bytes = (value as { bytes: Uint8Array }).bytes;
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      };
    case DuckDBTypeId.DATE:
      return (value) => formatDateDays((value as { days: number }).days);
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_NS:
      return (value) => formatTimeMicros(micros(value), scale);
    case DuckDBTypeId.INTERVAL:
      return (value) => formatTimeMicros(intervalMicros(value), scale);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (value) => formatTimestampMicros(micros(value), scale);
    default:
      return (value) => String(value);
  }
}

/** Binds one parameter by its JS kind; DuckDB casts it to the parameter's type where needed. */
export function bindDuckParam(
  statement: DuckDBPreparedStatement,
  index: number,
  value: SqlValue,
): void {
  if (value === null) statement.bindNull(index);
  else if (typeof value === 'number') {
    if (
      Number.isInteger(value) &&
      value >= -2147483648 &&
      value <= 2147483647 &&
      !Object.is(value, -0)
    )
      statement.bindInteger(index, value);
    else if (Number.isSafeInteger(value)) statement.bindBigInt(index, BigInt(value));
    else statement.bindDouble(index, value);
  } else if (typeof value === 'bigint') {
    if (value >= -(2n ** 63n) && value < 2n ** 63n) statement.bindBigInt(index, value);
    else statement.bindHugeInt(index, value);
  } else if (typeof value === 'string') statement.bindVarchar(index, value);
  else statement.bindBlob(index, value);
}

/**
 * Which columns of an appender's table are INTERVALs (MySQL TIME), and the column the next
 * value goes to. Callers append whole rows value by value, so the position is the count of
 * values appended modulo the column count. The appender cannot cast text to INTERVAL itself.
 */
interface AppendCursor {
  readonly intervals: readonly boolean[];
  /** DATE and TIMESTAMP columns, which hold the zero date as '-infinity' (zero-date.ts). */
  readonly dates: readonly boolean[];
  position: number;
}

const DATE_TYPES: ReadonlySet<DuckDBTypeId> = new Set([
  DuckDBTypeId.DATE,
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);

const appendCursors = new WeakMap<DuckDBAppender, AppendCursor>();

function appendCursor(appender: DuckDBAppender): AppendCursor {
  let cursor = appendCursors.get(appender);
  if (cursor === undefined) {
    const intervals: boolean[] = [];
    const dates: boolean[] = [];
    for (let index = 0; index < appender.columnCount; index++) {
      const typeId = appender.columnType(index).typeId;
      intervals.push(typeId === DuckDBTypeId.INTERVAL);
      dates.push(DATE_TYPES.has(typeId));
    }
    cursor = { intervals, dates, position: 0 };
    appendCursors.set(appender, cursor);
  }
  return cursor;
}

/** MySQL TIME text as an INTERVAL of microseconds; undefined when it is not a time. */
function timeInterval(text: string): DuckDBIntervalValue | undefined {
  const micros = timeTextMicros(text);
  return micros === undefined ? undefined : new DuckDBIntervalValue(0, 0, BigInt(micros));
}

export function appendDuckValue(appender: DuckDBAppender, value: SqlValue): void {
  const cursor = appendCursor(appender);
  const interval = cursor.intervals[cursor.position] === true;
  const date = cursor.dates[cursor.position] === true;
  cursor.position = (cursor.position + 1) % Math.max(1, cursor.intervals.length);
  if (interval && typeof value === 'string') {
    const parsed = timeInterval(value);
    if (parsed !== undefined) {
      appender.appendInterval(parsed);
      return;
    }
  }
  if (date && typeof value === 'string' && value.startsWith(ZERO_DATE)) {
    appender.appendVarchar(DUCK_ZERO);
    return;
  }
  if (value === null) appender.appendNull();
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) appender.appendBigInt(BigInt(value));
    else appender.appendDouble(value);
  } else if (typeof value === 'bigint') {
    if (value >= -(2n ** 63n) && value < 2n ** 63n) appender.appendBigInt(value);
    else appender.appendHugeInt(value);
  } else if (typeof value === 'string') appender.appendVarchar(value);
  else appender.appendBlob(value);
}
