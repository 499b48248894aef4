/**
 * Converting a value to a column's type before it is stored, with MySQL's strict-mode rules
 * (sql_mode STRICT_TRANS_TABLES, MySQL 8's default): a value that does not fit is an error,
 * never silently changed, except for rounding numbers to the column's scale, which MySQL does
 * too. Errors name the column and the 1-based row, as MySQL's do.
 */
import { ER, SqlError, sqlError } from '../errors.js';
import type { SqlValue } from '../values.js';
import type { ColumnDef } from './types.js';
import { daysInMonth, normalizeDate, normalizeDateTime, normalizeTime } from './temporal.js';
import { dropsDigits, roundDecimal } from './decimal.js';
import { fitDouble } from './double-fit.js';
import { enumValue, setValue } from './member-values.js';
import { bitValue, bitWidth } from './bit-value.js';
import { binaryBytes } from '../raw-bytes.js';
import { isZeroDateValue, ZERO_DATE, zeroDateText } from '../zero-date.js';

/** The column types that hold numbers (their defaults and implicit values are numbers). */
export const NUMERIC_COLUMN_TYPES: ReadonlySet<string> = new Set([
  'tinyint',
  'smallint',
  'int',
  'bigint',
  'bool',
  'decimal',
  'double',
  'float',
]);

const INTEGER_RANGE: Record<string, [bigint, bigint, bigint]> = {
  // [signed min, signed max, unsigned max]
  tinyint: [-128n, 127n, 255n],
  bool: [-128n, 127n, 255n],
  smallint: [-32768n, 32767n, 65535n],
  int: [-2147483648n, 2147483647n, 4294967295n],
  bigint: [-9223372036854775808n, 9223372036854775807n, 18446744073709551615n],
};

/** MEDIUMINT and YEAR are stored as INT and SMALLINT UNSIGNED with their own ranges. */
const MEDIUMINT_RANGE: [bigint, bigint, bigint] = [-8388608n, 8388607n, 16777215n];
const YEAR_RANGE: [bigint, bigint, bigint] = [0n, 2155n, 2155n];

function rangeOf(column: Pick<ColumnDef, 'type' | 'mysqlType'>) {
  if (column.mysqlType.startsWith('mediumint')) return MEDIUMINT_RANGE;
  if (column.mysqlType.startsWith('year')) return YEAR_RANGE;
  return INTEGER_RANGE[column.type];
}

/**
 * The range of an integer column as [min, max], or undefined when the engine's own 64-bit
 * integers hold the whole range (signed BIGINT) or the column is not an integer.
 */
export function integerColumnRange(
  column: Pick<ColumnDef, 'type' | 'unsigned' | 'mysqlType'>,
): readonly [bigint, bigint] | undefined {
  const range = rangeOf(column);
  if (range === undefined) return undefined;
  if (column.unsigned === true) return [0n, range[2]];
  return column.type === 'bigint' ? undefined : [range[0], range[1]];
}

const TEXT_BYTES_MAX: Record<string, number> = {
  tinytext: 255,
  text: 65535,
  mediumtext: 16777215,
  tinyblob: 255,
  blob: 65535,
  mediumblob: 16777215,
};

export function coerceValue(
  value: SqlValue,
  column: ColumnDef,
  row: number,
  /** sql_mode lets the zero date in (zero-date.ts). */
  zeroDates = false,
): SqlValue {
  if (value === null) {
    if (!column.nullable) throw sqlError('BAD_NULL', `Column '${column.name}' cannot be null`);
    return null;
  }
  switch (column.type) {
    case 'tinyint':
    case 'bool':
    case 'smallint':
    case 'int':
    case 'bigint':
      return coerceInteger(value, column, row);
    case 'decimal':
      return coerceDecimal(value, column, row);
    case 'double':
    case 'float':
      return coerceDouble(value, column, row);
    case 'char':
    case 'varchar':
    case 'text':
      return coerceString(value, column, row);
    case 'blob':
      return coerceBinary(value, column, row);
    case 'date':
      if (typeof value === 'string' && isCanonicalDate(value)) return value;
      if (zeroDates && isZeroDateValue(value)) return ZERO_DATE;
      return temporal(normalizeDate(text(value)), value, column, row);
    case 'datetime':
    case 'timestamp':
      if (zeroDates && isZeroDateValue(value)) return zeroDateText(column.type, column.scale);
      return temporal(normalizeDateTime(text(value), column.scale ?? 0), value, column, row);
    case 'time':
      return temporal(normalizeTime(text(value), column.scale ?? 0), value, column, row);
    case 'json':
      return coerceJson(value, column, row);
    case 'null':
      return null;
  }
}

