/**
 * Storing a value without strict mode (sql_mode without STRICT_TRANS_TABLES or
 * STRICT_ALL_TABLES; MySQL reference, "Server SQL Modes", "Strict SQL Mode"): a value that does
 * not fit its column is adjusted and the statement goes on with a warning, where strict mode
 * refuses it. The adjustments and messages are MariaDB 10.11's:
 * - a number out of range is clipped to the nearest end of the range (1264, "Out of range");
 * - a string too long is cut to the column's length (1265, "Data truncated");
 * - text that starts with a number keeps the number (1265); text without one becomes 0 (1366,
 *   "Incorrect integer value: 'abc' for column `db`.`table`.`column` at row N");
 * - a value that is not an ENUM member becomes '', a SET keeps the members it names (1265);
 * - a date that is none ('2024-02-30', 'abc') becomes the zero date (1265, zero-date.ts), as
 *   does the zero date under NO_ZERO_DATE (1264).
 * - a time past ±838:59:59 is clamped to it (1264), one that is none is midnight (1265).
 * JSON keeps the strict-mode errors.
 */
import { coerceValue } from '../catalog/coerce.js';
import { fitDouble } from '../catalog/double-fit.js';
import { setValue } from '../catalog/member-values.js';
import { bitMax, bitWidth } from '../catalog/bit-value.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { ER, SqlError } from '../errors.js';
import type { SqlValue } from '../values.js';
import type { SessionState, Warning } from './context.js';
import { shownName } from './temporary-tables.js';
import { readTime } from '../catalog/time-reading.js';
import { isZeroDateValue, zeroDateText } from '../zero-date.js';

/** Whether the session's sql_mode refuses values that do not fit (STRICT_*_TABLES). */
export function isStrictMode(session: Pick<SessionState, 'variables'>): boolean {
  const mode = session.variables.get('sql_mode');
  if (typeof mode !== 'string') return true;
  return /(^|,)STRICT_(TRANS|ALL)_TABLES(,|$)/i.test(mode);
}

export interface LenientValue {
  readonly value: SqlValue;
  readonly column: ColumnDef;
  readonly table: Pick<TableDef, 'database' | 'name' | 'temporary'>;
  /** 1-based, as messages count rows. */
  readonly row: number;
  /** Where the warnings go (appended). */
  readonly warnings: Warning[];
  /** sql_mode lets the zero date in (catalog/zero-date.ts). */
  readonly zeroDates?: boolean;
}

const NUMBER_PREFIX = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i;

const INTEGER_BITS: Record<string, number> = {
  tinyint: 8,
  bool: 8,
  smallint: 16,
  int: 32,
  bigint: 64,
};

/** `coerceValue`, with the non-strict adjustments above instead of its errors. */
export function lenientValue(options: LenientValue): SqlValue {
  const { value, column, row } = options;
  try {
    return coerceValue(value, column, row, options.zeroDates);
  } catch (error) {
    if (!(error instanceof SqlError)) throw error;
    const adjusted = adjust(options, error);
    if (adjusted === undefined) throw error;
    warn(options.warnings, adjusted.warning);
    return adjusted.value;
  }
}

function warn(warnings: Warning[], warning: Omit<Warning, 'level'>): void {
  warnings.push({ level: 'Warning', ...warning });
}

function adjust(
  options: LenientValue,
  error: SqlError,
): { value: SqlValue; warning: Omit<Warning, 'level'> } | undefined {
  const { value, column, row } = options;
  const truncated = {
    code: ER.DATA_TRUNCATED[0],
    message: `Data truncated for column '${column.name}' at row ${row}`,
  };
  switch (error.errno) {
    case ER.OUT_OF_RANGE[0]: {
      const clipped = clip(value, column);
      return clipped === undefined
        ? undefined
        : { value: clipped, warning: { code: error.errno, message: error.message } };
    }
    case ER.DATA_TOO_LONG[0]: {
      // A BIT keeps its largest value (MariaDB warns 1264 there).
      const bits = bitWidth(column.mysqlType);
      if (bits !== undefined)
        return {
          value: bitMax(bits),
          warning: {
            code: ER.OUT_OF_RANGE[0],
            message: `Out of range value for column '${column.name}' at row ${row}`,
          },
        };
      const cut = cutToLength(value, column);
      return cut === undefined ? undefined : { value: cut, warning: truncated };
    }
    case ER.DATA_TRUNCATED[0]:
      // Text that starts with a number, for a number column; else an ENUM value that is not a
      // member.
      if (isNumeric(column)) return numberFromText(options, truncated);
      // A SET keeps the members it found (or the bits a number has).
      if (column.values !== undefined && column.mysqlType.startsWith('set'))
        return { value: setValue(value, column.values).text, warning: truncated };
      return column.type === 'blob' ? undefined : { value: '', warning: truncated };
    case ER.TRUNCATED_WRONG_VALUE_FOR_FIELD[0]:
      return isNumeric(column) ? numberFromText(options, truncated) : undefined;
    case ER.TRUNCATED_WRONG_VALUE[0]:
      if (column.type === 'time') return timeAdjusted(options, truncated);
      // A date that is none ('2024-02-30', 'abc') is the zero date, whatever NO_ZERO_DATE says;
      // the zero date refused by NO_ZERO_DATE is kept with 1264 (1265 in a TIMESTAMP).
      if (column.type !== 'date' && column.type !== 'datetime' && column.type !== 'timestamp')
        return undefined;
      return {
        value: zeroDateText(column.type, column.scale),
        warning:
          column.type !== 'timestamp' && isZeroDateValue(value)
            ? {
                code: ER.OUT_OF_RANGE[0],
                message: `Out of range value for column '${column.name}' at row ${row}`,
              }
            : truncated,
      };
    default:
      return undefined;
  }
}

