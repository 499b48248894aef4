/**
 * Table value constructors and MySQL 8's TABLE statement, read as the queries they stand for:
 * - `VALUES (1, 'a'), (2, 'b')` (MariaDB) and `VALUES ROW(1, 'a'), ROW(2, 'b')` (MySQL 8): one
 *   table-less SELECT per row, joined by UNION ALL, so the columns' types unify as a union's
 *   do. Columns are named as MariaDB names them, by the first row's texts (`1`, `a`), and
 *   `column_0`, `column_1`, … with ROW(), as MySQL names them. Rows of different lengths are
 *   1136, MySQL's error for them.
 * - `TABLE t`: `SELECT * FROM t`.
 * Both may stand wherever a SELECT can: a statement, a derived table, a CTE's body, an operand
 * of UNION/INTERSECT/EXCEPT; ORDER BY and LIMIT may follow.
 */
import type { SelectItem, SelectStatement, SetOperationStatement } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseExpr } from './parse-expr.js';
import { parseTableName } from './parse-table-ref.js';
import { sqlError } from '../errors.js';

/** `VALUES row, …` after the cursor's VALUES. */
export function parseValuesQuery(c: Cursor): SelectStatement | SetOperationStatement {
  const pos = c.advance().pos;
  const named = c.isWord('ROW');
  const rows: SelectItem[][] = [];
  do {
    if (named) c.expectWord('ROW');
    c.expectOp('(');
    const items: SelectItem[] = [];
    do {
      const start = c.token.pos;
      const expr = parseExpr(c);
      const end = c.tokens[c.index - 1]?.end ?? start;
      const index = items.length;
      items.push(
        named ? { expr, alias: `column_${index}` } : { expr, text: c.sql.slice(start, end) },
      );
    } while (c.acceptOp(','));
    c.expectOp(')');
    if (rows.length > 0 && items.length !== (rows[0] as SelectItem[]).length)
      throw sqlError(
        'WRONG_VALUE_COUNT',
        `Column count doesn't match value count at row ${rows.length + 1}`,
      );
    rows.push(items);
  } while (c.acceptOp(','));
  const selects = rows.map((columns, index): SelectStatement => {
    // Later rows take the first row's names, as a union's later operands do.
    const first = rows[0] as SelectItem[];
    const aliased =
      index === 0
        ? columns
        : columns.map((item, at) => ({ expr: item.expr, ...nameOf(first[at]) }));
    return tableless(aliased, pos);
  });
  let query: SelectStatement | SetOperationStatement = selects[0] as SelectStatement;
  for (const right of selects.slice(1))
    query = { kind: 'setOperation', op: 'union', all: true, left: query, right, orderBy: [], pos };
  return query;
}

function nameOf(item: SelectItem | undefined): { alias?: string; text?: string } {
  if (item?.alias !== undefined) return { alias: item.alias };
  return item?.text !== undefined ? { text: item.text } : {};
}

function tableless(columns: readonly SelectItem[], pos: number): SelectStatement {
  return {
    kind: 'select',
    distinct: false,
    columns,
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
    pos,
  };
}

/** `TABLE name` after the cursor's TABLE. */
export function parseTableQuery(c: Cursor): SelectStatement {
  const pos = c.advance().pos;
  const name = parseTableName(c);
  return {
    ...tableless([{ expr: { kind: 'star', pos } }], pos),
    from: [{ kind: 'table', ...name, pos }],
  };
}
