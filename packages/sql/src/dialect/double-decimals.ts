/**
 * The decimals of a DOUBLE result, as MariaDB 10.11 derives them (Item_func::count_real_length,
 * Item_func_div and Item_sum_avg::fix_length_and_dec_double): an integer operand has 0, a
 * DECIMAL its scale, a DOUBLE(M,D) column or ROUND(x, D) D, and any other DOUBLE none fixed
 * (31, NOT_FIXED_DEC). `+ - * %`, SUM, ABS and COALESCE-like choices keep the largest of their
 * operands', `/`, AVG, STD and VARIANCE add div_precision_increment (4); 31 or more is not
 * fixed. A DOUBLE with fixed decimals prints exactly that many (`d + 1` over a DOUBLE(10,2) is
 * `2.50`). Only results over a DOUBLE with fixed decimals get them: exact operands alone keep
 * the plain DOUBLE they had.
 */
import type { SqlType } from '../values.js';
import type { MyType } from './types.js';

/** MariaDB's NOT_FIXED_DEC for numbers (FLOATING_POINT_DECIMALS). */
const notFixed = 31;

const integers: ReadonlySet<SqlType> = new Set(['tinyint', 'smallint', 'int', 'bigint', 'bool']);

function isFloat(t: MyType): boolean {
  return t.type === 'double' || t.type === 'float';
}

/** The decimals a DOUBLE or FLOAT prints when they are fixed, else undefined. */
export function fixedDoubleDecimals(t: MyType): number | undefined {
  return isFloat(t) && t.scale !== undefined && t.scale < notFixed ? t.scale : undefined;
}

/** The decimals an operand brings to a DOUBLE result. */
function decimalsOf(t: MyType): number {
  if (integers.has(t.type)) return 0;
  if (t.type === 'decimal') return t.scale ?? 0;
  return fixedDoubleDecimals(t) ?? notFixed;
}

/**
 * The fixed decimals of a DOUBLE computed from `operands` (their largest plus `increment`), or
 * undefined when they are not fixed.
 */
export function doubleResultDecimals(
  operands: readonly MyType[],
  increment = 0,
): number | undefined {
  if (!operands.some((t) => fixedDoubleDecimals(t) !== undefined)) return undefined;
  const decimals = Math.max(...operands.map(decimalsOf)) + increment;
  return decimals >= notFixed ? undefined : decimals;
}

/** `base` (a DOUBLE type) with the decimals computed from `operands`. */
export function withDoubleDecimals(
  base: MyType,
  operands: readonly MyType[],
  increment = 0,
): MyType {
  const decimals = doubleResultDecimals(operands, increment);
  return decimals === undefined ? base : { ...base, scale: decimals };
}
