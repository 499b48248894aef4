/**
 * The warnings MariaDB raises while it evaluates an expression that reads no table: division
 * by zero (1365, only with ERROR_FOR_DIVISION_BY_ZERO in sql_mode) and strings read as numbers
 * (1292 "Truncated incorrect DOUBLE|DECIMAL|INTEGER value: '…'", a Note when only trailing
 * spaces are left over), text read as dates and numbers cast to integers
 * (`warnings-conversions.ts`). The engines compute the values; this walks the expression the way
 * MariaDB's items evaluate it (Item_func_div, Item_func_mod, Item_func_int_div, the arithmetic
 * and comparison functions, IF/CASE/COALESCE taking one branch) to find which warnings it gives,
 * in order. A part it cannot follow (a function it does not model, a subquery) is `UNKNOWN`:
 * its own arguments are still walked, and a division by it raises nothing.
 */
import type { CastExpr, Expr } from '../parser/ast.js';
import type { SqlValue } from '../values.js';
import type { Warning } from './context.js';
import {
  UNKNOWN,
  fromSqlValue,
  integer,
  kindOf,
  literal,
  readNumber,
  resultKind,
  type Known,
  type Target,
  type Value,
} from './warnings-values.js';
import { jsonCallValue } from './warnings-json.js';
import {
  DATETIME_ARGUMENTS,
  TIME_ARGUMENTS,
  integerCast,
  temporalWarning,
} from './warnings-conversions.js';

export interface ExpressionWarningOptions {
  readonly params: readonly SqlValue[];
  /** ERROR_FOR_DIVISION_BY_ZERO is in sql_mode: without it a division by zero is silent. */
  readonly divisionWarnings: boolean;
}

/** At most this many warnings per statement are kept (MariaDB's max_error_count is 64). */
const WARNINGS_MAX = 64;

/** The warnings evaluating `exprs` in order gives, as MariaDB raises them. */
export function expressionWarnings(
  exprs: readonly Expr[],
  options: ExpressionWarningOptions,
): Warning[] {
  const walker = new Walker(options);
  for (const expr of exprs) walker.evaluate(expr);
  return walker.warnings.slice(0, WARNINGS_MAX);
}

/**
 * The warnings of a WHERE that reads no table, and whether it holds (undefined when the walk
 * cannot tell; the caller then leaves out what depends on it).
 */
export function conditionWarnings(
  expr: Expr,
  options: ExpressionWarningOptions,
): { warnings: Warning[]; holds: boolean | undefined } {
  const walker = new Walker(options);
  const value = walker.evaluate(expr);
  if (value === UNKNOWN) return { warnings: walker.warnings, holds: undefined };
  if (value === null) return { warnings: walker.warnings, holds: false };
  const truth = value.kind === 'string' ? undefined : value.number !== 0;
  return { warnings: walker.warnings, holds: truth };
}

class Walker {
  readonly warnings: Warning[] = [];

  constructor(private readonly options: ExpressionWarningOptions) {}

  evaluate(expr: Expr): Value {
    switch (expr.kind) {
      case 'literal':
        return literal(expr.type, expr.value);
      case 'param':
        return fromSqlValue(this.options.params[expr.index]);
      case 'unary':
        return this.unary(expr.op, expr.operand);
      case 'binary':
        return this.binary(expr.op, expr.left, expr.right);
      case 'isNull': {
        const value = this.evaluate(expr.expr);
        if (value === UNKNOWN) return UNKNOWN;
        return integer((value === null) !== expr.not ? 1 : 0);
      }
      case 'case':
        return this.caseOf(expr);
      case 'cast':
        return this.cast(expr);
      case 'call':
        return this.call(expr.name, expr.args);
      default:
        return UNKNOWN;
    }
  }

