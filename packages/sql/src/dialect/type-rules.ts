/**
 * MySQL's result-type rules: how operators, functions and CASE-like constructs combine their
 * operands' types (MySQL 8.0 reference, "Type Conversion in Expression Evaluation" and
 * "Precision Math"; div_precision_increment is 4).
 */
import type { SqlType } from '../values.js';
import type { MyType } from './types.js';
import { withDoubleDecimals } from './double-decimals.js';

export const divPrecisionIncrement = 4;
export const decimalPrecisionMax = 65;
export const decimalScaleMax = 30;

const integerTypes: ReadonlySet<SqlType> = new Set([
  'tinyint',
  'smallint',
  'int',
  'bigint',
  'bool',
]);
const stringTypes: ReadonlySet<SqlType> = new Set(['char', 'varchar', 'text', 'json', 'blob']);
const temporalTypes: ReadonlySet<SqlType> = new Set(['date', 'datetime', 'timestamp', 'time']);

export function isInteger(t: MyType): boolean {
  return integerTypes.has(t.type);
}
export function isDecimal(t: MyType): boolean {
  return t.type === 'decimal';
}
export function isFloat(t: MyType): boolean {
  return t.type === 'double' || t.type === 'float';
}
export function isExact(t: MyType): boolean {
  return isInteger(t) || isDecimal(t);
}
export function isNumeric(t: MyType): boolean {
  return isExact(t) || isFloat(t);
}
export function isString(t: MyType): boolean {
  return stringTypes.has(t.type);
}
/** Text that sorts and compares by its collation (a binary string compares byte by byte). */
export function isCollatedText(t: MyType): boolean {
  return isString(t) && t.type !== 'blob';
}
export function isTemporal(t: MyType): boolean {
  return temporalTypes.has(t.type);
}
export function isDateTime(t: MyType): boolean {
  return t.type === 'datetime' || t.type === 'timestamp';
}
export function isNull(t: MyType): boolean {
  return t.type === 'null';
}
/**
 * The NULL literal itself. A `?` placeholder is typed 'null' as well (the bound value decides
 * its type), but its SQL must stay in place: every `?` is bound by position.
 */
export function isNullLiteral(value: { readonly sql: string; readonly type: MyType }): boolean {
  return value.type.type === 'null' && /^(NULL|CAST\(NULL AS \w+\))$/.test(value.sql);
}

/** A value computed from an ENUM/SET column is a plain string (MIN(e) is a VARCHAR). */
export function withoutMembers(t: MyType): MyType {
  if (t.kind !== 'enum' && t.kind !== 'set') return t;
  const { type, length, nullable } = t;
  return {
    type,
    ...(length === undefined ? {} : { length }),
    ...(nullable === undefined ? {} : { nullable }),
  };
}

export const nullType: MyType = { type: 'null', nullable: true };
export const intType: MyType = { type: 'int', length: 11 };
export const bigintType: MyType = { type: 'bigint', length: 21 };
export const boolType: MyType = { type: 'int', length: 1 };
export const doubleType: MyType = { type: 'double', length: 23, scale: 31 };
export const dateType: MyType = { type: 'date', length: 10 };
export const timeType: MyType = { type: 'time', length: 10, scale: 0 };
export const jsonType: MyType = { type: 'json' };

/** The digits and sign an integer value prints with (MySQL's max_length of an integer item). */
export function integerLength(t: MyType): number {
  if (t.length !== undefined) return t.length;
  switch (t.type) {
    case 'bool':
      return 1;
    case 'tinyint':
      return 4;
    case 'smallint':
      return 6;
    case 'int':
      return 11;
    default:
      return 20;
  }
}

/** The digits of an integer value: a literal's own, else its display length less the sign. */
function integerPrecision(t: MyType): number {
  if (t.precision !== undefined) return t.precision;
  return integerLength(t) - (t.unsigned === true ? 0 : 1);
}

/**
 * MySQL's choice between INT and BIGINT for an integer function result (MariaDB's
 * type_handler_long_or_longlong): INT when the value prints in at most 9 characters.
 */
export function integerOfLength(length: number, unsigned = false): MyType {
  const base = length <= 9 ? intType : bigintType;
  return { ...base, length: Math.min(length, 21), ...(unsigned ? { unsigned: true } : {}) };
}

/** TIME(scale): 'HH:MM:SS' and its fraction digits. */
export function timeTypeOf(scale = 0): MyType {
  return { ...timeType, length: scale > 0 ? 11 + scale : 10, scale };
}

export function datetimeType(scale = 0): MyType {
  return { type: 'datetime', length: scale > 0 ? 20 + scale : 19, scale };
}
export function varcharType(length: number): MyType {
  return { type: 'varchar', length: Math.max(0, Math.min(length, 16_777_215)) };
}
export const textType: MyType = { type: 'text', length: 65_535 };

/**
 * Text a function formats itself (DATE_FORMAT, DAYNAME, HEX, CAST AS CHAR…): MariaDB sends it
 * with decimals 0, other computed text with 39. The scale of a string type carries that.
 */
export function formattedTextType(length: number): MyType {
  return { ...varcharType(length), scale: 0 };
}

export function decimalType(precision: number, scale: number): MyType {
  const s = Math.max(0, Math.min(scale, decimalScaleMax));
  const p = Math.max(s, 1, Math.min(precision, decimalPrecisionMax));
  return { type: 'decimal', precision: p, scale: s };
}

