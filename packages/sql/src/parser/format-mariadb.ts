/**
 * Expressions as MariaDB 10.11 prints them back (Item::print: information_schema's
 * CHECK_CLAUSE): lower-case keywords and functions, arguments without spaces, MOD and DIV
 * upper case, and the rewrites its parser makes — a NOT pushed into what it negates (`NOT a > 1`
 * is `a <= 1`, `NOT a` is `a = 0`), an IN of one value a comparison, UPPER as ucase. Forms
 * this does not know are printed as the canonical printer prints them, in lower case.
 */
import type { BinaryOp, DataType, Expr, LiteralExpr } from './ast.js';
import { formatExpr, quoteIdentifier, quoteString } from './format-expr.js';
import { inListItems } from './walk.js';

const OR = 1;
const XOR = 2;
const AND = 3;
const COMPARISON = 6;
const NEGATION = 14;
const PRIMARY = 20;

const BINARY: Readonly<Record<BinaryOp, { text: string; level: number }>> = {
  OR: { text: 'or', level: OR },
  XOR: { text: 'xor', level: XOR },
  AND: { text: 'and', level: AND },
  '=': { text: '=', level: COMPARISON },
  '<=>': { text: '<=>', level: COMPARISON },
  '<>': { text: '<>', level: COMPARISON },
  '<': { text: '<', level: COMPARISON },
  '<=': { text: '<=', level: COMPARISON },
  '>': { text: '>', level: COMPARISON },
  '>=': { text: '>=', level: COMPARISON },
  '|': { text: '|', level: 7 },
  '&': { text: '&', level: 8 },
  '<<': { text: '<<', level: 9 },
  '>>': { text: '>>', level: 9 },
  '+': { text: '+', level: 10 },
  '-': { text: '-', level: 10 },
  '*': { text: '*', level: 11 },
  '/': { text: '/', level: 11 },
  DIV: { text: 'DIV', level: 11 },
  '%': { text: 'MOD', level: 11 },
  '^': { text: '^', level: 12 },
};

/** The comparison a NOT turns each one into. */
const INVERSE: Readonly<Partial<Record<BinaryOp, BinaryOp>>> = {
  '=': '<>',
  '<>': '=',
  '<': '>=',
  '>=': '<',
  '>': '<=',
  '<=': '>',
};

/** Functions MariaDB prints under another name. */
const NAMES: Readonly<Record<string, string>> = {
  UPPER: 'ucase',
  LOWER: 'lcase',
  SUBSTRING: 'substr',
  MID: 'substr',
  LENGTH: 'octet_length',
  CHARACTER_LENGTH: 'char_length',
};

interface Printed {
  readonly text: string;
  readonly level: number;
}

function wrap(printed: Printed, minimum: number): string {
  return printed.level < minimum ? `(${printed.text})` : printed.text;
}

function literal(expr: LiteralExpr): string {
  switch (expr.type) {
    case 'bool':
      return expr.value === true ? '1' : '0';
    case 'string':
      return quoteString(String(expr.value));
    case 'date':
    case 'time':
    case 'timestamp':
      return `${expr.type.toUpperCase()}${quoteString(String(expr.value))}`;
    default:
      return formatExpr(expr);
  }
}

function dataType(type: DataType): string {
  const name = type.name.toLowerCase();
  if (name === 'char' && type.length === undefined) return 'char charset utf8mb4';
  if (type.precision !== undefined)
    return type.scale === undefined
      ? `${name}(${type.precision})`
      : `${name}(${type.precision},${type.scale})`;
  if (type.length !== undefined) return `${name}(${type.length})`;
  return name;
}

/** Is `expr` a truth value (a comparison or a logical operation)? */
function isCondition(expr: Expr): boolean {
  if (expr.kind === 'binary') return BINARY[expr.op].level <= COMPARISON;
  if (expr.kind === 'unary') return expr.op === 'NOT';
  return ['between', 'in', 'like', 'regexp', 'isNull', 'isBool'].includes(expr.kind);
}

/** `NOT expr` as MariaDB's parser rewrites it. */
function negation(expr: Expr): Printed {
  switch (expr.kind) {
    case 'binary': {
      const inverse = INVERSE[expr.op];
      if (inverse !== undefined) return print({ ...expr, op: inverse });
      if (expr.op === 'AND' || expr.op === 'OR') {
        const op = expr.op === 'AND' ? 'OR' : 'AND';
        const left = negation(expr.left);
        const right = negation(expr.right);
        const { text, level } = BINARY[op];
        return { text: `${wrap(left, level)} ${text} ${wrap(right, level + 1)}`, level };
      }
      break;
    }
    case 'unary':
      if (expr.op === 'NOT') {
        return isCondition(expr.operand) ? print(expr.operand) : truth(expr.operand, '<>');
      }
      break;
    case 'between':
    case 'in':
    case 'like':
    case 'isNull':
    case 'isBool':
      return print({ ...expr, not: !expr.not });
    case 'column':
      return truth(expr, '=');
    default:
      break;
  }
  return { text: `!(${print(expr).text})`, level: NEGATION };
}

/** A value as a truth: `x <> 0` (or `x = 0` for its negation). */
function truth(expr: Expr, op: '=' | '<>'): Printed {
  return { text: `${wrap(print(expr), COMPARISON + 1)} ${op} 0`, level: COMPARISON };
}

