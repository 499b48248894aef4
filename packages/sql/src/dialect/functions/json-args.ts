/**
 * Arguments of the `exo_json_*` engine functions (dialect/json/functions.ts) and the MariaDB
 * types of their answers. Documents, paths and keys go as text; a value to put into a document
 * goes with a first letter saying how (json/call.ts `valueText`): 'j' a JSON value (a JSON
 * function's answer or a JSON column, put in as it is; TRUE, FALSE and comparisons as true and
 * false), 'n' a number (bare), 's' anything else (a JSON string).
 */
import { asValue, toText } from '../coerce.js';
import { quoteString, type Context } from '../context.js';
import { isNullLiteral, isNumeric, textLength } from '../type-rules.js';
import type { MyType, Typed } from '../types.js';
import type { EngineJsonFunction } from '../json/functions.js';

/** Characters of a LONGTEXT (a JSON column): 4 GiB of 4-byte characters. */
const LONGTEXT_CHARS = 1_073_741_823;
/** MariaDB's MAX_BLOB_WIDTH: computed JSON is at most this many characters long. */
const BLOB_WIDTH_CHARS = 16_777_216;

/** A document, path or key: text the engine passes as VARCHAR. */
export function textArg(context: Context, value: Typed): string {
  const text = toText(context, value);
  if (context.dialect === 'duckdb' && isNullLiteral(text)) return 'CAST(NULL AS VARCHAR)';
  return text.sql;
}

/** Whether MariaDB writes the value as JSON true/false (a boolean literal or condition). */
function isBoolean(value: Typed): boolean {
  return value.bool === true || value.constant?.type === 'bool';
}

/** A value put into a document, encoded with its kind (NULL stays NULL: JSON null). */
export function valueArg(context: Context, value: Typed): string {
  if (isBoolean(value)) {
    if (value.constant?.type === 'bool')
      return quoteString(value.constant.value === true ? 'jtrue' : 'jfalse');
    return `(CASE WHEN (${value.sql}) THEN 'jtrue' WHEN NOT (${value.sql}) THEN 'jfalse' END)`;
  }
  const v = asValue(context, value);
  if (isNullLiteral(v)) return context.dialect === 'duckdb' ? 'CAST(NULL AS VARCHAR)' : 'NULL';
  const text = toText(context, v).sql;
  if (v.type.type === 'json') return `('j' || ${text})`;
  if (v.type.kind === 'year') return `('n' || lpad(${text}, 4, '0'))`;
  if (isNumeric(v.type)) return `('n' || ${text})`;
  return `('s' || ${text})`;
}

/** The engine call. */
export function jsonCall(fn: EngineJsonFunction, args: readonly string[]): string {
  return `${fn.engine}(${args.join(', ')})`;
}

/** The characters an argument can hold, as MariaDB counts them (max_char_length). */
export function charsOf(t: MyType): number {
  if (t.type === 'json' && t.length === undefined) return LONGTEXT_CHARS;
  return textLength(t);
}

/** A JSON answer of at most `chars` characters (MariaDB caps them at MAX_BLOB_WIDTH). */
export function jsonResult(chars: number, formatted = false): MyType {
  return {
    type: 'json',
    length: Math.min(Math.max(0, Math.trunc(chars)), BLOB_WIDTH_CHARS),
    // MariaDB sends decimals 39 with its JSON answers, 0 with JSON_COMPACT and the like.
    scale: formatted ? 0 : 39,
  };
}

/** Text that is not JSON (JSON_UNQUOTE, JSON_VALUE…) of at most `chars` characters. */
export function textResult(chars: number): MyType {
  return { type: 'varchar', length: Math.min(Math.max(0, Math.trunc(chars)), LONGTEXT_CHARS) };
}
