/**
 * What a column holds, as conditions on a value computed from columns (see
 * `update-value-checks.ts`): the condition under which the value does not fit, the value as
 * the column keeps it, and MariaDB's error and warning.
 */
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { doubleLimit, doubleSqlText, hasFixedDecimals } from '../catalog/double-fit.js';
import type { Expr, LiteralExpr } from '../parser/ast.js';
import { formatExpr } from '../parser/format-expr.js';
import { mapExpr } from '../parser/walk.js';
import type { Warning } from './context.js';

const INTEGER_RANGE: Readonly<Record<string, readonly [bigint, bigint, bigint]>> = {
  // [signed min, signed max, unsigned max]
  tinyint: [-128n, 127n, 255n],
  bool: [-128n, 127n, 255n],
  smallint: [-32768n, 32767n, 65535n],
  mediumint: [-8388608n, 8388607n, 16777215n],
  int: [-2147483648n, 2147483647n, 4294967295n],
  bigint: [-9223372036854775808n, 9223372036854775807n, 18446744073709551615n],
};

export interface Fit {
  /** True when the value does not fit (strict mode refuses it, otherwise it warns). */
  readonly refused: Expr;
  /** The value as the column keeps it (clamped, cut). */
  readonly adjusted: Expr;
  readonly error: (column: string) => [number, string, string];
  readonly warning: (column: string) => Warning;
  /** An error in every mode (an expression that overflows, rather than a column too small). */
  readonly always?: boolean;
}

export function fitOf(column: ColumnDef, table: TableDef, value: Expr): Fit | undefined {
  const integers = INTEGER_RANGE[column.type];
  if (integers !== undefined) {
    // DuckDB's BIGINT arithmetic fails on overflow itself; SQLite's turns into a float, which
    // MariaDB's BIGINT arithmetic refuses in every mode (1690).
    if (column.type === 'bigint' && (table.storage === 'column' || column.unsigned === true))
      return undefined;
    if (column.type === 'bigint') return overflowFit(value, table);
    const min = column.unsigned === true ? 0n : integers[0];
    const max = column.unsigned === true ? integers[2] : integers[1];
    return rangeFit(value, { min: intLiteral(min), max: intLiteral(max) });
  }
  if (column.type === 'decimal') {
    const precision = column.precision ?? 10;
    const scale = column.scale ?? 0;
    const digits = `${'9'.repeat(Math.max(0, precision - scale)) || '0'}${scale > 0 ? `.${'9'.repeat(scale)}` : ''}`;
    // Values round to the column's scale: the first that rounds past the largest is the limit.
    const limit = `${digits}${scale > 0 ? '' : '.'}5`;
    const least = column.unsigned === true ? '0' : `-${digits}`;
    const leastLimit = column.unsigned === true ? `-0.${'0'.repeat(scale)}5` : `-${limit}`;
    return rangeFit(value, {
      min: decimalLiteral(least),
      max: decimalLiteral(digits),
      below: decimalLiteral(leastLimit),
      above: decimalLiteral(limit),
      inclusive: true,
    });
  }
  if (column.type === 'double' || column.type === 'float') return doubleFit(column, value);
  if (column.values !== undefined && column.values.length > 0) return memberFit(column, value);
  if ((column.type === 'varchar' || column.type === 'char') && column.length !== undefined) {
    const length = intLiteral(BigInt(column.length));
    const trimmed = call('CHAR_LENGTH', [call('RTRIM', [value])]);
    return {
      refused: { kind: 'binary', op: '>', left: trimmed, right: length },
      // CHAR keeps no trailing spaces (MariaDB pads it on read, and strips them).
      adjusted:
        column.type === 'char'
          ? call('RTRIM', [call('LEFT', [value, length])])
          : call('LEFT', [value, length]),
      error: (name) => [1406, '22001', `Data too long for column '${name}' at row 1`],
      warning: (name) => ({
        level: 'Warning',
        code: 1265,
        message: `Data truncated for column '${name}' at row 1`,
      }),
    };
  }
  return undefined;
}

interface Range {
  readonly min: LiteralExpr;
  readonly max: LiteralExpr;
  /** The limits the value is compared with (the range itself unless given). */
  readonly below?: LiteralExpr;
  readonly above?: LiteralExpr;
  /** Whether reaching a limit is already out of range. */
  readonly inclusive?: boolean;
}