function list(items: readonly Expr[]): string {
  return items.map((item) => print(item).text).join(',');
}

function print(expr: Expr): Printed {
  switch (expr.kind) {
    case 'literal':
      return { text: literal(expr), level: PRIMARY };
    case 'column':
      return {
        text: [expr.database, expr.table, expr.column]
          .filter((part): part is string => part !== undefined)
          .map(quoteIdentifier)
          .join('.'),
        level: PRIMARY,
      };
    case 'binary': {
      const { text, level } = BINARY[expr.op];
      return {
        text: `${wrap(print(expr.left), level)} ${text} ${wrap(print(expr.right), level + 1)}`,
        level,
      };
    }
    case 'unary':
      if (expr.op === 'NOT') return negation(expr.operand);
      if (expr.op === 'BINARY')
        return { text: `cast(${print(expr.operand).text} as binary)`, level: PRIMARY };
      return { text: `${expr.op}${wrap(print(expr.operand), NEGATION)}`, level: NEGATION };
    case 'between':
      return {
        text: `${wrap(print(expr.expr), COMPARISON + 1)} ${expr.not ? 'not ' : ''}between ${wrap(print(expr.low), COMPARISON + 1)} and ${wrap(print(expr.high), COMPARISON + 1)}`,
        level: COMPARISON,
      };
    case 'in': {
      const items = inListItems(expr);
      const only = items?.length === 1 ? items[0] : undefined;
      if (only !== undefined)
        return print({ kind: 'binary', op: expr.not ? '<>' : '=', left: expr.expr, right: only });
      if (items === undefined) break;
      return {
        text: `${wrap(print(expr.expr), COMPARISON + 1)} ${expr.not ? 'not ' : ''}in (${list(items)})`,
        level: COMPARISON,
      };
    }
    case 'like': {
      // MariaDB writes NOT LIKE with two spaces before it.
      const escape = expr.escape === undefined ? '' : ` escape ${print(expr.escape).text}`;
      return {
        text: `${wrap(print(expr.expr), COMPARISON + 1)} ${expr.not ? ' not like' : 'like'} ${wrap(print(expr.pattern), COMPARISON + 1)}${escape}`,
        level: COMPARISON,
      };
    }
    case 'regexp': {
      const text = `${wrap(print(expr.expr), COMPARISON + 1)} regexp ${wrap(print(expr.pattern), COMPARISON + 1)}`;
      return expr.not ? { text: `!(${text})`, level: NEGATION } : { text, level: COMPARISON };
    }
    case 'isNull':
      return {
        text: `${wrap(print(expr.expr), COMPARISON + 1)} is ${expr.not ? 'not ' : ''}null`,
        level: COMPARISON,
      };
    case 'isBool':
      return {
        text: `${wrap(print(expr.expr), COMPARISON + 1)} is ${expr.not ? 'not ' : ''}${expr.value ? 'true' : 'false'}`,
        level: COMPARISON,
      };
    case 'case': {
      const operand = expr.operand === undefined ? '' : ` ${print(expr.operand).text}`;
      const whens = expr.whens
        .map((w) => ` when ${print(w.when).text} then ${print(w.then).text}`)
        .join('');
      const otherwise = expr.else === undefined ? '' : ` else ${print(expr.else).text}`;
      return { text: `case${operand}${whens}${otherwise} end`, level: PRIMARY };
    }
    case 'cast':
      return { text: `cast(${print(expr.expr).text} as ${dataType(expr.type)})`, level: PRIMARY };
    case 'interval':
      return {
        text: `interval ${print(expr.value).text} ${expr.unit.toLowerCase()}`,
        level: PRIMARY,
      };
    case 'call': {
      const name = expr.name.toUpperCase();
      const [first, second] = expr.args;
      if (name === 'MOD' && first !== undefined && second !== undefined && expr.args.length === 2)
        return print({ kind: 'binary', op: '%', left: first, right: second });
      const printed = NAMES[name] ?? name.toLowerCase();
      return { text: `${printed}(${list(expr.args)})`, level: PRIMARY };
    }
    case 'trim': {
      const value = print(expr.expr).text;
      if (expr.remove === undefined) {
        const name =
          expr.side === 'leading' ? 'ltrim' : expr.side === 'trailing' ? 'rtrim' : 'trim';
        return { text: `${name}(${value})`, level: PRIMARY };
      }
      const side = expr.side ?? 'both';
      return { text: `trim(${side} ${print(expr.remove).text} from ${value})`, level: PRIMARY };
    }
    case 'extract':
      return {
        text: `extract(${expr.unit.toLowerCase()} from ${print(expr.expr).text})`,
        level: PRIMARY,
      };
    case 'collate':
      return {
        text: `${wrap(print(expr.expr), NEGATION)} collate ${expr.collation.toLowerCase()}`,
        level: NEGATION,
      };
    case 'row':
      return { text: `(${list(expr.items)})`, level: PRIMARY };
    default:
      break;
  }
  return { text: formatExpr(expr), level: PRIMARY };
}

export function formatMariaDbExpr(expr: Expr): string {
  return print(expr).text;
}
