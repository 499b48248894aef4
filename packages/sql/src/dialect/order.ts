/** ORDER BY items with MySQL's NULL placement: NULLs first ascending, last descending. */
import type { OrderItem } from '../parser/ast-expr.js';
import type { Context } from './context.js';
import { memberNumberSql } from './members.js';
import { noCase } from './coerce.js';
import { binaryCollation } from './compare.js';
import { translateValue } from './expr.js';
import { isCollatedText } from './type-rules.js';
import type { Typed } from './types.js';

/**
 * The SQL a value sorts by: text case-insensitively, binary strings by their bytes; SQLite's TIME text by its signed
 * duration ('-01:00:00' < '09:00:00' < '100:00:00').
 */
export function sortKey(context: Context, value: Typed, sql = value.sql): string {
  // MySQL sorts an ENUM by member position, a SET by its bitmask ('' is 0).
  const member = memberNumberSql(value.type, sql);
  if (member !== undefined) return member;
  // A binary string (BINARY x, x COLLATE utf8mb4_bin) sorts by its bytes.
  if (value.binary === true && isCollatedText(value.type)) return binaryCollation(context, sql);
  if (isCollatedText(value.type)) return noCase(sql);
  if (value.type.type === 'time' && context.dialect === 'sqlite') return `exo_time_key(${sql})`;
  return sql;
}

export function translateOrderItems(context: Context, items: readonly OrderItem[]): string {
  return items
    .map((item) => {
      const value = translateValue(context, item.expr);
      const sql = sortKey(context, value);
      const nulls = item.nulls ?? (item.desc ? 'last' : 'first');
      return `${sql} ${item.desc ? 'DESC' : 'ASC'} NULLS ${nulls.toUpperCase()}`;
    })
    .join(', ');
}
