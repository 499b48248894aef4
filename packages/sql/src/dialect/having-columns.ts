/**
 * The columns a HAVING may name, as MySQL and MariaDB resolve them: an alias, or a column the
 * select list shows (by name or through `*`); in an aggregated query also a column GROUP BY
 * names. Any other column of the query's own tables, outside an aggregate, is 1054 whatever
 * sql_mode says (a grouped expression such as `a + 1` does not make `a` nameable). A query that
 * neither groups nor aggregates needs the check too: its HAVING joins the WHERE, where the
 * engines would read any column.
 */
import type { Expr, SelectStatement } from '../parser/ast.js';
import { walkExpr } from '../parser/index.js';
import { sqlError } from '../errors.js';
import { aggregateNames } from './functions/aggregates.js';
import type { Scope } from './context.js';

export function checkHavingColumns(select: SelectStatement, scope: Scope): void {
  const having = select.having;
  if (having === undefined) return;
  const named = new Set<string>();
  for (const item of select.columns) {
    if (item.alias !== undefined) named.add(item.alias.toLowerCase());
    if (item.expr.kind === 'column') named.add(item.expr.column.toLowerCase());
    if (item.expr.kind === 'star') {
      const star = item.expr;
      for (const table of scope.tables)
        if (star.table === undefined || star.table.toLowerCase() === table.name.toLowerCase())
          for (const column of table.columns) named.add(column.name.toLowerCase());
    }
  }
  for (const key of select.groupBy) if (key.kind === 'column') named.add(key.column.toLowerCase());
  walkExpr(having, (expr: Expr) => {
    if (expr.kind === 'call' && aggregateNames.has(expr.name.toUpperCase())) return false;
    if (expr.kind === 'windowCall') return false;
    if (expr.kind !== 'column' || named.has(expr.column.toLowerCase())) return true;
    // A column of this query's tables that the list leaves out; others (outer) resolve later.
    const own = scope.tables.some(
      (table) =>
        (expr.table === undefined || expr.table.toLowerCase() === table.name.toLowerCase()) &&
        table.columns.some((column) => column.name.toLowerCase() === expr.column.toLowerCase()),
    );
    const shown = expr.table === undefined ? expr.column : `${expr.table}.${expr.column}`;
    if (own) throw sqlError('BAD_FIELD', `Unknown column '${shown}' in 'HAVING'`);
    return true;
  });
}