function text(value: SqlValue): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}

/**
 * Incorrect value: 1292 for dates and times (as MySQL/MariaDB report them), 1366 otherwise.
 * Without its table the column is named alone; a statement that knows the table names it as
 * MariaDB does, `db`.`t`.`c` (`qualifiedIncorrect`).
 */
export class IncorrectValueError extends SqlError {
  constructor(
    readonly kind: string,
    readonly shown: string,
    readonly column: string,
    readonly row: number,
    table?: { readonly database: string; readonly name: string },
  ) {
    const temporal = kind === 'date' || kind === 'time' || kind === 'datetime';
    const [errno, state] =
      ER[temporal ? 'TRUNCATED_WRONG_VALUE' : 'TRUNCATED_WRONG_VALUE_FOR_FIELD'];
    const named =
      table === undefined ? `'${column}'` : `\`${table.database}\`.\`${table.name}\`.\`${column}\``;
    super(errno, state, `Incorrect ${kind} value: '${shown}' for column ${named} at row ${row}`);
  }
}

/** The error naming its column within `table` (the name the statement shows), others as they are. */
export function qualifiedIncorrect(
  error: unknown,
  table: { readonly database: string; readonly name: string },
): unknown {
  if (!(error instanceof IncorrectValueError)) return error;
  return new IncorrectValueError(error.kind, error.shown, error.column, error.row, table);
}

function incorrect(kind: string, value: SqlValue, column: ColumnDef, row: number): Error {
  return new IncorrectValueError(kind, text(value).slice(0, 64), column.name, row);
}

/**
 * Text that is not a number where one is stored: 1265 when it starts with one ('12abc',
 * '-3.7z', as MariaDB reports it: the rest would be cut off), else 1366 ('abc', '').
 */
function notNumber(kind: string, value: SqlValue, column: ColumnDef, row: number): Error {
  if (!NUMERIC_PREFIX.test(text(value))) return incorrect(kind, value, column, row);
  return sqlError('DATA_TRUNCATED', `Data truncated for column '${column.name}' at row ${row}`);
}

const NUMERIC_PREFIX = /^\s*[+-]?(\d|\.\d)/;

function outOfRange(column: ColumnDef, row: number): Error {
  return sqlError('OUT_OF_RANGE', `Out of range value for column '${column.name}' at row ${row}`);
}

const NUMERIC_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

/** Each integer type's range as numbers: [signed min, signed max, unsigned max]. */
const INTEGER_NUMBER_RANGE: Record<string, [number, number, number]> = {
  tinyint: [-128, 127, 255],
  bool: [-128, 127, 255],
  smallint: [-32768, 32767, 65535],
  int: [-2147483648, 2147483647, 4294967295],
  bigint: [-Infinity, Infinity, Infinity],
};

function coerceInteger(value: SqlValue, column: ColumnDef, row: number): number | bigint {
  if (column.mysqlType.startsWith('year')) return coerceYear(value, column, row);
  const bits = bitWidth(column.mysqlType);
  if (bits !== undefined) {
    const stored = bitValue(value, bits);
    if (stored === undefined)
      throw sqlError('DATA_TOO_LONG', `Data too long for column '${column.name}' at row ${row}`);
    return stored;
  }
  if (column.mysqlType.startsWith('mediumint')) {
    const integer = coerceInteger(value, { ...column, mysqlType: 'int' }, row);
    const [min, max] = integerColumnRange(column) ?? [0n, 0n];
    if (BigInt(integer) < min || BigInt(integer) > max) throw outOfRange(column, row);
    return integer;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    // The common case without BigInt arithmetic: the same checks on a safe integer (whose
    // BIGINT range check can only fail for UNSIGNED and a negative value).
    const range = INTEGER_NUMBER_RANGE[column.type];
    if (range !== undefined) {
      const min = column.unsigned === true ? 0 : range[0];
      const max = column.unsigned === true ? range[2] : range[1];
      if (value < min || value > max) throw outOfRange(column, row);
    }
    return value === 0 ? 0 : value;
  }
  let integer: bigint;
  if (typeof value === 'bigint') integer = value;
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw outOfRange(column, row);
    integer = BigInt(Math.sign(value) * Math.round(Math.abs(value)));
  } else {
    const source = text(value).trim();
    if (/^[+-]?\d+$/.test(source)) integer = BigInt(source);
    else if (NUMERIC_TEXT.test(source)) {
      const rounded = roundDecimal(source, 0);
      if (rounded === undefined) throw outOfRange(column, row);
      integer = BigInt(rounded);
    } else throw notNumber('integer', value, column, row);
  }
  const range = INTEGER_RANGE[column.type];
  if (range !== undefined) {
    const min = column.unsigned === true ? 0n : range[0];
    const max = column.unsigned === true ? range[2] : range[1];
    if (integer < min || integer > max) throw outOfRange(column, row);
  }
  return integer >= BigInt(Number.MIN_SAFE_INTEGER) && integer <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(integer)
    : integer;
}

