/**
 * Evaluating expressions outside a query's rows (INSERT values, SET values, defaults). Literals
 * and parameters are read directly; anything else runs once on the merge engine, so every
 * MySQL function behaves exactly as it does in queries — or, when a subquery reads tables, as
 * a table-less SELECT through the planner.
 */
import type { Expr } from '../parser/ast.js';
import { translateExpr } from '../dialect/index.js';
import { sqlError } from '../errors.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { translateOptions } from './query-options.js';
import { substituteVariables } from './substitute.js';
import { checkStoredExpressions, raiseExpressionWarnings } from './warnings-statement.js';
import { containsKind } from '../planner/tables.js';
import { executeQuery } from './select.js';

const QUERY_KINDS: ReadonlySet<string> = new Set(['select', 'setOperation', 'with']);

/** The value of a trivially constant expression, or undefined when it needs evaluation. */
export function simpleValue(expr: Expr, params: readonly SqlValue[]): SqlValue | undefined {
  switch (expr.kind) {
    case 'literal':
      if (expr.type === 'bool') return expr.value === true ? 1 : 0;
      if (expr.type === 'hex' || expr.type === 'bit') return undefined;
      return expr.value as SqlValue;
    case 'param': {
      const value = params[expr.index];
      if (value === undefined)
        throw sqlError('WRONG_ARGUMENTS', 'Incorrect arguments to mysqld_stmt_execute');
      return value;
    }
    case 'unary': {
      if (expr.op !== '-' || expr.operand.kind !== 'literal') return undefined;
      const value = expr.operand.value;
      if (typeof value === 'number') return -value;
      if (typeof value === 'bigint') return -value;
      if (typeof value === 'string' && expr.operand.type === 'decimal')
        return value.startsWith('-') ? value.slice(1) : `-${value}`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Evaluates expressions that reference no table; `undefined` entries are left for the caller. */
export async function evaluateConstants(
  context: StatementContext,
  exprs: readonly (Expr | undefined)[],
  options: { readonly store?: boolean } = {},
): Promise<(SqlValue | undefined)[]> {
  const values: (SqlValue | undefined)[] = exprs.map((expr) =>
    expr === undefined ? undefined : simpleValue(expr, context.params),
  );
  const pending: number[] = [];
  exprs.forEach((expr, index) => {
    if (expr !== undefined && values[index] === undefined && expr.kind !== 'default')
      pending.push(index);
  });
  if (pending.length === 0) return values;
  const substituted = pending.map((index) => substituteVariables(exprs[index] as Expr, context));
  // MariaDB's warnings for these values (division by zero, truncated numbers); values to
  // store refuse the statement in strict mode instead (warnings-statement.ts).
  if (options.store === true) checkStoredExpressions(context, substituted);
  else raiseExpressionWarnings(context, substituted);
  // Subqueries read tables: the values are then a table-less query through the planner.
  if (substituted.some((expr) => containsKind(expr, QUERY_KINDS))) {
    const result = await executeQuery(context, {
      kind: 'select',
      distinct: false,
      columns: substituted.map((expr, position) => ({ expr, alias: `c${position}` })),
      groupBy: [],
      withRollup: false,
      windows: [],
      orderBy: [],
    });
    pending.forEach((index, position) => {
      values[index] = result.rows[0]?.[position] ?? null;
    });
    return values;
  }
  const translate = translateOptions(context, 'duckdb', () => undefined);
  const parts: string[] = [];
  const params: SqlValue[] = [];
  for (const [position, index] of pending.entries()) {
    const expr = substituted[position] as Expr;
    const translated = translateExpr(expr, translate);
    parts.push(`${translated.sql} AS "c${index}"`);
    for (const position of translated.params) params.push(context.params[position] ?? null);
  }
  const result = await context.services.merge.run(
    [],
    `SELECT ${parts.join(', ')}`,
    params,
    context.signal,
  );
  const row = result.rows[0] ?? [];
  pending.forEach((index, position) => {
    values[index] = row[position] ?? null;
  });
  return values;
}
