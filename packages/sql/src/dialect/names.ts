/**
 * The column name MySQL shows for a select item: its alias; for a column reference (even in
 * parentheses) the column's name; for a string, boolean or NULL literal its value; otherwise
 * the item's source text as written, at most 255 characters (measured on MariaDB 10.11).
 * Items built by the server rather than parsed have no text: a canonical form is printed.
 */
import type { Expr } from '../parser/ast-expr.js';
import type { SelectItem } from '../parser/ast-query.js';
import { sqlError } from '../errors.js';
import { inListItems } from '../parser/walk.js';

const textMax = 255;

/** A derived table's or CTE's columns must have distinct names (MySQL's 1060). */
export function requireDistinctNames(columns: readonly { readonly name: string }[]): void {
  const seen = new Set<string>();
  for (const { name } of columns) {
    const key = name.toLowerCase();
    if (seen.has(key)) throw sqlError('DUP_FIELDNAME', `Duplicate column name '${name}'`);
    seen.add(key);
  }
}

export function selectItemName(item: SelectItem): string {
  if (item.alias !== undefined) return item.alias;
  const { expr } = item;
  if (expr.kind === 'column') return expr.column;
  if (expr.kind === 'literal' && expr.folded !== true) {
    if (expr.type === 'string') return String(expr.value).trimStart().slice(0, textMax);
    if (expr.type === 'null') return 'NULL';
    if (expr.type === 'bool') return expr.value === true ? 'TRUE' : 'FALSE';
  }
  const text = item.text?.trim();
  return text === undefined || text === '' ? exprText(expr) : text.slice(0, textMax);
}

export function exprText(expr: Expr): string {
  const text = print(expr, 0);
  return text.length > textMax ? text.slice(0, textMax) : text;
}

function print(expr: Expr, depth: number): string {
  if (depth > 50) return '…';
  const p = (e: Expr): string => print(e, depth + 1);
  switch (expr.kind) {
    case 'literal':
      if (expr.type === 'null') return 'NULL';
      if (expr.type === 'string') return String(expr.value);
      if (expr.type === 'bool') return expr.value === true ? 'TRUE' : 'FALSE';
      return expr.raw ?? String(expr.value);
    case 'column':
      return expr.column;
    case 'star':
      return expr.table === undefined ? '*' : `${expr.table}.*`;
    case 'unary':
      return expr.op === 'NOT' || expr.op === 'BINARY'
        ? `${expr.op} ${p(expr.operand)}`
        : `${expr.op}${p(expr.operand)}`;
    case 'binary':
      return `${p(expr.left)} ${expr.op} ${p(expr.right)}`;
    case 'call':
      return `${expr.name}(${expr.star === true ? '*' : `${expr.distinct === true ? 'DISTINCT ' : ''}${expr.args.map(p).join(', ')}`})`;
    case 'windowCall':
      return `${expr.name}(${expr.args.map(p).join(', ')}) OVER (...)`;
    case 'cast':
      return `CAST(${p(expr.expr)} AS ${expr.type.name})`;
    case 'interval':
      return `INTERVAL ${p(expr.value)} ${expr.unit}`;
    case 'isNull':
      return `${p(expr.expr)} IS ${expr.not ? 'NOT ' : ''}NULL`;
    case 'between':
      return `${p(expr.expr)} ${expr.not ? 'NOT ' : ''}BETWEEN ${p(expr.low)} AND ${p(expr.high)}`;
    case 'like':
      return `${p(expr.expr)} ${expr.not ? 'NOT ' : ''}LIKE ${p(expr.pattern)}`;
    case 'in':
      return `${p(expr.expr)} ${expr.not ? 'NOT ' : ''}IN (${(inListItems(expr) ?? []).map(p).join(', ')})`;
    case 'case':
      return 'CASE … END';
    case 'extract':
      return `EXTRACT(${expr.unit} FROM ${p(expr.expr)})`;
    case 'trim':
      return `TRIM(${p(expr.expr)})`;
    case 'jsonExtract':
      return `${p(expr.expr)}${expr.unquote ? '->>' : '->'}${p(expr.path)}`;
    case 'variable':
      return expr.system ? `@@${expr.name}` : `@${expr.name}`;
    case 'assign':
    case 'collate':
    case 'convertUsing':
    case 'default':
    case 'exists':
    case 'isBool':
    case 'memberOf':
    case 'param':
    case 'quantified':
    case 'regexp':
    case 'row':
    case 'subquery':
      return expr.kind;
  }
}
