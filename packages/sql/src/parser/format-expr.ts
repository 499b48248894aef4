/**
 * Prints expressions as canonical MySQL text: backticked identifiers, upper-case keywords, and
 * parentheses exactly where precedence needs them, so that parsing the text gives the same tree.
 */
import type {
  DataType,
  Expr,
  LiteralExpr,
  OrderItem,
  WindowSpec,
  FrameBound,
  BinaryOp,
} from './ast.js';
import { formatQuery } from './format-query.js';
import { inListItems } from './walk.js';

/** Precedence levels, loosest first (see parse-expr.ts). */
const ASSIGN = 1;
const OR = 2;
const XOR = 3;
const AND = 4;
const NOT = 5;
const COMPARISON = 6;
const PREDICATE = 7;
const UNARY = 14;
const SUFFIX = 15;
const PRIMARY = 16;

const BINARY_LEVELS: Readonly<Record<BinaryOp, number>> = {
  OR,
  XOR,
  AND,
  '=': COMPARISON,
  '<=>': COMPARISON,
  '<>': COMPARISON,
  '<': COMPARISON,
  '<=': COMPARISON,
  '>': COMPARISON,
  '>=': COMPARISON,
  '|': 8,
  '&': 9,
  '<<': 10,
  '>>': 10,
  '+': 11,
  '-': 11,
  '*': 12,
  '/': 12,
  DIV: 12,
  '%': 12,
  '^': 13,
};

