/** JSON functions over DuckDB's json extension and SQLite's json1 (MySQL reference, "JSON Functions"). */
import { asValue, toText } from '../coerce.js';
import type { Context } from '../context.js';
import { bigintType, boolType, intType, jsonType, textType, varcharType } from '../type-rules.js';
import type { Typed } from '../types.js';
import { arg, define, type FunctionTable } from './handler.js';

function json(context: Context, value: Typed): string {
  return toText(context, value).sql;
}

/** MySQL prints JSON normalized: ", " between items and ": " after keys. */
function normalized(_context: Context, sql: string): string {
  return `exo_json_text(${sql})`;
}

export function translateJsonPath(
  context: Context,
  document: Typed,
  path: Typed,
  unquote: boolean,
): Typed {
  const d = json(context, document);
  const p = json(context, path);
  if (unquote) {
    const sql =
      context.dialect === 'duckdb'
        ? `json_extract_string(${d}, ${p})`
        : `exo_json_unquote(exo_json_text((${d}) -> (${p})))`;
    return { sql, type: textType };
  }
  const raw =
    context.dialect === 'duckdb'
      ? `CAST(json_extract(${d}, ${p}) AS VARCHAR)`
      : `exo_json_text((${d}) -> (${p}))`;
  return { sql: context.dialect === 'duckdb' ? duckJsonText(raw) : raw, type: jsonType };
}

/**
 * DuckDB prints JSON compactly; MySQL puts a space after ',' and ':' outside strings. Splitting
 * on '"' leaves the text outside strings at the odd (1-based) positions.
 */
export function duckJsonText(sql: string): string {
  return `array_to_string(list_transform(string_split(${sql}, '"'), (x, i) -> CASE WHEN i % 2 = 1 THEN replace(replace(x, ',', ', '), ':', ': ') ELSE x END), '"')`;
}

export function translateMemberOf(context: Context, value: Typed, document: Typed): Typed {
  const v = asValue(context, value);
  const d = json(context, document);
  const item = context.dialect === 'duckdb' ? `to_json(${v.sql})` : `json_quote(${v.sql})`;
  const sql =
    context.dialect === 'duckdb'
      ? `list_contains(CAST(json_extract(${d}, '$[*]') AS VARCHAR[]), CAST(${item} AS VARCHAR))`
      : `EXISTS (SELECT 1 FROM json_each(${d}) WHERE json_quote(value) = ${item})`;
  return { sql, type: boolType, bool: true };
}

/** A member or item of a JSON_OBJECT/JSON_ARRAY: a JSON value nests as JSON, not as a string. */
function jsonMember(context: Context, value: Typed): string {
  const v = asValue(context, value);
  if (v.type.type !== 'json') return v.sql;
  return `json(${v.sql})`;
}

function duckObject(context: Context, args: readonly Typed[]): string {
  const pairs: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) {
    pairs.push(`${json(context, arg(args, i))}, ${jsonMember(context, arg(args, i + 1))}`);
  }
  return `json_object(${pairs.join(', ')})`;
}

