/**
 * MariaDB's `WHERE d IS NULL` on a NOT NULL DATE or DATETIME column (not TIMESTAMP): it finds
 * the zero dates, as ODBC programs expect (MariaDB rewrites the test into `d = 0`). It holds for
 * the tests a WHERE or ON joins with AND and OR, ISNULL(d) too; elsewhere (a select item,
 * under NOT, inside other expressions) IS NULL is the plain test. A column of the inner side of
 * an outer join is nullable there and keeps the plain test.
 */
import type { Expr } from '../parser/ast-expr.js';
import type { Context } from './context.js';
import { translate } from './expr.js';

/** The condition with such tests written as comparisons with the zero date. */
export function zeroDateNullTests(context: Context, expr: Expr): Expr {
  if (expr.kind === 'binary' && (expr.op === 'AND' || expr.op === 'OR')) {
    const left = zeroDateNullTests(context, expr.left);
    const right = zeroDateNullTests(context, expr.right);
    return left === expr.left && right === expr.right ? expr : { ...expr, left, right };
  }
  const tested =
    expr.kind === 'isNull' && !expr.not
      ? expr.expr
      : expr.kind === 'call' && expr.name === 'ISNULL' && expr.args.length === 1
        ? expr.args[0]
        : undefined;
  if (tested?.kind !== 'column') return expr;
  const type = translate(context, tested).type;
  if ((type.type !== 'date' && type.type !== 'datetime') || type.nullable !== false) return expr;
  const zero: Expr = { kind: 'literal', type: 'int', value: 0, raw: '0' };
  return { kind: 'binary', op: '=', left: tested, right: zero };
}