/** A backticked identifier (MySQL manual, "Schema Object Names": a backtick is doubled). */
export function quoteIdentifier(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`';
}

const STRING_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '\0': '\\0',
  '\n': '\\n',
  '\r': '\\r',
  '\x1a': '\\Z',
};

/** A single-quoted string literal with backslash escapes. */
export function quoteString(value: string): string {
  let out = "'";
  let chunkStart = 0;
  for (let index = 0; index < value.length; index++) {
    const escape = STRING_ESCAPES[value[index] as string];
    if (escape === undefined) continue;
    out += value.slice(chunkStart, index) + escape;
    chunkStart = index + 1;
  }
  return out + value.slice(chunkStart) + "'";
}

const KIND_LEVELS: Readonly<Partial<Record<Expr['kind'], number>>> = {
  between: PREDICATE,
  in: PREDICATE,
  like: PREDICATE,
  regexp: PREDICATE,
  memberOf: PREDICATE,
  isNull: COMPARISON,
  isBool: COMPARISON,
  assign: ASSIGN,
  collate: SUFFIX,
  jsonExtract: SUFFIX,
};

function level(expr: Expr): number {
  if (expr.kind === 'binary') return BINARY_LEVELS[expr.op];
  if (expr.kind === 'unary') return expr.op === 'NOT' ? NOT : UNARY;
  return KIND_LEVELS[expr.kind] ?? PRIMARY;
}

/** Formats `expr`, parenthesized when it binds looser than `minimum`. */
function operand(expr: Expr, minimum: number): string {
  const text = formatExpr(expr);
  return level(expr) < minimum ? `(${text})` : text;
}

export function formatExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'literal':
      return formatLiteral(expr);
    case 'param':
      return '?';
    case 'column': {
      const prefix =
        expr.table === undefined ? '' : `${formatQualifier(expr.database, expr.table)}.`;
      return prefix + quoteIdentifier(expr.column);
    }
    case 'star':
      return expr.table === undefined ? '*' : `${formatQualifier(expr.database, expr.table)}.*`;
    case 'unary':
      return formatUnary(expr.op, expr.operand);
    case 'binary': {
      const own = BINARY_LEVELS[expr.op];
      // Comparisons take a predicate on their right (the grammar's bool_pri comp_op predicate).
      const rightMinimum = own === COMPARISON ? PREDICATE : own + 1;
      return `${operand(expr.left, own)} ${expr.op} ${operand(expr.right, rightMinimum)}`;
    }
    case 'between':
      return `${operand(expr.expr, 8)} ${expr.not ? 'NOT ' : ''}BETWEEN ${operand(expr.low, 8)} AND ${operand(expr.high, PREDICATE)}`;
    case 'in': {
      const body =
        expr.query !== undefined
          ? formatQuery(expr.query)
          : (inListItems(expr) ?? []).map(formatExpr).join(', ');
      return `${operand(expr.expr, 8)} ${expr.not ? 'NOT ' : ''}IN (${body})`;
    }
    case 'like': {
      const escape = expr.escape === undefined ? '' : ` ESCAPE ${operand(expr.escape, 8)}`;
      return `${operand(expr.expr, 8)} ${expr.not ? 'NOT ' : ''}LIKE ${operand(expr.pattern, 8)}${escape}`;
    }
    case 'regexp':
      return `${operand(expr.expr, 8)} ${expr.not ? 'NOT ' : ''}REGEXP ${operand(expr.pattern, 8)}`;
    case 'isNull':
      return `${operand(expr.expr, COMPARISON)} IS ${expr.not ? 'NOT ' : ''}NULL`;
    case 'isBool':
      return `${operand(expr.expr, COMPARISON)} IS ${expr.not ? 'NOT ' : ''}${expr.value ? 'TRUE' : 'FALSE'}`;
    case 'case': {
      const parts = ['CASE'];
      if (expr.operand !== undefined) parts.push(formatExpr(expr.operand));
      for (const { when, then } of expr.whens)
        parts.push(`WHEN ${formatExpr(when)} THEN ${formatExpr(then)}`);
      if (expr.else !== undefined) parts.push(`ELSE ${formatExpr(expr.else)}`);
      parts.push('END');
      return parts.join(' ');
    }
    case 'cast':
      return `CAST(${formatExpr(expr.expr)} AS ${formatDataType(expr.type)})`;
    case 'convertUsing':
      return `CONVERT(${formatExpr(expr.expr)} USING ${formatName(expr.charset)})`;
    case 'call':
      return formatCall(expr);
    case 'windowCall': {
      const call = formatCall({ kind: 'call', name: expr.name, args: expr.args, ...flags(expr) });
      return `${call} OVER ${formatOver(expr.over)}`;
    }
    case 'interval':
      return `INTERVAL ${formatExpr(expr.value)} ${expr.unit}`;
    case 'extract':
      return `EXTRACT(${expr.unit} FROM ${formatExpr(expr.expr)})`;
    case 'trim': {
      const side = expr.side === undefined ? '' : `${expr.side.toUpperCase()} `;
      const remove = expr.remove === undefined ? '' : `${formatExpr(expr.remove)} `;
      if (side === '' && remove === '') return `TRIM(${formatExpr(expr.expr)})`;
      return `TRIM(${side}${remove}FROM ${formatExpr(expr.expr)})`;
    }
    case 'exists':
      return `EXISTS (${formatQuery(expr.query)})`;
    case 'subquery':
      return `(${formatQuery(expr.query)})`;
    case 'quantified':
      return `${expr.quantifier} (${formatQuery(expr.query)})`;
    case 'row':
      return expr.items.length === 1
        ? `ROW(${formatExpr(expr.items[0] as Expr)})`
        : `(${expr.items.map(formatExpr).join(', ')})`;
    case 'variable':
      return formatVariable(expr.name, expr.system, expr.scope);
    case 'assign':
      return `${formatExpr(expr.target)} := ${operand(expr.value, ASSIGN)}`;
    case 'collate':
      return `${operand(expr.expr, SUFFIX)} COLLATE ${formatName(expr.collation)}`;
    case 'jsonExtract':
      return `${operand(expr.expr, SUFFIX)}${expr.unquote ? '->>' : '->'}${operand(expr.path, PRIMARY)}`;
    case 'memberOf':
      return `${operand(expr.value, 8)} MEMBER OF (${formatExpr(expr.json)})`;
    case 'default':
      return expr.column === undefined ? 'DEFAULT' : `DEFAULT(${formatExpr(expr.column)})`;
  }
}

function flags(expr: { distinct?: boolean; star?: boolean }): {
  distinct?: boolean;
  star?: boolean;
} {
  const result: { distinct?: boolean; star?: boolean } = {};
  if (expr.distinct === true) result.distinct = true;
  if (expr.star === true) result.star = true;
  return result;
}

function formatUnary(op: string, operandExpr: Expr): string {
  if (op === 'NOT') return `NOT ${operand(operandExpr, NOT)}`;
  if (op === 'BINARY') return `BINARY ${operand(operandExpr, UNARY)}`;
  // Parenthesize a nested sign so that "- -x" never prints as a "--" comment opener.
  const inner = formatExpr(operandExpr);
  const nestedSign = operandExpr.kind === 'unary' || /^[-+]/.test(inner);
  return level(operandExpr) < UNARY || nestedSign ? `${op}(${inner})` : `${op}${inner}`;
}

function formatQualifier(database: string | undefined, table: string): string {
  return database === undefined
    ? quoteIdentifier(table)
    : `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
}

/** Charset and collation names: bare when plain, else quoted as a string. */
export function formatName(name: string): string {
  return /^[A-Za-z0-9_]+$/.test(name) ? name : quoteString(name);
}

export function formatVariable(name: string, system: boolean, scope: string | undefined): string {
  if (!system) return `@${quoteIdentifier(name)}`;
  const plain = /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name : quoteIdentifier(name);
  return scope === undefined ? `@@${plain}` : `@@${scope}.${plain}`;
}

