/**
 * MariaDB functions added for compatibility: SOUNDEX and REGEXP_INSTR. SQLite calls the
 * `exo_*` callbacks of `mysql-compat.ts`; DuckDB gets SQL of its own built-ins.
 */
import { toText } from '../coerce.js';
import type { Context } from '../context.js';
import { intType, varcharType } from '../type-rules.js';
import type { Typed } from '../types.js';
import { define, type FunctionTable } from './handler.js';

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
};