  private unary(op: string, operand: Expr): Value {
    const value = this.evaluate(operand);
    if (value === null || value === UNKNOWN) return value;
    if (op === '-' || op === '+') {
      const number = this.number(value, 'DOUBLE');
      // A DECIMAL keeps its text, which 1916 quotes.
      const text =
        value.kind === 'decimal' && value.text !== undefined && op === '-'
          ? value.text.startsWith('-')
            ? value.text.slice(1)
            : `-${value.text}`
          : value.kind === 'decimal'
            ? value.text
            : undefined;
      return {
        kind: value.kind === 'string' ? 'double' : value.kind,
        number: op === '-' ? -number : number,
        ...(text === undefined ? {} : { text }),
      };
    }
    if (op === 'NOT')
      return value.kind === 'string' ? UNKNOWN : integer(value.number === 0 ? 1 : 0);
    return UNKNOWN;
  }

  private binary(op: string, left: Expr, right: Expr): Value {
    switch (op) {
      case 'AND':
      case 'OR': {
        const first = this.truth(this.evaluate(left));
        // AND stops at a false operand, OR at a true one (Item_cond_and/or::val_int).
        if (first === (op === 'OR')) return integer(first ? 1 : 0);
        const second = this.truth(this.evaluate(right));
        if (first === UNKNOWN || second === UNKNOWN) return UNKNOWN;
        if (op === 'AND')
          return first === false || second === false
            ? integer(0)
            : first === null || second === null
              ? null
              : integer(1);
        return first === true || second === true
          ? integer(1)
          : first === null || second === null
            ? null
            : integer(0);
      }
      case '+':
      case '-':
      case '*':
        return this.arithmetic(op, left, right);
      case '/':
      case '%':
      case 'DIV':
        return this.division(op, left, right);
      case '=':
      case '<>':
      case '<':
      case '<=':
      case '>':
      case '>=':
      case '<=>':
        return this.comparison(op, left, right);
      default:
        this.evaluate(left);
        this.evaluate(right);
        return UNKNOWN;
    }
  }

  /** `+ - *`: DECIMAL operations stop at a NULL left operand, INT and DOUBLE read both. */
  private arithmetic(op: string, left: Expr, right: Expr): Value {
    const kind = resultKind(kindOf(left), kindOf(right));
    const a = this.evaluate(left);
    if (kind === 'decimal' && a === null) return null;
    const b = this.evaluate(right);
    if (a === null || b === null) return null;
    if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
    const x = this.number(a, 'DOUBLE');
    const y = this.number(b, 'DOUBLE');
    return { kind: kind ?? 'double', number: op === '+' ? x + y : op === '-' ? x - y : x * y };
  }

  /**
   * `/` is DECIMAL (DOUBLE with a string or float operand); MOD keeps INT for integers; DIV of
   * two integers is INT, else it divides as DECIMAL, strings included.
   */
  private division(op: string, left: Expr, right: Expr): Value {
    const leftKind = kindOf(left);
    const rightKind = kindOf(right);
    let kind = resultKind(leftKind, rightKind);
    if (op === '/' && kind === 'int') kind = 'decimal';
    const target: Target = op === 'DIV' && kind !== 'int' ? 'DECIMAL' : 'DOUBLE';
    if (op === 'DIV' && kind !== 'int') kind = 'decimal';
    const a = this.evaluate(left);
    if (kind === 'decimal' && a === null) return null;
    const b = this.evaluate(right);
    if (a === null || b === null) return null;
    if (a === UNKNOWN) {
      if (b !== UNKNOWN) this.number(b, target);
      return UNKNOWN;
    }
    const x = this.number(a, target);
    if (b === UNKNOWN) return UNKNOWN;
    const y = this.number(b, target);
    const divisor = op === 'DIV' && kind === 'int' ? Math.trunc(y) : y;
    if (divisor === 0) {
      if (this.options.divisionWarnings)
        this.warnings.push({ level: 'Warning', code: 1365, message: 'Division by 0' });
      return null;
    }
    const number = op === '/' ? x / y : op === '%' ? x % y : Math.trunc(x / y);
    return { kind: op === 'DIV' ? 'int' : (kind ?? 'double'), number };
  }