export const jsonFunctions: FunctionTable = {
  JSON_EXTRACT: define(2, 2, (context, args) =>
    translateJsonPath(context, arg(args, 0), arg(args, 1), false),
  ),
  JSON_UNQUOTE: define(1, 1, (context, args) => {
    const s = json(context, arg(args, 0));
    const sql =
      context.dialect === 'duckdb'
        ? // The ELSE is text too: a JSON branch would make DuckDB read 'str' back as JSON.
          `(CASE WHEN ${s} LIKE '"%"' THEN json_extract_string(${s}, '$') ELSE CAST(${s} AS VARCHAR) END)`
        : `exo_json_unquote(${s})`;
    return { sql, type: textType };
  }),
  JSON_OBJECT: define(0, 1000, (context, args) => {
    if (context.dialect === 'duckdb')
      return { sql: duckJsonText(`CAST(${duckObject(context, args)} AS VARCHAR)`), type: jsonType };
    return {
      sql: normalized(
        context,
        `json_object(${args.map((a, i) => (i % 2 === 1 ? jsonMember(context, a) : asValue(context, a).sql)).join(', ')})`,
      ),
      type: jsonType,
    };
  }),
  JSON_ARRAY: define(0, 1000, (context, args) => {
    const items = args.map((a) => jsonMember(context, a)).join(', ');
    if (context.dialect === 'duckdb')
      return { sql: duckJsonText(`CAST(json_array(${items}) AS VARCHAR)`), type: jsonType };
    return { sql: normalized(context, `json_array(${items})`), type: jsonType };
  }),
  JSON_LENGTH: define(1, 2, (context, args) => {
    const d = json(context, arg(args, 0));
    const path = args[1] === undefined ? undefined : json(context, args[1]);
    if (context.dialect === 'duckdb') {
      const target = path === undefined ? d : `json_extract(${d}, ${path})`;
      return {
        sql: `(CASE json_type(${target}) WHEN 'ARRAY' THEN json_array_length(${target}) WHEN 'OBJECT' THEN len(json_keys(${target})) WHEN 'NULL' THEN 1 ELSE (CASE WHEN ${target} IS NULL THEN NULL ELSE 1 END) END)`,
        type: bigintType,
      };
    }
    return {
      sql: `exo_json_length(${d}${path === undefined ? '' : `, ${path}`})`,
      type: bigintType,
    };
  }),
  JSON_VALID: define(1, 1, (context, args) => {
    const d = json(context, arg(args, 0));
    return {
      sql: context.dialect === 'duckdb' ? `CAST(json_valid(${d}) AS INTEGER)` : `json_valid(${d})`,
      type: intType,
    };
  }),
  JSON_TYPE: define(1, 1, (context, args) => {
    const d = json(context, arg(args, 0));
    return {
      // DuckDB names scalar types after its own SQL types; MySQL after JSON's.
      sql:
        context.dialect === 'duckdb'
          ? `(CASE upper(json_type(${d})) WHEN 'VARCHAR' THEN 'STRING' WHEN 'BIGINT' THEN 'INTEGER' WHEN 'UBIGINT' THEN (CASE WHEN TRY_CAST(CAST(${d} AS VARCHAR) AS BIGINT) IS NULL THEN 'UNSIGNED INTEGER' ELSE 'INTEGER' END) ELSE upper(json_type(${d})) END)`
          : `exo_json_type(${d})`,
      type: varcharType(12),
    };
  }),
  JSON_KEYS: define(1, 2, (context, args) => {
    const d = json(context, arg(args, 0));
    const target =
      args[1] === undefined
        ? d
        : context.dialect === 'duckdb'
          ? `json_extract(${d}, ${json(context, args[1])})`
          : `json_extract(${d}, ${json(context, args[1])})`;
    if (context.dialect === 'duckdb') {
      return {
        sql: `(CASE WHEN json_type(${target}) = 'OBJECT' THEN ${duckJsonText(`CAST(to_json(json_keys(${target})) AS VARCHAR)`)} END)`,
        type: jsonType,
      };
    }
    return { sql: `exo_json_keys(${target})`, type: jsonType };
  }),
  JSON_CONTAINS: define(2, 3, (context, args) => {
    const d = json(context, arg(args, 0));
    const candidate = json(context, arg(args, 1));
    const path = args[2] === undefined ? "'$'" : json(context, args[2]);
    if (context.dialect === 'duckdb') {
      // DuckDB's json_contains also looks inside an object's members for a scalar; MySQL's
      // object contains only objects.
      const target = args[2] === undefined ? d : `json_extract(${d}, ${path})`;
      const sql = `(CASE WHEN json_type(${target}) = 'OBJECT' AND json_type(${candidate}) <> 'OBJECT' THEN 0 ELSE CAST(json_contains(${target}, ${candidate}) AS INTEGER) END)`;
      return { sql, type: intType };
    }
    return { sql: `exo_json_contains(${d}, ${candidate}, ${path})`, type: intType };
  }),
  JSON_QUOTE: define(1, 1, (context, args) => {
    const s = json(context, arg(args, 0));
    return {
      sql: context.dialect === 'duckdb' ? `CAST(to_json(${s}) AS VARCHAR)` : `json_quote(${s})`,
      // A string holding JSON text, not a JSON value (MariaDB answers a VARCHAR).
      type: textType,
    };
  }),
};