function rangeFit(value: Expr, range: Range): Fit {
  const under: Expr = {
    kind: 'binary',
    op: range.inclusive === true ? '<=' : '<',
    left: value,
    right: range.below ?? range.min,
  };
  const over: Expr = {
    kind: 'binary',
    op: range.inclusive === true ? '>=' : '>',
    left: value,
    right: range.above ?? range.max,
  };
  return {
    refused: { kind: 'binary', op: 'OR', left: under, right: over },
    adjusted: {
      kind: 'case',
      whens: [
        { when: under, then: range.min },
        { when: over, then: range.max },
      ],
      else: value,
    },
    error: (name) => [1264, '22003', `Out of range value for column '${name}' at row 1`],
    warning: (name) => ({
      level: 'Warning',
      code: 1264,
      message: `Out of range value for column '${name}' at row 1`,
    }),
  };
}

/**
 * DOUBLE(M,D), FLOAT(M,D) and UNSIGNED DOUBLE/FLOAT columns (`catalog/double-fit.ts`): the value
 * rounded to D decimals must stay within the column's limit, and an unsigned column refuses a
 * negative value before rounding (it keeps 0). A plain signed DOUBLE or FLOAT needs no check.
 */
function doubleFit(column: ColumnDef, value: Expr): Fit | undefined {
  if (!hasFixedDecimals(column) && column.unsigned !== true) return undefined;
  const rounded = hasFixedDecimals(column)
    ? call('#DOUBLE_ROUND', [value, intLiteral(BigInt(column.scale ?? 0))])
    : value;
  const limit = doubleLiteral(doubleLimit(column));
  const unsigned = column.unsigned === true;
  const negativeLimit = doubleLiteral(-doubleLimit(column));
  const under: Expr = unsigned
    ? { kind: 'binary', op: '<', left: value, right: intLiteral(0n) }
    : { kind: 'binary', op: '<', left: rounded, right: negativeLimit };
  const over: Expr = { kind: 'binary', op: '>', left: rounded, right: limit };
  return {
    refused: { kind: 'binary', op: 'OR', left: under, right: over },
    adjusted: {
      kind: 'case',
      whens: [
        { when: under, then: unsigned ? intLiteral(0n) : negativeLimit },
        { when: over, then: limit },
      ],
      else: rounded,
    },
    error: (name) => [1264, '22003', `Out of range value for column '${name}' at row 1`],
    warning: (name) => ({
      level: 'Warning',
      code: 1264,
      message: `Out of range value for column '${name}' at row 1`,
    }),
  };
}

/** An ENUM or SET column: its members as declared, else 1265 ('' or the members found). */
function memberFit(column: ColumnDef, value: Expr): Fit {
  const kind = column.mysqlType.startsWith('set') ? 'set' : 'enum';
  const args: Expr[] = [
    value,
    { kind: 'literal', type: 'string', value: kind },
    { kind: 'literal', type: 'string', value: JSON.stringify(column.values ?? []) },
  ];
  const truncated = (name: string): string => `Data truncated for column '${name}' at row 1`;
  return {
    refused: { kind: 'binary', op: '=', left: call('#MEMBER_FITS', args), right: intLiteral(0n) },
    adjusted: call('#MEMBER_STORE', args),
    error: (name) => [1265, '01000', truncated(name)],
    warning: (name) => ({ level: 'Warning', code: 1265, message: truncated(name) }),
  };
}

function overflowFit(value: Expr, table: TableDef): Fit {
  const range = rangeFit(value, {
    min: intLiteral(INTEGER_RANGE['bigint']?.[0] ?? 0n),
    max: intLiteral(INTEGER_RANGE['bigint']?.[1] ?? 0n),
  });
  const named = mapExpr(value, (node) =>
    node.kind === 'column' ? { ...node, database: table.database, table: table.name } : node,
  );
  const message = `BIGINT value is out of range in '${formatExpr(named)}'`;
  return { ...range, always: true, error: () => [1690, '22003', message] };
}

export function raise(errno: number, sqlState: string, message: string): Expr {
  return call('#RAISE', [
    { kind: 'literal', type: 'string', value: `${errno}:${sqlState}:${message}` },
  ]);
}

function call(name: string, args: readonly Expr[]): Expr {
  return { kind: 'call', name, args };
}

export function intLiteral(value: bigint): LiteralExpr {
  const safe = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
  return { kind: 'literal', type: 'int', value: safe ? Number(value) : value, raw: String(value) };
}

function decimalLiteral(text: string): LiteralExpr {
  return { kind: 'literal', type: 'decimal', value: text, raw: text };
}

function doubleLiteral(value: number): LiteralExpr {
  return { kind: 'literal', type: 'double', value, raw: doubleSqlText(value) };
}