/**
 * A YEAR as MariaDB stores it: 1 to 69 are 2001 to 2069 and 70 to 99 are 1970 to 1999, text
 * '0' and '00' is 2000 and the number 0 stays 0000; else 1901 to 2155, or 1264.
 */
function coerceYear(value: SqlValue, column: ColumnDef, row: number): number {
  const source = typeof value === 'string' ? value.trim() : undefined;
  const integer = Number(coerceInteger(value, { ...column, type: 'int', mysqlType: 'int' }, row));
  if (integer === 0) return source !== undefined && /^[+]?0{1,2}$/.test(source) ? 2000 : 0;
  if (integer >= 1 && integer <= 69) return 2000 + integer;
  if (integer >= 70 && integer <= 99) return 1900 + integer;
  if (integer < 1901 || integer > 2155) throw outOfRange(column, row);
  return integer;
}

/** Decimal text already in its stored form: no sign or a `-`, no leading zeros, a point when scaled. */
const CANONICAL_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.(\d+))?$/;

function coerceDecimal(value: SqlValue, column: ColumnDef, row: number): string {
  const scale = column.scale ?? 0;
  if (typeof value === 'string') {
    // Text with exactly the column's scale stores as it is (what rounding would give), once
    // its integer digits fit; a negative zero takes the general path, which drops its sign.
    const match = CANONICAL_DECIMAL.exec(value);
    if (
      match !== null &&
      (match[1]?.length ?? 0) === scale &&
      scale > 0 === (match[1] !== undefined)
    ) {
      const negative = value.charCodeAt(0) === 45;
      const point = scale > 0 ? value.length - scale - 1 : value.length;
      const integerText = value.slice(negative ? 1 : 0, point);
      const integerDigits = integerText === '0' ? 0 : integerText.length;
      const zero = integerDigits === 0 && !/[1-9]/.test(match[1] ?? '');
      if (!(negative && zero) && !(negative && column.unsigned === true)) {
        if (integerDigits > (column.precision ?? 10) - scale) throw outOfRange(column, row);
        return value;
      }
    }
  }
  const source = typeof value === 'number' ? numberText(value) : text(value).trim();
  if (!NUMERIC_TEXT.test(source)) throw notNumber('decimal', value, column, row);
  const rounded = roundDecimal(source, scale);
  if (rounded === undefined) throw outOfRange(column, row);
  const digits = rounded
    .replace('-', '')
    .replace('.', '')
    .replace(/^0+(?=\d)/, '');
  const integerDigits = digits.length - scale;
  if (integerDigits > (column.precision ?? 10) - scale) throw outOfRange(column, row);
  if (column.unsigned === true && rounded.startsWith('-') && /[1-9]/.test(rounded))
    throw outOfRange(column, row);
  return rounded;
}

/** Whether storing `value` in a DECIMAL column drops non-zero digits (MariaDB's Note 1265). */
export function decimalDropsDigits(value: SqlValue, column: ColumnDef): boolean {
  if (column.type !== 'decimal' || value === null || value instanceof Uint8Array) return false;
  if (typeof value === 'bigint') return false;
  const scale = column.scale ?? 0;
  if (typeof value === 'number' && Number.isInteger(value)) return false;
  const source = typeof value === 'number' ? numberText(value) : value;
  // The common case, plain digits with at most `scale` after the point, without a regex.
  const point = source.indexOf('.');
  const plain = point < 0 ? /^\s*[+-]?\d+\s*$/.test(source) : source.length - point - 1 <= scale;
  if (plain && !/[eE]/.test(source)) return false;
  return dropsDigits(source, scale);
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1e21 || (value !== 0 && Math.abs(value) < 1e-6)
    ? value.toFixed(20)
    : String(value);
}

