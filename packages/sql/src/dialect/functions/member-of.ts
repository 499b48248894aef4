/** `value MEMBER OF (json_array)` (MySQL 8): whether the array holds the value as JSON. */
import { asValue, toText } from '../coerce.js';
import type { Context } from '../context.js';
import { boolType } from '../type-rules.js';
import type { Typed } from '../types.js';

export function translateMemberOf(context: Context, value: Typed, document: Typed): Typed {
  const v = asValue(context, value);
  const d = toText(context, document).sql;
  const item = context.dialect === 'duckdb' ? `to_json(${v.sql})` : `json_quote(${v.sql})`;
  const sql =
    context.dialect === 'duckdb'
      ? `list_contains(CAST(json_extract(${d}, '$[*]') AS VARCHAR[]), CAST(${item} AS VARCHAR))`
      : `EXISTS (SELECT 1 FROM json_each(${d}) WHERE json_quote(value) = ${item})`;
  return { sql, type: boolType, bool: true };
}