  /** A string compared with an INT reads as DECIMAL, with anything else numeric as DOUBLE. */
  private comparison(op: string, left: Expr, right: Expr): Value {
    const leftKind = kindOf(left);
    const rightKind = kindOf(right);
    const other = leftKind === 'string' ? rightKind : leftKind;
    const target: Target = other === 'int' ? 'DECIMAL' : 'DOUBLE';
    const a = this.evaluate(left);
    if (a === null && op !== '<=>') return null;
    const b = this.evaluate(right);
    if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
    if (a === null || b === null) return op === '<=>' ? integer(a === b ? 1 : 0) : null;
    if (a.kind === 'string' && b.kind === 'string') return UNKNOWN;
    const x = this.number(a, target);
    const y = this.number(b, target);
    const result =
      op === '=' || op === '<=>'
        ? x === y
        : op === '<>'
          ? x !== y
          : op === '<'
            ? x < y
            : op === '<='
              ? x <= y
              : op === '>'
                ? x > y
                : x >= y;
    return integer(result ? 1 : 0);
  }

  private caseOf(expr: Extract<Expr, { kind: 'case' }>): Value {
    const operand = expr.operand === undefined ? undefined : this.evaluate(expr.operand);
    if (operand === UNKNOWN) return UNKNOWN;
    for (const branch of expr.whens) {
      const when = this.evaluate(branch.when);
      if (when === UNKNOWN) return UNKNOWN;
      let taken: boolean | null | typeof UNKNOWN;
      if (operand === undefined) taken = this.truth(when);
      else if (operand === null || when === null) taken = false;
      else if (operand.kind === 'string' || when.kind === 'string') return UNKNOWN;
      else taken = operand.number === when.number;
      if (taken === UNKNOWN) return UNKNOWN;
      if (taken === true) return this.evaluate(branch.then);
    }
    return expr.else === undefined ? null : this.evaluate(expr.else);
  }

  private cast(expr: CastExpr): Value {
    const value = this.evaluate(expr.expr);
    const name = expr.type.name;
    if (TEMPORAL_CASTS.has(name)) {
      // Text that is no date (or time) is NULL with 1292; a date followed by other text is cut
      // to it, with 1292 "Truncated", as MariaDB casts them.
      if (value !== null && value !== UNKNOWN && value.kind === 'string')
        this.temporal(value, name === 'TIME' ? 'time' : 'datetime');
      return UNKNOWN;
    }
    const target: Target | undefined =
      name === 'SIGNED' || name === 'UNSIGNED' || name === 'INT' || name === 'BIGINT'
        ? 'INTEGER'
        : name === 'DECIMAL'
          ? 'DECIMAL'
          : name === 'DOUBLE' || name === 'FLOAT' || name === 'REAL'
            ? 'DOUBLE'
            : undefined;
    if (target === undefined || value === null || value === UNKNOWN) {
      return target === undefined ? UNKNOWN : value;
    }
    if (target === 'INTEGER') {
      const unsigned = name === 'UNSIGNED';
      const read = value.kind === 'string' ? integer(this.number(value, target, unsigned)) : value;
      const cast = integerCast(read, unsigned);
      if (cast.warning !== undefined) this.push(cast.warning);
      return integer(cast.number);
    }
    const number = this.number(value, target);
    return { kind: target === 'DECIMAL' ? 'decimal' : 'double', number };
  }

  /** The warning of a string read as a datetime or a time. */
  private temporal(value: Known, kind: 'datetime' | 'time'): void {
    const warning = temporalWarning(value.text ?? '', kind);
    if (warning !== undefined) this.push(warning);
  }

  private push(warning: Warning): void {
    if (this.warnings.length < WARNINGS_MAX) this.warnings.push(warning);
  }

