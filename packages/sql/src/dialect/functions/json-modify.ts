/**
 * JSON_SET, JSON_INSERT, JSON_REPLACE and JSON_REMOVE (MySQL reference, "Functions That Modify
 * JSON Values"). SQLite's json1 has them; DuckDB has none, so object-member paths (`$.a`,
 * `$.a."b c"`) are written with json_merge_patch, and array paths are not supported there.
 */
import { asValue, toText } from '../coerce.js';
import { notSupported, quoteString, type Context } from '../context.js';
import { isNull, isNullLiteral, isNumeric, jsonType } from '../type-rules.js';
import type { Typed } from '../types.js';
import { duckJsonText } from './json.js';
import { arg, constantString, define, type FunctionTable } from './handler.js';

type Mode = 'set' | 'insert' | 'replace';

/** Most path/value pairs one call takes (each pair nests the document once more in DuckDB). */
const pairsMax = 32;

/**
 * Stands for the new value inside a merge patch: json_merge_patch drops members set to null,
 * so the value's text replaces this JSON string (written with its escapes) afterwards.
 */
const placeholder = String.raw`"\u0001exo-json-value\u0001"`;

/** The member names of a constant `$.a.b` path, or undefined for any other path. */
export function memberPath(path: string): string[] | undefined {
  const steps = /\.(?:"((?:[^"\\]|\\.)*)"|([A-Za-z_$][\w$]*))/y;
  if (!path.startsWith('$')) return undefined;
  const names: string[] = [];
  steps.lastIndex = 1;
  while (steps.lastIndex < path.length) {
    const start = steps.lastIndex;
    const match = steps.exec(path);
    if (match === null || match.index !== start) return undefined;
    names.push(match[1] !== undefined ? (JSON.parse(`"${match[1]}"`) as string) : (match[2] ?? ''));
  }
  return names;
}

/** A SQL value as JSON text, as MySQL stores it in a document: strings quoted, JSON kept. */
function duckValueJson(context: Context, value: Typed): string {
  const v = asValue(context, value);
  if (isNullLiteral(v) || isNull(v.type))
    return `COALESCE(CAST(to_json(${v.sql}) AS VARCHAR), 'null')`;
  if (v.type.type === 'json') return `COALESCE(CAST(json(${v.sql}) AS VARCHAR), 'null')`;
  if (isNumeric(v.type)) return `COALESCE(CAST(to_json(${v.sql}) AS VARCHAR), 'null')`;
  return `COALESCE(CAST(to_json(${toText(context, v).sql}) AS VARCHAR), 'null')`;
}

function jsonPathLiteral(names: readonly string[]): string {
  return quoteString(`$${names.map((name) => `.${JSON.stringify(name)}`).join('')}`);
}

/** The patch `{"a":{"b":<leaf>}}` for the member path a.b. */
function patchText(names: readonly string[], leaf: string): string {
  return names.reduceRight((inner, name) => `{${JSON.stringify(name)}:${inner}}`, leaf);
}

/** One path/value pair applied to the document `d` (DuckDB). */
function duckModify(mode: Mode, d: string, names: readonly string[], value: string): string {
  if (names.length === 0) return mode === 'insert' ? d : `json(${value})`;
  const exists = `json_exists(${d}, ${jsonPathLiteral(names)})`;
  const parent = `json_type(${d}, ${jsonPathLiteral(names.slice(0, -1))}) = 'OBJECT'`;
  const patched = `replace(CAST(json_merge_patch(${d}, ${quoteString(patchText(names, placeholder))}) AS VARCHAR), ${quoteString(placeholder)}, ${value})`;
  const when =
    mode === 'set' ? parent : mode === 'replace' ? exists : `${parent} AND NOT ${exists}`;
  return `(CASE WHEN ${when} THEN ${patched} ELSE CAST(${d} AS VARCHAR) END)`;
}

function duckRemove(d: string, names: readonly string[]): string {
  if (names.length === 0) notSupported('JSON_REMOVE of $');
  const patch = quoteString(patchText(names, 'null'));
  return `(CASE WHEN json_exists(${d}, ${jsonPathLiteral(names)}) THEN CAST(json_merge_patch(${d}, ${patch}) AS VARCHAR) ELSE CAST(${d} AS VARCHAR) END)`;
}

function constantPath(name: string, context: Context, path: Typed): string[] {
  const text = constantString(path);
  const names = text === undefined ? undefined : memberPath(text);
  if (names === undefined)
    notSupported(`${name}() with a path other than constant $.member steps`, context.dialect);
  return names;
}

/** Binds the document once, so each pair does not copy its SQL (DuckDB lambdas). */
function bound(document: string, body: (d: string) => string): string {
  return `(list_transform([CAST(${document} AS VARCHAR)], exo_doc -> ${body('exo_doc')}))[1]`;
}

function modify(name: string, mode: Mode): FunctionTable[string] {
  return define(3, 1 + 2 * pairsMax, (context, args) => {
    if (args.length % 2 === 0) notSupported(`${name}() with a path and no value`, context.dialect);
    const document = toText(context, arg(args, 0)).sql;
    if (context.dialect === 'sqlite') {
      const rest = args.slice(1).map((a, i) => {
        const v = asValue(context, a);
        // A JSON value nests as JSON; any other string is stored as a JSON string.
        return i % 2 === 1 && v.type.type === 'json' ? `json(${v.sql})` : v.sql;
      });
      const fn = `json_${mode}`;
      return { sql: `exo_json_text(${fn}(${document}, ${rest.join(', ')}))`, type: jsonType };
    }
    let sql = document;
    for (let i = 1; i + 1 < args.length; i += 2) {
      const names = constantPath(name, context, arg(args, i));
      const value = duckValueJson(context, arg(args, i + 1));
      sql = bound(sql, (d) => duckModify(mode, d, names, value));
    }
    return {
      sql: `(CASE WHEN ${document} IS NULL THEN NULL ELSE ${duckJsonText(sql)} END)`,
      type: jsonType,
    };
  });
}

export const jsonModifyFunctions: FunctionTable = {
  JSON_SET: modify('JSON_SET', 'set'),
  JSON_INSERT: modify('JSON_INSERT', 'insert'),
  JSON_REPLACE: modify('JSON_REPLACE', 'replace'),
  JSON_REMOVE: define(2, 1 + pairsMax, (context, args) => {
    const document = toText(context, arg(args, 0)).sql;
    if (context.dialect === 'sqlite') {
      const paths = args.slice(1).map((a) => asValue(context, a).sql);
      return {
        sql: `exo_json_text(json_remove(${document}, ${paths.join(', ')}))`,
        type: jsonType,
      };
    }
    let sql = document;
    for (const path of args.slice(1)) {
      const names = constantPath('JSON_REMOVE', context, path);
      sql = bound(sql, (d) => duckRemove(d, names));
    }
    return {
      sql: `(CASE WHEN ${document} IS NULL THEN NULL ELSE ${duckJsonText(sql)} END)`,
      type: jsonType,
    };
  }),
};
