/**
 * How a number is stored in a DOUBLE or FLOAT column, as MariaDB 10.11 stores it (Field_double
 * and Field_float, through truncate_double in sql/field.cc):
 * - an UNSIGNED column refuses any negative number (it becomes 0), before rounding;
 * - DOUBLE(M,D) and FLOAT(M,D) round to D decimals by rounding the fraction alone, half to even,
 *   in double arithmetic: `floor(x) + rint((x − floor(x)) · 10^D) / 10^D` (so 2.675, which is
 *   2.67499… as a double, keeps 2.67; 0.125 becomes 0.12 and 0.375 becomes 0.38);
 * - the largest value is 10^(M−D) − 10^−D (99999999.99 for DOUBLE(10,2)), and for a FLOAT at
 *   most the largest single-precision value; a value beyond it becomes that limit with its sign.
 * A value that had to change other than by rounding is out of range: strict mode refuses it
 * (1264), other modes keep the limit with a warning. The partitions compute the same rounding in
 * engine SQL (`dialect/functions/write-checks.ts`, `#DOUBLE_ROUND`).
 */
import type { ColumnDef } from './types.js';

type FloatColumn = Pick<ColumnDef, 'type' | 'precision' | 'scale' | 'unsigned'>;

/** The largest single-precision value (FLT_MAX). */
const floatMax = 3.4028234663852886e38;

export interface DoubleFit {
  /** The value as the column keeps it. */
  readonly value: number;
  /** The value did not fit and was replaced by the nearest limit. */
  readonly outOfRange: boolean;
}

/** 10^n as the double nearest to it (what a C table of `1e<n>` literals holds). */
function powerOfTen(exponent: number): number {
  return Number(`1e${exponent}`);
}

/** Whether the column rounds its values to a number of decimals (DOUBLE(M,D), FLOAT(M,D)). */
export function hasFixedDecimals(column: Pick<ColumnDef, 'type' | 'scale'>): boolean {
  return (column.type === 'double' || column.type === 'float') && column.scale !== undefined;
}

/** The largest magnitude the column holds. */
export function doubleLimit(column: FloatColumn): number {
  const typeMax = column.type === 'float' ? floatMax : Number.MAX_VALUE;
  if (column.scale === undefined) return typeMax;
  const scale = column.scale;
  const digits = (column.precision ?? scale) - scale;
  return Math.min(typeMax, powerOfTen(digits) - 1 / powerOfTen(scale));
}

/** Round half to even to an integer (C's rint in the default rounding mode). */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const rest = value - floor;
  if (rest < 0.5) return floor;
  if (rest > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The value rounded to `scale` decimals the way MariaDB rounds a DOUBLE(M,D). */
export function roundToDecimals(value: number, scale: number): number {
  if (!Number.isFinite(value)) return value;
  const power = powerOfTen(scale);
  const floor = Math.floor(value);
  return floor + roundHalfEven((value - floor) * power) / power;
}

/** The number as the column keeps it, and whether it was out of range. */
export function fitDouble(value: number, column: FloatColumn): DoubleFit {
  if (Number.isNaN(value)) return { value: 0, outOfRange: true };
  if (column.unsigned === true && value < 0) return { value: 0, outOfRange: true };
  const rounded = column.scale === undefined ? value : roundToDecimals(value, column.scale);
  const limit = doubleLimit(column);
  if (rounded > limit) return { value: single(column, limit), outOfRange: true };
  if (rounded < -limit) return { value: single(column, -limit), outOfRange: true };
  return { value: single(column, rounded), outOfRange: false };
}

/**
 * A FLOAT keeps the single-precision value (0.1 is 0.10000000149011612), so that it compares
 * with other numbers as MySQL's does wherever it is read: a rowstore keeps it as that double.
 */
function single(column: FloatColumn, value: number): number {
  return column.type === 'float' ? Math.fround(value) : value;
}

/**
 * `roundToDecimals` in DuckDB SQL over the double `x` (an expression, repeated): the same
 * operations in the same order, with round_even for rint.
 */
export function duckdbDoubleRound(x: string, scale: number): string {
  const power = `CAST(1e${scale} AS DOUBLE)`;
  const floor = `floor(${x})`;
  return `(${floor} + round_even((${x} - ${floor}) * ${power}, 0) / ${power})`;
}

/** A double as SQL text that both engines read back as exactly that double. */
export function doubleSqlText(value: number): string {
  return value.toExponential();
}