/** A time past ±838:59:59 is clamped to it (1264); one that is none is midnight (1265). */
function timeAdjusted(
  options: LenientValue,
  truncated: Omit<Warning, 'level'>,
): { value: SqlValue; warning: Omit<Warning, 'level'> } {
  const { value, column, row } = options;
  const scale = column.scale ?? 0;
  const fraction = scale > 0 ? `.${'0'.repeat(scale)}` : '';
  const parts = readTime(
    value instanceof Uint8Array ? Buffer.from(value).toString() : String(value),
  );
  if (parts === undefined) return { value: `00:00:00${fraction}`, warning: truncated };
  return {
    value: `${parts.negative ? '-' : ''}838:59:59${fraction.replace(/0/g, '9')}`,
    warning: {
      code: ER.OUT_OF_RANGE[0],
      message: `Out of range value for column '${column.name}' at row ${row}`,
    },
  };
}

/** A number column's value from text: its numeric prefix (1265), or 0 without one (1366). */
function numberFromText(
  options: LenientValue,
  truncated: Omit<Warning, 'level'>,
): { value: SqlValue; warning: Omit<Warning, 'level'> } {
  const { value, column, row } = options;
  const text = value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value);
  const prefix = NUMBER_PREFIX.exec(text)?.[0];
  if (prefix !== undefined) {
    const inner: Warning[] = [];
    const kept = lenientValue({ ...options, value: prefix.trim(), warnings: inner });
    return { value: kept, warning: inner[0] ?? truncated };
  }
  const kind = column.type === 'decimal' ? 'decimal' : isInteger(column) ? 'integer' : 'double';
  return {
    value: coerceValue(0, column, row),
    warning: {
      code: ER.TRUNCATED_WRONG_VALUE_FOR_FIELD[0],
      message: `Incorrect ${kind} value: '${text.slice(0, 64)}' for column \`${options.table.database}\`.\`${shownName(options.table)}\`.\`${column.name}\` at row ${row}`,
    },
  };
}

function isInteger(column: ColumnDef): boolean {
  return INTEGER_BITS[column.type] !== undefined;
}

function isNumeric(column: ColumnDef): boolean {
  return (
    isInteger(column) ||
    column.type === 'decimal' ||
    column.type === 'double' ||
    column.type === 'float'
  );
}

/** The end of the column's range nearest to the value, or undefined when it is not numeric. */
function clip(value: SqlValue, column: ColumnDef): SqlValue | undefined {
  const number = typeof value === 'bigint' ? Number(value) : Number(String(value).trim());
  if (Number.isNaN(number)) return undefined;
  const negative = number < 0;
  const bits = INTEGER_BITS[column.type];
  if (bits !== undefined) {
    if (column.unsigned === true) return negative ? 0 : (1n << BigInt(bits)) - 1n;
    const end = 1n << BigInt(bits - 1);
    const clipped = negative ? -end : end - 1n;
    return clipped >= BigInt(Number.MIN_SAFE_INTEGER) && clipped <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(clipped)
      : clipped;
  }
  if (column.type === 'decimal') {
    const scale = column.scale ?? 0;
    const digits = (column.precision ?? 10) - scale;
    if (column.unsigned === true && negative) return '0';
    const largest = `${digits > 0 ? '9'.repeat(digits) : '0'}${scale > 0 ? `.${'9'.repeat(scale)}` : ''}`;
    return negative ? `-${largest}` : largest;
  }
  if (column.type === 'double' || column.type === 'float') return fitDouble(number, column).value;
  return undefined;
}

/** The value cut to the column's length in characters (bytes for binary strings). */
function cutToLength(value: SqlValue, column: ColumnDef): SqlValue | undefined {
  if (column.type === 'blob') {
    const bytes = value instanceof Uint8Array ? value : Buffer.from(String(value));
    const limit = column.length ?? TEXT_BYTES[column.mysqlType];
    return limit === undefined ? undefined : bytes.subarray(0, limit);
  }
  const text = value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value);
  if (column.length !== undefined && TEXT_BYTES[column.mysqlType] === undefined)
    return coerceValue([...text].slice(0, column.length).join(''), column, 1);
  const limit = TEXT_BYTES[column.mysqlType];
  if (limit === undefined) return undefined;
  // Cut at the byte limit and drop a character the cut split.
  return Buffer.from(text)
    .subarray(0, limit)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

const TEXT_BYTES: Record<string, number> = {
  tinytext: 255,
  text: 65535,
  mediumtext: 16777215,
  tinyblob: 255,
  blob: 65535,
  mediumblob: 16777215,
};
