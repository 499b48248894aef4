/**
 * MariaDB functions added for compatibility: SOUNDEX, REGEXP_INSTR, JSON_DEPTH and the
 * JSON_MERGE family. SQLite calls the `exo_*` callbacks of `mysql-compat.ts`; DuckDB gets
 * SQL of its own built-ins (no JSON_MERGE_PRESERVE there: its array/object rules have no
 * DuckDB counterpart).
 */
import { toText } from '../coerce.js';
import type { Context } from '../context.js';
import { intType, jsonType, varcharType } from '../type-rules.js';
import type { Typed } from '../types.js';
import { arg, define, type FunctionTable } from './handler.js';
import { duckJsonText } from './json.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Soundex digits of A…Z (vowels, H, W and Y are 0). */
const CODES = '01230120022455012623010202';

/**
 * MariaDB's SOUNDEX in DuckDB: the letters' digits without the zeros (vowels do not reset the
 * last digit), runs of one digit collapsed, the first letter in place of its own digit.
 */
function duckSoundex(value: string): string {
  const letters = `regexp_replace(upper(${value}), '[^A-Z]', '', 'g')`;
  let digits = `replace(translate(${letters}, '${LETTERS}', '${CODES}'), '0', '')`;
  for (const digit of '123456') digits = `regexp_replace(${digits}, '${digit}+', '${digit}', 'g')`;
  const first = `left(${letters}, 1)`;
  const body = `(${first} || CASE WHEN translate(${first}, '${LETTERS}', '${CODES}') = '0' THEN ${digits} ELSE substr(${digits}, 2) END)`;
  return `CASE WHEN ${value} IS NULL THEN NULL WHEN ${letters} = '' THEN '' WHEN length(${body}) < 4 THEN rpad(${body}, 4, '0') ELSE ${body} END`;
}

/** Position of the first match: the length of what precedes it, plus one. */
function duckRegexpInstr(subject: string, pattern: string): string {
  const rest = `regexp_replace(${subject}, '(?:' || ${pattern} || ')(?s:.*)$', '', 'i')`;
  return `CASE WHEN ${subject} IS NULL OR ${pattern} IS NULL THEN NULL WHEN regexp_matches(${subject}, ${pattern}, 'i') THEN length(${rest}) + 1 ELSE 0 END`;
}

/**
 * JSON_DEPTH in DuckDB: with strings turned into one scalar character and blanks removed, the
 * deepest character: containers opened up to it (closed ones before it), plus one for a scalar.
 */
function duckJsonDepth(document: string): string {
  const bare = `regexp_replace(regexp_replace(${document}, '"(\\\\.|[^"\\\\])*"', '0', 'g'), '\\s', '', 'g')`;
  const opened = `length(regexp_replace(left(${bare}, exo_i), '[^\\[{]', '', 'g'))`;
  const closed = `length(regexp_replace(left(${bare}, exo_i - 1), '[^\\]}]', '', 'g'))`;
  const scalar = `CASE WHEN substr(${bare}, exo_i, 1) IN ('[', '{', ']', '}', ',', ':') THEN 0 ELSE 1 END`;
  const deepest = `list_max(list_transform(range(1, length(${bare}) + 1), exo_i -> ${opened} - ${closed} + ${scalar}))`;
  return `CASE WHEN ${document} IS NULL OR NOT json_valid(${document}) THEN NULL ELSE ${deepest} END`;
}

/**
 * RFC 7396 in DuckDB: a patch that is not an object replaces the target, and a target that is
 * not an object counts as `{}` (DuckDB's json_merge_patch keeps the patch's nulls then).
 */
function duckMergePatch(target: string, patch: string): string {
  return `CASE WHEN json_type(${patch}) <> 'OBJECT' THEN json(${patch}) ELSE json_merge_patch(CASE WHEN json_type(${target}) = 'OBJECT' THEN json(${target}) ELSE '{}' END, ${patch}) END`;
}

const texts = (context: Context, args: readonly Typed[]): string[] =>
  args.map((value) => toText(context, value).sql);

export const compatFunctions: FunctionTable = {
  SOUNDEX: define(1, 1, (context, args) => {
    const [value] = texts(context, args);
    return {
      sql: context.dialect === 'duckdb' ? duckSoundex(value ?? 'NULL') : `exo_soundex(${value})`,
      type: varcharType(255),
    };
  }),
  REGEXP_INSTR: define(2, 2, (context, args) => {
    const [subject = 'NULL', pattern = 'NULL'] = texts(context, args);
    return {
      sql:
        context.dialect === 'duckdb'
          ? duckRegexpInstr(subject, pattern)
          : `exo_regexp_instr(${subject}, ${pattern})`,
      type: intType,
    };
  }),
  JSON_DEPTH: define(1, 1, (context, args) => {
    const document = toText(context, arg(args, 0)).sql;
    return {
      sql:
        context.dialect === 'duckdb'
          ? `CAST(${duckJsonDepth(document)} AS INTEGER)`
          : `exo_json_depth(${document})`,
      type: intType,
    };
  }),
  JSON_MERGE_PATCH: define(2, 1000, (context, args) => {
    const documents = texts(context, args);
    if (context.dialect !== 'duckdb')
      return { sql: `exo_json_merge_patch(${documents.join(', ')})`, type: jsonType };
    const merged = documents.slice(1).reduce(duckMergePatch, documents[0] ?? 'NULL');
    const anyNull = documents.map((document) => `${document} IS NULL`).join(' OR ');
    return {
      sql: `CASE WHEN ${anyNull} THEN NULL ELSE ${duckJsonText(`CAST(${merged} AS VARCHAR)`)} END`,
      type: jsonType,
    };
  }),
  JSON_MERGE_PRESERVE: { ...preserve() },
  JSON_MERGE: { ...preserve() },
};

function preserve(): FunctionTable[string] {
  return {
    ...define(2, 1000, (context, args) => ({
      sql: `exo_json_merge_preserve(${texts(context, args).join(', ')})`,
      type: jsonType,
    })),
    unsupported: ['duckdb'],
  };
}