/** Digits before the point an integer type can hold. */
function integerDigits(t: MyType): number {
  switch (t.type) {
    case 'bool':
    case 'tinyint':
      return 3;
    case 'smallint':
      return 5;
    case 'int':
      return 10;
    case 'bigint':
    case 'blob':
    case 'char':
    case 'date':
    case 'datetime':
    case 'decimal':
    case 'double':
    case 'float':
    case 'json':
    case 'null':
    case 'text':
    case 'time':
    case 'timestamp':
    case 'varchar':
      return 19;
  }
}

/** An exact type's integer digits and scale. */
export function decimalShape(t: MyType): { digits: number; scale: number } {
  if (isDecimal(t)) {
    const scale = t.scale ?? 0;
    return { digits: (t.precision ?? 10) - scale, scale };
  }
  return { digits: integerDigits(t), scale: 0 };
}

/** The type of `a op b` for + - * / % DIV. */
export function arithmeticType(op: string, a: MyType, b: MyType): MyType {
  if (op === 'DIV') {
    // The dividend's length without its fraction (MariaDB Item_func_int_div).
    if (isInteger(a)) return integerOfLength(integerLength(a), a.unsigned === true);
    if (isDecimal(a)) {
      const scale = a.scale ?? 0;
      return integerOfLength((a.precision ?? 10) + 2 - (scale > 0 ? scale + 1 : 1));
    }
    return bigintType;
  }
  if (isNull(a) || isNull(b)) return doubleType;
  if (!isExact(a) || !isExact(b)) return doubleType;
  if (op !== '/' && isInteger(a) && isInteger(b)) {
    if (op === '%')
      return integerOfLength(Math.max(integerLength(a), integerLength(b)), a.unsigned === true);
    // MariaDB's widths (Item_func_plus/minus/mul): a sum has one digit more than its longer
    // operand, a product the digits of both; with the sign, up to 9 characters is an INT.
    const unsigned = a.unsigned === true || b.unsigned === true;
    const digits =
      op === '*'
        ? integerPrecision(a) + integerPrecision(b)
        : Math.max(integerPrecision(a), integerPrecision(b)) + 1;
    return { ...integerOfLength(digits + (unsigned ? 0 : 1), unsigned), precision: digits };
  }
  const x = decimalShape(a);
  const y = decimalShape(b);
  switch (op) {
    case '*':
      return decimalType(x.digits + y.digits + x.scale + y.scale, x.scale + y.scale);
    case '/': {
      const scale = x.scale + divPrecisionIncrement;
      return decimalType(x.digits + y.scale + scale, scale);
    }
    case '%': {
      const scale = Math.max(x.scale, y.scale);
      return decimalType(Math.max(x.digits, y.digits) + scale, scale);
    }
    default: {
      const scale = Math.max(x.scale, y.scale);
      return decimalType(Math.max(x.digits, y.digits) + 1 + scale, scale);
    }
  }
}

function stringLength(t: MyType): number {
  if (isString(t)) return t.length ?? 65_535;
  if (isDecimal(t)) return (t.precision ?? 10) + 2;
  if (isInteger(t)) return t.length ?? 21;
  // A DOUBLE column is 22 wide, a FLOAT column 12, DOUBLE(M,D) M; computed DOUBLEs carry 23.
  if (isFloat(t)) return t.length ?? t.precision ?? (t.type === 'float' ? 12 : 22);
  if (isTemporal(t)) return 26;
  return 0;
}

/** The length of a value shown as text. */
export function textLength(t: MyType): number {
  return stringLength(t);
}

/**
 * The common type of the branches of CASE, IF, IFNULL, COALESCE, GREATEST/LEAST and of UNION
 * columns: NULLs are ignored; numbers widen to DECIMAL or DOUBLE; anything mixed with text is text.
 */
export function aggregateType(types: readonly MyType[]): MyType {
  const present = types.filter((t) => !isNull(t));
  const nullable = types.some((t) => t.nullable !== false || isNull(t));
  const first = present[0];
  if (first === undefined) return nullType;
  const withNull = (t: MyType): MyType => ({ ...t, nullable });
  if (present.every((t) => isInteger(t))) {
    // Signed and unsigned integers together are a DECIMAL of the most digits, as MariaDB
    // aggregates them (IF(c, u, -2) of an INT UNSIGNED u is DECIMAL(10,0)).
    const unsigned = present.filter((t) => t.unsigned === true).length;
    if (unsigned > 0 && unsigned < present.length)
      return withNull(decimalType(Math.max(...present.map(integerPrecision)), 0));
    const widest = present.reduce((w, t) => (integerDigits(t) > integerDigits(w) ? t : w), first);
    return withNull(widest.type === 'bool' ? intType : widest);
  }
  if (present.every((t) => isExact(t))) {
    const shapes = present.map(decimalShape);
    const scale = Math.max(...shapes.map((s) => s.scale));
    const digits = Math.max(...shapes.map((s) => s.digits));
    return withNull(decimalType(digits + scale, scale));
  }
  if (present.every((t) => isNumeric(t))) return withNull(withDoubleDecimals(doubleType, present));
  if (present.every((t) => isTemporal(t))) {
    if (present.every((t) => t.type === first.type)) return withNull(first);
    if (present.every((t) => t.type !== 'time')) {
      return withNull(datetimeType(Math.max(...present.map((t) => t.scale ?? 0))));
    }
  }
  if (present.every((t) => t.type === 'json')) return withNull(jsonType);
  const length = Math.max(...present.map(stringLength));
  // With a binary string the result is binary (MariaDB: COALESCE(varbinary, varchar) is
  // VARBINARY); it compares and sorts by its bytes.
  if (present.some((t) => t.type === 'blob')) return withNull({ type: 'blob', length });
  return withNull(
    present.some((t) => t.type === 'text') || length > 65_535 ? textType : varcharType(length),
  );
}
