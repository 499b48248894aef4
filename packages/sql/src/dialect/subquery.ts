/** Scalar subqueries and EXISTS, translated with the enclosing scope visible (correlation). */
import type { ExistsExpr, SubqueryExpr } from '../parser/ast-expr.js';
import type { Context } from './context.js';
import { translateQueryIn } from './query.js';
import { boolType, nullType } from './type-rules.js';
import type { Typed } from './types.js';

export function translateSubquery(context: Context, expr: SubqueryExpr | ExistsExpr): Typed {
  const inner = translateQueryIn(context, expr.query);
  if (expr.kind === 'exists') return { sql: `(EXISTS (${inner.sql}))`, type: boolType, bool: true };
  const first = inner.columns[0];
  return {
    sql: `(${inner.sql})`,
    type: first === undefined ? nullType : { ...first, nullable: true },
  };
}