  private call(name: string, args: readonly Expr[]): Value {
    const json = jsonCallValue(name, args, (expr) => this.evaluate(expr), this.warnings);
    if (json !== undefined) return json;
    const [first, second, third] = args;
    if (name === 'IF' && first !== undefined && second !== undefined && third !== undefined) {
      const condition = this.truth(this.evaluate(first));
      if (condition === UNKNOWN) return UNKNOWN;
      return this.evaluate(condition === true ? second : third);
    }
    // MOD(a, b) is a % b (Item_func_mod): its division by zero warns too.
    if (name === 'MOD' && first !== undefined && second !== undefined && args.length === 2)
      return this.binary('%', first, second);
    if ((name === 'IFNULL' || name === 'COALESCE') && args.length > 0) {
      for (const arg of args) {
        const value = this.evaluate(arg);
        if (value !== null) return value;
      }
      return null;
    }
    if (LOGARITHMS.has(name) && first !== undefined && args.length <= 2)
      return this.logarithm(args);
    if (NUMERIC_FUNCTIONS.has(name) && first !== undefined) {
      const value = this.evaluate(first);
      for (const arg of args.slice(1)) this.evaluate(arg);
      if (value === null || value === UNKNOWN) return value;
      const number = this.number(value, 'DOUBLE');
      return name === 'ABS'
        ? { kind: value.kind === 'string' ? 'double' : value.kind, number: Math.abs(number) }
        : UNKNOWN;
    }
    const integers = INTEGER_ARGUMENTS[name];
    const dates = DATETIME_ARGUMENTS[name];
    for (const [index, arg] of args.entries()) {
      const value = this.evaluate(arg);
      if (value === null || value === UNKNOWN) continue;
      if (integers?.includes(index) === true) this.number(value, 'INTEGER');
      if (value.kind !== 'string') continue;
      if (dates?.includes(index) === true) this.temporal(value, 'datetime');
      else if (index === 0 && TIME_ARGUMENTS.has(name)) this.temporal(value, 'time');
    }
    return UNKNOWN;
  }

  /**
   * LN, LOG, LOG2, LOG10 of a number not above 0 (LOG's base 1 too) are NULL with "Division by 0"
   * (Item_func_log: signal_divide_by_null, only with ERROR_FOR_DIVISION_BY_ZERO).
   */
  private logarithm(args: readonly Expr[]): Value {
    const values: number[] = [];
    for (const arg of args) {
      const value = this.evaluate(arg);
      if (value === null || value === UNKNOWN) return value;
      const number = this.number(value, 'DOUBLE');
      const invalid = number <= 0 || (args.length === 2 && values.length === 0 && number === 1);
      if (invalid) {
        if (this.options.divisionWarnings)
          this.push({ level: 'Warning', code: 1365, message: 'Division by 0' });
        return null;
      }
      values.push(number);
    }
    return UNKNOWN;
  }

  /** A value as a condition: true, false, NULL, or unknown. */
  private truth(value: Value): boolean | null | typeof UNKNOWN {
    if (value === null || value === UNKNOWN) return value;
    return this.number(value, 'DOUBLE') !== 0;
  }

  /** The number a value reads as; a string warns as MariaDB's string-to-number conversion. */
  private number(value: Known, target: Target, unsigned = false): number {
    const read = readNumber(value, target, unsigned);
    if (read.warning !== undefined) this.push(read.warning);
    return read.number;
  }
}

/** Functions that read their first argument as a DOUBLE. */
const NUMERIC_FUNCTIONS: ReadonlySet<string> = new Set([
  'ABS',
  'SQRT',
  'EXP',
  'FORMAT',
  'SIN',
  'COS',
  'TAN',
  'SIGN',
]);

/** Functions that read some arguments as integers (Item::val_int), by their positions. */
const INTEGER_ARGUMENTS: Readonly<Record<string, readonly number[]>> = {
  MAKE_SET: [0],
  EXPORT_SET: [0, 4],
};

const LOGARITHMS: ReadonlySet<string> = new Set(['LN', 'LOG', 'LOG2', 'LOG10']);

const TEMPORAL_CASTS: ReadonlySet<string> = new Set(['DATE', 'DATETIME', 'TIMESTAMP', 'TIME']);
