/**
 * MAKE_SET(bits, str, …) and EXPORT_SET(bits, on, off [, separator [, count]]): both engines
 * call `exo_make_set` / `exo_export_set` (set-functions.ts). The bits go with their kind (a
 * number is rounded, text read for its leading integer); the answer is as long as MariaDB
 * makes it room for.
 */
import { asValue, toText } from '../coerce.js';
import type { Context } from '../context.js';
import { isNullLiteral, isNumeric, varcharType } from '../type-rules.js';
import type { Typed } from '../types.js';
import { arg, define, type FunctionTable } from './handler.js';
import { charsOf, textArg } from './json-args.js';

/** The bits argument: 'n' + a number's text, 's' + text (see set-functions.ts). */
function bitsArg(context: Context, value: Typed): string {
  const v = asValue(context, value);
  if (isNullLiteral(v)) return context.dialect === 'duckdb' ? 'CAST(NULL AS VARCHAR)' : 'NULL';
  return `(${isNumeric(v.type) ? "'n'" : "'s'"} || ${toText(context, v).sql})`;
}

export const setFunctions: FunctionTable = {
  MAKE_SET: define(2, 1000, (context, args) => {
    const strings = args.slice(1);
    const sql = [bitsArg(context, arg(args, 0)), ...strings.map((s) => textArg(context, s))];
    const chars = strings.reduce((sum, s) => sum + charsOf(s.type), 0) + strings.length - 1;
    return { sql: `exo_make_set(${sql.join(', ')})`, type: varcharType(chars) };
  }),
  EXPORT_SET: define(3, 5, (context, args) => {
    const sql = args.map((a, i) =>
      i === 0 || i === 4 ? bitsArg(context, a) : textArg(context, a),
    );
    const word = Math.max(charsOf(arg(args, 1).type), charsOf(arg(args, 2).type));
    const separator = args[3] === undefined ? 1 : charsOf(args[3].type);
    return {
      sql: `exo_export_set(${sql.join(', ')})`,
      type: varcharType(64 * word + 63 * separator),
    };
  }),
};
