/**
 * A HAVING of a query that neither groups nor aggregates reads the select list, as MySQL
 * resolves it: an alias, or a column the list selects (by name or through `*`). A table column
 * the list leaves out is 1054 — the engines would read it, since such a HAVING joins the WHERE.
 */
import type { Expr, SelectStatement } from '../parser/ast.js';
import { walkExpr } from '../parser/index.js';
import { sqlError } from '../errors.js';
import type { Scope } from './context.js';

export function checkHavingColumns(select: SelectStatement, scope: Scope): void {
  const having = select.having;
  if (having === undefined) return;
  const selected = new Set<string>();
  for (const item of select.columns) {
    if (item.alias !== undefined) selected.add(item.alias.toLowerCase());
    if (item.expr.kind === 'column') selected.add(item.expr.column.toLowerCase());
    if (item.expr.kind === 'star') {
      const star = item.expr;
      for (const table of scope.tables)
        if (star.table === undefined || star.table.toLowerCase() === table.name.toLowerCase())
          for (const column of table.columns) selected.add(column.name.toLowerCase());
    }
  }
  walkExpr(having, (expr: Expr) => {
    if (expr.kind !== 'column' || selected.has(expr.column.toLowerCase())) return true;
    // A column of this query's tables that the list leaves out; others (outer) resolve later.
    const own = scope.tables.some((table) =>
      table.columns.some((column) => column.name.toLowerCase() === expr.column.toLowerCase()),
    );
    if (own) throw sqlError('BAD_FIELD', `Unknown column '${expr.column}' in 'HAVING'`);
    return true;
  });
}
