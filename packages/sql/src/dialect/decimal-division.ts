/**
 * MySQL's `/` of exact numbers (integers and DECIMALs) in DuckDB, whose own DECIMAL division
 * returns a DOUBLE: `b / 10` of a BIGINT lost its last digits (900719925474099.2000 for
 * 9007199254740993 / 10).
 *
 * MariaDB divides in decimal (strings/decimal.c, do_div_mod) and keeps more digits than the
 * result type shows: the quotient's fraction is a whole number of 9-digit words, enough for
 * both operands' fractions (each padded to words) plus div_precision_increment, less the
 * padding — 9 digits for integers (1/3 is 0.333333333, truncated, so 1/3*3 shows 1.0000), 18
 * for DECIMAL(15,2) / DECIMAL(15,2). The quotient here is computed the same way, with 128-bit
 * integers: both operands scaled to integers, divided with truncation, and the result read back
 * as a DECIMAL(38, S) (`engineScale` S on the result). The output type (scale of the dividend
 * + 4) rounds it when it is shown. When the scaled dividend would pass 38 digits, fewer hidden
 * digits; when not even the type's shown digits fit (a SUM's DECIMAL(37,2), DECIMAL(38,x)
 * columns), undefined: the caller divides in DOUBLE.
 */
import { decimalShape, divPrecisionIncrement, isDecimal, isInteger } from './type-rules.js';
import type { MyType, Typed } from './types.js';

const wordDigits = 9;
const duckDigitsMax = 38;

function roundUpToWord(digits: number): number {
  return Math.ceil(digits / wordDigits) * wordDigits;
}

/** The fraction digits MariaDB's decimal division computes for these operand scales. */
export function quotientScale(dividendScale: number, divisorScale: number): number {
  const a = roundUpToWord(dividendScale);
  const b = roundUpToWord(divisorScale);
  const increment = Math.max(0, divPrecisionIncrement - (a - dividendScale) - (b - divisorScale));
  return roundUpToWord(a + b + increment);
}

/** Digits of an exact type, fraction included (an INT's 10, a DECIMAL(15,2)'s 15). */
function totalDigits(value: Typed): number {
  const shape = decimalShape(value.type);
  return shape.digits + (value.engineScale ?? shape.scale) + (value.type.unsigned === true ? 1 : 0);
}

/**
 * `value` × 10^power as a HUGEINT, exact when the value has at most `scale` fraction digits and
 * `power` ≥ `scale`. A DECIMAL is made an integer by its own scale first: multiplied by the
 * whole power as a DECIMAL, DuckDB would keep the scale's digits too and overflow 38 digits.
 */
function scaledInteger(value: Typed, scale: number, power: number): string {
  const rest = isInteger(value.type) ? power : power - scale;
  const integer =
    isInteger(value.type) || scale === 0
      ? `CAST(${value.sql} AS HUGEINT)`
      : unscaledInteger(value.sql, scale, totalDigits(value));
  return rest === 0 ? integer : `(${integer} * ${tenTo(rest)})`;
}

/** 10^power as an integer literal. */
export function tenTo(power: number): string {
  return `1${'0'.repeat(power)}`;
}

/** 10^-scale as a DECIMAL literal (1 for scale 0): multiplying by it keeps a DECIMAL exact. */
export function tenToMinus(scale: number): string {
  return scale <= 0 ? '1' : `0.${'0'.repeat(scale - 1)}1`;
}

/**
 * A DECIMAL's digits as an integer (12.34 with scale 2 is 1234). Multiplied by 10^scale, its
 * DuckDB value needs `digits + scale` digits; when that passes 38 the whole part and the
 * fraction are scaled apart.
 */
function unscaledInteger(sql: string, scale: number, digits: number): string {
  const decimal = `CAST(${sql} AS DECIMAL(38,${scale}))`;
  const factor = `CAST(${tenTo(scale)} AS DECIMAL(${scale + 1},0))`;
  if (digits + scale <= duckDigitsMax) return `CAST(${decimal} * ${factor} AS HUGEINT)`;
  const whole = `trunc(${decimal})`;
  return `(CAST(${whole} AS HUGEINT) * ${tenTo(scale)} + CAST((${decimal} - ${whole}) * ${factor} AS HUGEINT))`;
}

/** DuckDB SQL for MariaDB's exact quotient of two exact numbers, or undefined (see above). */
export function duckExactQuotient(
  a: Typed,
  b: Typed,
  resultScale: number,
): { sql: string; scale: number } | undefined {
  const exact = (t: MyType) => isInteger(t) || isDecimal(t);
  if (!exact(a.type) || !exact(b.type)) return undefined;
  const dividendScale = a.engineScale ?? decimalShape(a.type).scale;
  const divisorScale = b.engineScale ?? decimalShape(b.type).scale;
  // The dividend is scaled by 10^(scale + divisor scale) into at most 38 digits: past that,
  // fewer digits than MariaDB's (which has 81), as long as the type's own still fit.
  const dividendDigits = totalDigits(a) - dividendScale;
  const scale = Math.min(
    quotientScale(dividendScale, divisorScale),
    duckDigitsMax - dividendDigits - divisorScale,
  );
  const power = scale + divisorScale;
  if (scale < resultScale || power < dividendScale) return undefined;
  if (totalDigits(b) > duckDigitsMax || scale > duckDigitsMax - 1) return undefined;
  const dividend = scaledInteger(a, dividendScale, power);
  const divisor = scaledInteger(b, divisorScale, divisorScale);
  return {
    sql: `(CAST(${dividend} // NULLIF(${divisor}, 0) AS DECIMAL(38,0)) * ${tenToMinus(scale)})`,
    scale,
  };
}
