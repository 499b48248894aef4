/**
 * GROUP_CONCAT(DISTINCT …) in DuckDB. MySQL removes duplicates as the collation compares them
 * ('Bob' and 'bob' are one value) and, without ORDER BY, returns the values sorted (its
 * DISTINCT goes through a sorted tree). DuckDB's own DISTINCT is case-sensitive and refuses an
 * ORDER BY on anything but the argument, so the values are collected with their sort keys,
 * sorted, and neighbours with the same key dropped.
 */
import type { CallExpr } from '../../parser/ast-expr.js';
import { toText } from '../coerce.js';
import { notSupported, type Context } from '../context.js';
import { translateValue } from '../expr.js';
import { isString, textType } from '../type-rules.js';
import type { Typed } from '../types.js';

/** How a value sorts and compares in a DISTINCT list: strings without case. */
function key(value: Typed): string {
  return isString(value.type) ? `lower(${value.sql})` : value.sql;
}

export function duckGroupConcatDistinct(
  context: Context,
  args: readonly Typed[],
  call: CallExpr,
  separator: string,
): Typed {
  const text = args.map((a) => toText(context, a).sql);
  const value = text.length === 1 ? (text[0] ?? 'NULL') : `(${text.join(' || ')})`;
  const distinctKey = args.length === 1 && args[0] !== undefined ? key(args[0]) : `lower(${value})`;
  const order = call.orderBy ?? [];
  const descending = order.length > 0 && order.every((o) => o.desc === true);
  if (order.some((o) => (o.desc === true) !== descending))
    notSupported('GROUP_CONCAT(DISTINCT … ORDER BY) mixing ASC and DESC', context.dialect);
  const orderKeys =
    order.length === 0 ? [distinctKey] : order.map((o) => key(translateValue(context, o.expr)));
  const orderFields = orderKeys.map((k, i) => `o${i} := ${k}`);
  const fields = [`k := ${distinctKey}`, ...orderFields, `v := ${value}`];
  const collected = `list(struct_pack(${fields.join(', ')})) FILTER (WHERE ${value} IS NOT NULL)`;
  // Lambda parameters are named so that no column of the query can be mistaken for them.
  // Distinct first: sorted by value, each value keeps its entry with the smallest order keys
  // (MariaDB keeps the first row of each value, which a scan in key order meets first), then
  // the smallest bytes ('Bob' before 'bob').
  const byValue = `list_sort(${collected}, 'ASC')`;
  const unique = `list_filter(${byValue}, (exo_e, exo_i) -> exo_i = 1 OR ${byValue}[exo_i - 1].k IS DISTINCT FROM exo_e.k)`;
  // Then in the ORDER BY's order (when it names another expression than the value, equal
  // values are no longer neighbours there); a descending list is the ascending one reversed.
  const reordered = orderKeys.map((_, i) => `o${i} := exo_e.o${i}`);
  const ascending = `list_sort(list_transform(${unique}, exo_e -> struct_pack(${reordered.join(', ')}, k := exo_e.k, v := exo_e.v)), 'ASC')`;
  const ordered = descending ? `list_reverse(${ascending})` : ascending;
  const sql = `(CASE WHEN len(${collected}) = 0 THEN NULL ELSE array_to_string(list_transform(${ordered}, exo_e -> exo_e.v), ${separator}) END)`;
  return { sql, type: textType };
}