function coerceDouble(value: SqlValue, column: ColumnDef, row: number): number {
  let number: number;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'bigint') number = Number(value);
  else {
    const source = text(value).trim();
    if (!NUMERIC_TEXT.test(source)) throw notNumber('double', value, column, row);
    number = Number(source);
  }
  // The common case, a plain signed DOUBLE, keeps any finite number as it is.
  if (column.type === 'double' && column.scale === undefined && column.unsigned !== true) {
    if (!Number.isFinite(number)) throw outOfRange(column, row);
    return number;
  }
  const fit = fitDouble(number, column);
  if (fit.outOfRange) throw outOfRange(column, row);
  return fit.value;
}

function coerceString(value: SqlValue, column: ColumnDef, row: number): string {
  const members = column.values;
  if (members !== undefined && members.length > 0) {
    const stored = column.mysqlType.startsWith('set')
      ? setValue(value, members)
      : enumValue(value, members);
    if (stored.truncated)
      throw sqlError('DATA_TRUNCATED', `Data truncated for column '${column.name}' at row ${row}`);
    return stored.text;
  }
  const result = typeof value === 'number' ? numberText(value) : text(value);
  const limit = TEXT_BYTES_MAX[column.mysqlType];
  // Characters are counted only when the UTF-16 length could exceed the limit (a character is
  // one or two units), and bytes only when 3 bytes per unit could.
  const tooLong =
    limit !== undefined
      ? result.length * 3 > limit && Buffer.byteLength(result) > limit
      : column.length !== undefined &&
        result.length > column.length &&
        [...result].length > column.length;
  if (tooLong) {
    // Only spaces past the length are cut in every mode (MySQL: with Note 1265, `writeNote`).
    const cut = excessSpacesCut(result, limit === undefined ? column.length : undefined);
    if (cut === undefined)
      throw sqlError('DATA_TOO_LONG', `Data too long for column '${column.name}' at row ${row}`);
    return column.type === 'char' ? cut.replace(/ +$/, '') : cut;
  }
  // CHAR columns drop trailing spaces (MySQL without PAD_CHAR_TO_FULL_LENGTH).
  return column.type === 'char' && result.charCodeAt(result.length - 1) === 32
    ? result.replace(/ +$/, '')
    : result;
}

/** The text cut to `length` characters when all it loses is spaces; else undefined. */
export function excessSpacesCut(text: string, length: number | undefined): string | undefined {
  if (length === undefined || !text.endsWith(' ')) return undefined;
  const characters = [...text];
  const rest = characters.slice(length);
  return rest.every((character) => character === ' ')
    ? characters.slice(0, length).join('')
    : undefined;
}

function coerceBinary(value: SqlValue, column: ColumnDef, row: number): Uint8Array {
  const bytes =
    value instanceof Uint8Array
      ? value
      : binaryBytes(typeof value === 'number' ? numberText(value) : String(value));
  const limit = TEXT_BYTES_MAX[column.mysqlType] ?? column.length;
  if (limit !== undefined && bytes.length > limit) {
    throw sqlError('DATA_TOO_LONG', `Data too long for column '${column.name}' at row ${row}`);
  }
  return bytes;
}

/** `YYYY-MM-DD` of a real calendar day: what `normalizeDate` gives for it is the text itself. */
export function isCanonicalDate(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  // Digits read from the character codes: this runs for every date of every inserted row.
  let year = 0;
  for (const index of DATE_DIGITS) {
    const digit = value.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return false;
    if (index < 4) year = year * 10 + digit;
  }
  const month = (value.charCodeAt(5) - 48) * 10 + value.charCodeAt(6) - 48;
  const day = (value.charCodeAt(8) - 48) * 10 + value.charCodeAt(9) - 48;
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];

function temporal(
  result: string | undefined,
  value: SqlValue,
  column: ColumnDef,
  row: number,
): string {
  if (result === undefined) {
    const kind = column.type === 'date' ? 'date' : column.type === 'time' ? 'time' : 'datetime';
    throw incorrect(kind, value, column, row);
  }
  return result;
}

function coerceJson(value: SqlValue, column: ColumnDef, row: number): string {
  const source =
    typeof value === 'number' || typeof value === 'bigint' ? String(value) : text(value);
  try {
    JSON.parse(source);
  } catch {
    throw sqlError(
      'INVALID_JSON_TEXT',
      `Invalid JSON text: "Invalid value." at position 0 in value for column '${column.name}' at row ${row}.`,
    );
  }
  return source;
}
