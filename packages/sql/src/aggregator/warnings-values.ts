/**
 * Values as the expression-warning walk (`warnings-expressions.ts`) sees them: a kind (INT,
 * DECIMAL, DOUBLE or a string) and a number, the static kinds MariaDB picks for arithmetic, and
 * its string-to-number conversion with the 1292 warning it raises.
 */
import type { Expr } from '../parser/ast.js';
import type { SqlValue } from '../values.js';
import type { Warning } from './context.js';

export type Kind = 'int' | 'decimal' | 'double' | 'string';

/** A value as far as warnings need it: its kind, its number (strings and DECIMAL literals also keep their text). */
export interface Known {
  readonly kind: Kind;
  readonly number: number;
  readonly text?: string;
}

export const UNKNOWN = Symbol('unknown');
export type Value = Known | null | typeof UNKNOWN;

/** The conversions MariaDB names in 1292's message. */
export type Target = 'DOUBLE' | 'DECIMAL' | 'INTEGER';

const INTEGER_PREFIX = /^\s*[+-]?\d*/;
const NUMBER_PREFIX = /^\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)?/;

/**
 * The number MariaDB reads from a value as DOUBLE, DECIMAL or INTEGER (`unsigned` for CAST AS
 * UNSIGNED), with its warning: a
 * string must be a whole number of that kind (leading spaces allowed); trailing spaces only
 * give a Note, anything else left over (or no digits, or an integer beyond 64 bits) a Warning.
 */
export function readNumber(
  value: Known,
  target: Target,
  unsigned = false,
): { number: number; warning?: Warning } {
  if (value.kind !== 'string')
    return { number: target === 'INTEGER' ? Math.trunc(value.number) : value.number };
  const text = value.text ?? '';
  const pattern = target === 'INTEGER' ? INTEGER_PREFIX : NUMBER_PREFIX;
  const prefix = pattern.exec(text)?.[0] ?? '';
  const rest = text.slice(prefix.length);
  const digits = /\d/.test(prefix);
  const number = digits ? Number(prefix.trim()) : 0;
  // An integer beyond 64 bits is cut too (MariaDB's my_strtoll10 overflow); read as UNSIGNED,
  // up to 2^64 - 1 fits.
  const big = target === 'INTEGER' && digits ? BigInt(prefix.trim()) : 0n;
  const overflow = unsigned
    ? big > 2n ** 64n - 1n || big < -(2n ** 63n)
    : big > 2n ** 63n - 1n || big < -(2n ** 63n);
  if (digits && rest.length === 0 && !overflow) return { number };
  const onlySpaces = digits && !overflow && /^\s*$/.test(rest);
  return {
    number,
    warning: {
      level: onlySpaces ? 'Note' : 'Warning',
      code: 1292,
      message: `Truncated incorrect ${target} value: '${text}'`,
    },
  };
}

const READING_KINDS: ReadonlySet<unknown> = new Set([
  'column',
  'star',
  'subquery',
  'exists',
  'quantified',
  'windowCall',
  'default',
  'variable',
  'assign',
]);

/** Whether `expr` reads nothing but literals and parameters (no column, subquery, variable). */
export function isConstantExpr(expr: unknown): boolean {
  if (Array.isArray(expr)) return expr.every(isConstantExpr);
  if (expr === null || typeof expr !== 'object') return true;
  if (READING_KINDS.has((expr as { kind?: unknown }).kind)) return false;
  if ((expr as { query?: unknown }).query !== undefined) return false;
  return Object.values(expr).every((child) => typeof child !== 'object' || isConstantExpr(child));
}

