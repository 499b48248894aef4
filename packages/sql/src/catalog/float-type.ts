/**
 * DOUBLE, FLOAT and REAL column types as MariaDB 10.11 declares them (MariaDB Knowledge Base,
 * "DOUBLE", "FLOAT"): DOUBLE(M,D) and FLOAT(M,D) keep M digits in all and D decimals (values are
 * rounded to D decimals and their integer part holds M−D digits, `double-fit.ts`); DOUBLE(0,0)
 * is a plain DOUBLE; FLOAT(p) with one argument is a FLOAT up to p = 24 and a DOUBLE up to 53.
 * The checks and messages are MariaDB's, in its order: M < D (1427), D > 30 (1425), M > 255
 * (1439), p > 53 (1063).
 */
import type { DataType } from '../parser/ast.js';
import { sqlError } from '../errors.js';

export interface FloatType {
  readonly type: 'double' | 'float';
  readonly mysqlType: string;
  readonly precision?: number;
  readonly scale?: number;
  readonly unsigned: boolean;
}

/** MariaDB's FLOATING_POINT_DECIMALS less one: the most decimals a DOUBLE(M,D) keeps. */
export const floatScaleMax = 30;
/** MariaDB's MAX_FIELD_CHARLENGTH: the largest M of DOUBLE(M,D). */
const floatDigitsMax = 255;
/** FLOAT(p) beyond this many bits of mantissa is refused; above 24 it is a DOUBLE. */
const floatBitsMax = 53;
const singleBitsMax = 24;

/** Refuses a scale larger than the precision (1427), as MariaDB does for DECIMAL too. */
export function checkScaleFits(column: string, precision: number, scale: number): void {
  if (scale > precision)
    throw sqlError(
      'M_BIGGER_THAN_D',
      `For float(M,D), double(M,D) or decimal(M,D), M must be >= D (column '${column}')`,
    );
}

export function resolveFloatType(declared: DataType, column: string): FloatType {
  const unsigned = declared.unsigned === true;
  const sign = unsigned ? ' unsigned' : '';
  const name = declared.name === 'FLOAT' ? 'float' : 'double';
  const precision = declared.precision;
  const scale = declared.scale;
  if (precision !== undefined && scale !== undefined) {
    checkScaleFits(column, precision, scale);
    if (scale > floatScaleMax)
      throw sqlError(
        'TOO_BIG_SCALE',
        `Too big scale specified for '${column}'. Maximum is ${floatScaleMax}`,
      );
    if (precision > floatDigitsMax)
      throw sqlError(
        'TOO_BIG_DISPLAYWIDTH',
        `Display width out of range for '${column}' (max = ${floatDigitsMax})`,
      );
    if (precision > 0)
      return {
        type: name,
        mysqlType: `${name}(${precision},${scale})${sign}`,
        precision,
        scale,
        unsigned,
      };
  }
  const bits = name === 'float' ? declared.length : undefined;
  if (bits !== undefined && bits > floatBitsMax)
    throw sqlError('WRONG_FIELD_SPEC', `Incorrect column specifier for column '${column}'`);
  const single = name === 'float' && (bits === undefined || bits <= singleBitsMax);
  return {
    type: single ? 'float' : 'double',
    mysqlType: `${single ? 'float' : 'double'}${sign}`,
    unsigned,
  };
}
