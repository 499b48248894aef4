/**
 * FOUND_ROWS() (MySQL reference, "Information Functions"): after `SELECT SQL_CALC_FOUND_ROWS …
 * LIMIT …`, the number of rows the query would have returned without its LIMIT; after any other
 * SELECT, the number of rows it returned. The count runs the same query without LIMIT and
 * ORDER BY as a derived table.
 */
import type { Query, Statement } from '../parser/ast.js';
import type { StatementContext } from './context.js';
import { executeQuery } from './select.js';

export async function foundRows(
  context: StatementContext,
  statement: Statement,
  returned: number,
): Promise<number> {
  if (statement.kind !== 'select') return returned;
  if (statement.options?.includes('SQL_CALC_FOUND_ROWS') !== true) return returned;
  if (statement.limit === undefined) return returned;
  const { limit: _limit, ...unlimited } = statement;
  const counted: Query = {
    kind: 'select',
    distinct: false,
    columns: [{ expr: { kind: 'call', name: 'COUNT', args: [], star: true } }],
    from: [
      {
        kind: 'derived',
        query: { ...unlimited, orderBy: [], options: [] },
        alias: 'exo_found_rows',
        // Fresh names, so select items with the same name (a.id, b.id) still count.
        ...(statement.columns.some((item) => item.expr.kind === 'star')
          ? {}
          : { columnAliases: statement.columns.map((_item, index) => `c${index}`) }),
      },
    ],
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  };
  const result = await executeQuery(context, counted);
  return Number(result.rows[0]?.[0] ?? returned);
}