/** Whether `expr` could raise one of these warnings (a cheap syntactic check). */
export function mayWarn(expr: unknown): boolean {
  if (Array.isArray(expr)) return expr.some(mayWarn);
  if (expr === null || typeof expr !== 'object') return false;
  const node = expr as { kind?: unknown; op?: unknown; type?: unknown };
  if (node.kind === 'binary' && (node.op === '/' || node.op === '%' || node.op === 'DIV'))
    return true;
  if (node.kind === 'literal' && node.type === 'string') return true;
  if (node.kind === 'param') return true;
  // A logarithm of 0 "divides by 0" (1365).
  if (node.kind === 'call' && LOGARITHMS.has((node as { name?: unknown }).name)) return true;
  // A cast to an integer can overflow or wrap a negative number around (1916, 1105).
  if (node.kind === 'cast' && INTEGER_CASTS.has((node.type as { name?: unknown }).name))
    return true;
  return Object.values(expr).some((child) => typeof child === 'object' && mayWarn(child));
}

const LOGARITHMS: ReadonlySet<unknown> = new Set(['LN', 'LOG', 'LOG2', 'LOG10']);
const INTEGER_CASTS: ReadonlySet<unknown> = new Set(['SIGNED', 'UNSIGNED', 'INT', 'BIGINT']);

export function integer(number: number): Known {
  return { kind: 'int', number };
}

export function literal(type: string, value: unknown): Value {
  switch (type) {
    case 'null':
      return null;
    case 'int':
    case 'bool':
      return integer(Number(value === true ? 1 : value === false ? 0 : value));
    case 'decimal':
      return { kind: 'decimal', number: Number(value), text: String(value) };
    case 'double':
      return { kind: 'double', number: Number(value) };
    case 'string':
      return { kind: 'string', number: 0, text: String(value) };
    default:
      return UNKNOWN;
  }
}

export function fromSqlValue(value: SqlValue | undefined): Value {
  if (value === undefined) return UNKNOWN;
  if (value === null) return null;
  if (typeof value === 'number')
    return { kind: Number.isInteger(value) ? 'int' : 'double', number: value };
  if (typeof value === 'bigint') return integer(Number(value));
  if (typeof value === 'string') return { kind: 'string', number: 0, text: value };
  return UNKNOWN;
}

/** The static kind of an expression, where it is plain from the syntax. */
export function kindOf(expr: Expr): Kind | undefined {
  switch (expr.kind) {
    case 'literal':
      if (expr.type === 'int' || expr.type === 'bool') return 'int';
      if (expr.type === 'decimal' || expr.type === 'double' || expr.type === 'string')
        return expr.type;
      return undefined;
    case 'unary':
      return expr.op === '-' || expr.op === '+' ? numericKind(kindOf(expr.operand)) : undefined;
    case 'binary':
      if (expr.op === '+' || expr.op === '-' || expr.op === '*')
        return resultKind(kindOf(expr.left), kindOf(expr.right));
      if (expr.op === '/') {
        const kind = resultKind(kindOf(expr.left), kindOf(expr.right));
        return kind === 'int' ? 'decimal' : kind;
      }
      if (expr.op === '%') return resultKind(kindOf(expr.left), kindOf(expr.right));
      if (expr.op === 'DIV') return 'int';
      return 'int';
    case 'cast': {
      const name = expr.type.name;
      if (name === 'SIGNED' || name === 'UNSIGNED') return 'int';
      if (name === 'DECIMAL') return 'decimal';
      if (name === 'DOUBLE' || name === 'FLOAT') return 'double';
      return undefined;
    }
    default:
      return undefined;
  }
}

function numericKind(kind: Kind | undefined): Kind | undefined {
  return kind === 'string' ? 'double' : kind;
}

/** The kind of an arithmetic result: DOUBLE with a string or float, then DECIMAL, then INT. */
export function resultKind(left: Kind | undefined, right: Kind | undefined): Kind | undefined {
  if (left === undefined || right === undefined) return undefined;
  if (left === 'string' || right === 'string' || left === 'double' || right === 'double')
    return 'double';
  if (left === 'decimal' || right === 'decimal') return 'decimal';
  return 'int';
}
