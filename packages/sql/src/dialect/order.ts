/** ORDER BY items with MySQL's NULL placement: NULLs first ascending, last descending. */
import type { OrderItem } from '../parser/ast-expr.js';
import type { Context } from './context.js';
import { noCase } from './coerce.js';
import { translateValue } from './expr.js';
import { isString } from './type-rules.js';

export function translateOrderItems(context: Context, items: readonly OrderItem[]): string {
  return items
    .map((item) => {
      const value = translateValue(context, item.expr);
      const sql = isString(value.type) ? noCase(value.sql) : value.sql;
      const nulls = item.nulls ?? (item.desc ? 'last' : 'first');
      return `${sql} ${item.desc ? 'DESC' : 'ASC'} NULLS ${nulls.toUpperCase()}`;
    })
    .join(', ');
}
