/**
 * What a column's DEFAULT is, read from the text the catalog keeps (`ColumnDef.defaultSql`): a
 * literal, the clock (CURRENT_TIMESTAMP and its synonyms), or an expression (`DEFAULT (UUID())`,
 * `DEFAULT (CURRENT_DATE + INTERVAL 1 DAY)`, as MySQL 8 and MariaDB write them), whose syntax
 * tree is read here once per text.
 */
import { parseStatement, walkExpr, type Expr } from '../parser/index.js';
import { sqlError } from '../errors.js';
import { roundDecimal } from './decimal.js';
import { stringDefault } from './default-literal.js';

const CLOCK = /^(?:CURRENT_TIMESTAMP|NOW|LOCALTIME|LOCALTIMESTAMP)(?:\(\d*\))?$/i;

/** CURRENT_TIMESTAMP, NOW(), LOCALTIME[(n)], LOCALTIMESTAMP[(n)]. */
export function isClockDefault(sql: string): boolean {
  return CLOCK.test(sql);
}

/** Whether the default is computed (neither a literal nor the clock). */
export function isExpressionDefault(sql: string): boolean {
  if (isClockDefault(sql) || stringDefault(sql) !== undefined) return false;
  const upper = sql.toUpperCase();
  if (upper === 'NULL' || upper === 'TRUE' || upper === 'FALSE') return false;
  return roundDecimal(sql, 0) === undefined;
}

/** Functions whose value differs from row to row within one statement. */
const PER_ROW: ReadonlySet<string> = new Set(['UUID', 'UUID_SHORT', 'RAND', 'SYSDATE']);

/** Whether an expression default gives each row its own value (`UUID()`, `RAND()`). */
export function variesPerRow(expr: Expr): boolean {
  let varies = false;
  walkExpr(expr, (node) => {
    if (node.kind === 'call' && PER_ROW.has(node.name.toUpperCase())) varies = true;
    return !varies;
  });
  return varies;
}

const parsed = new Map<string, Expr>();
const PARSED_MAX = 1024;

/** The syntax tree of an expression default's text. */
export function defaultExpr(sql: string): Expr {
  const known = parsed.get(sql);
  if (known !== undefined) return known;
  const statement = parseStatement(`SELECT ${sql}`);
  if (statement.kind !== 'select' || statement.columns.length !== 1)
    throw sqlError('INVALID_DEFAULT', `Invalid default value ${sql}`);
  const expr = (statement.columns[0] as { readonly expr: Expr }).expr;
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(sql, expr);
  return expr;
}

/** Nodes an expression default cannot hold: what it reads must not depend on a row or session. */
const REFUSED: Readonly<Record<string, string>> = {
  column: 'a column',
  star: 'a column',
  default: 'a column',
  subquery: 'a subquery',
  exists: 'a subquery',
  quantified: 'a subquery',
  variable: 'a variable',
  assign: 'a variable',
  param: 'a parameter',
};

/**
 * Checks an expression default at CREATE/ALTER TABLE. Column references are refused with 1235
 * (MySQL and MariaDB allow earlier columns; this engine evaluates defaults before the row is
 * known), subqueries, variables and parameters with MySQL's 1067.
 */
export function checkExpressionDefault(column: string, expr: Expr): void {
  walkExpr(expr, (node) => {
    const what = REFUSED[node.kind];
    if (what === undefined) return true;
    if (what === 'a column')
      throw sqlError(
        'NOT_SUPPORTED',
        `A default expression that reads another column is not supported (column '${column}')`,
      );
    throw sqlError('INVALID_DEFAULT', `Invalid default value for '${column}'`);
  });
}