function formatLiteral(expr: LiteralExpr): string {
  const prefix = expr.charset === undefined ? '' : `_${expr.charset}`;
  const value = expr.value;
  switch (expr.type) {
    case 'null':
      return 'NULL';
    case 'bool':
      return value === true ? 'TRUE' : 'FALSE';
    case 'int':
      return expr.raw ?? String(value);
    case 'decimal':
      return expr.raw ?? String(value);
    case 'double': {
      if (expr.raw !== undefined) return expr.raw;
      const text = String(value);
      return /[eE]/.test(text) ? text : `${text}e0`;
    }
    case 'hex':
      // The 0x form (a number in numeric context) keeps its spelling; X'…' stays a string.
      return `${prefix === '' ? '' : `${prefix} `}${expr.raw ?? `X'${String(value)}'`}`;
    case 'bit':
      return `${prefix === '' ? '' : `${prefix} `}b'${String(value)}'`;
    case 'string':
      return `${prefix}${quoteString(String(value))}`;
    case 'date':
      return `DATE ${quoteString(String(value))}`;
    case 'time':
      return `TIME ${quoteString(String(value))}`;
    case 'timestamp':
      return `TIMESTAMP ${quoteString(String(value))}`;
  }
}

function formatCallName(name: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(name) ? name : quoteIdentifier(name);
}

function formatCall(expr: Extract<Expr, { kind: 'call' }>): string {
  const name = formatCallName(expr.name);
  const qualified =
    expr.database === undefined ? name : `${quoteIdentifier(expr.database)}.${name}`;
  if (expr.star === true) return `${qualified}(*)`;
  if (expr.name === 'POSITION' && expr.args.length === 2) {
    return `POSITION(${operand(expr.args[0] as Expr, 8)} IN ${formatExpr(expr.args[1] as Expr)})`;
  }
  let args: string[];
  if (
    (expr.name === 'TIMESTAMPADD' || expr.name === 'TIMESTAMPDIFF') &&
    expr.args[0]?.kind === 'literal'
  ) {
    args = [String(expr.args[0].value), ...expr.args.slice(1).map(formatExpr)];
  } else {
    args = expr.args.map(formatExpr);
  }
  let body = (expr.distinct === true ? 'DISTINCT ' : '') + args.join(', ');
  if (expr.orderBy !== undefined && expr.orderBy.length > 0)
    body += ` ORDER BY ${formatOrderList(expr.orderBy)}`;
  if (expr.separator !== undefined) body += ` SEPARATOR ${quoteString(expr.separator)}`;
  return `${qualified}(${body})`;
}

export function formatOrderList(items: readonly OrderItem[]): string {
  return items
    .map((item) => {
      let text = formatExpr(item.expr);
      if (item.desc) text += ' DESC';
      if (item.nulls !== undefined) text += ` NULLS ${item.nulls.toUpperCase()}`;
      return text;
    })
    .join(', ');
}

function formatOver(spec: WindowSpec): string {
  if (
    spec.name !== undefined &&
    spec.partitionBy.length === 0 &&
    spec.orderBy.length === 0 &&
    spec.frame === undefined
  ) {
    return quoteIdentifier(spec.name);
  }
  return `(${formatWindowSpec(spec)})`;
}

export function formatWindowSpec(spec: WindowSpec): string {
  const parts: string[] = [];
  if (spec.name !== undefined) parts.push(quoteIdentifier(spec.name));
  if (spec.partitionBy.length > 0)
    parts.push(`PARTITION BY ${spec.partitionBy.map(formatExpr).join(', ')}`);
  if (spec.orderBy.length > 0) parts.push(`ORDER BY ${formatOrderList(spec.orderBy)}`);
  if (spec.frame !== undefined) {
    const unit = spec.frame.unit.toUpperCase();
    const start = formatBound(spec.frame.start);
    parts.push(
      spec.frame.end === undefined
        ? `${unit} ${start}`
        : `${unit} BETWEEN ${start} AND ${formatBound(spec.frame.end)}`,
    );
  }
  return parts.join(' ');
}

function formatBound(bound: FrameBound): string {
  switch (bound.kind) {
    case 'unboundedPreceding':
      return 'UNBOUNDED PRECEDING';
    case 'unboundedFollowing':
      return 'UNBOUNDED FOLLOWING';
    case 'currentRow':
      return 'CURRENT ROW';
    case 'preceding':
      return `${operand(bound.value, 8)} PRECEDING`;
    case 'following':
      return `${operand(bound.value, 8)} FOLLOWING`;
  }
}

export function formatDataType(type: DataType): string {
  let text = type.name;
  if (type.values !== undefined) text += `(${type.values.map(quoteString).join(',')})`;
  else if (type.precision !== undefined) {
    text += type.scale === undefined ? `(${type.precision})` : `(${type.precision},${type.scale})`;
  } else if (type.length !== undefined) text += `(${type.length})`;
  else if (type.scale !== undefined) text += `(${type.scale})`;
  if (type.unsigned === true) text += ' UNSIGNED';
  if (type.zerofill === true) text += ' ZEROFILL';
  if (type.charset !== undefined) text += ` CHARACTER SET ${formatName(type.charset)}`;
  if (type.collation !== undefined) text += ` COLLATE ${formatName(type.collation)}`;
  return text;
}
