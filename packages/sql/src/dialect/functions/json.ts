/**
 * The JSON functions MariaDB 10.11 documents, translated to calls of the `exo_json_*` engine
 * functions (dialect/json/: one implementation for both storages) with MariaDB's result types
 * and lengths (item_jsonfunc.cc fix_length_and_dec).
 */
import { sqlError } from '../../errors.js';
import { asValue } from '../coerce.js';
import type { Context } from '../context.js';
import { boolType, intType, isNumeric } from '../type-rules.js';
import type { MyType, Typed } from '../types.js';
import { jsonEngineFunctions, type EngineJsonFunction } from '../json/functions.js';
import { arg, define, type FunctionDefinition, type FunctionTable } from './handler.js';
import { charsOf, jsonCall, jsonResult, textArg, textResult, valueArg } from './json-args.js';

function engine(name: string): EngineJsonFunction {
  const fn = jsonEngineFunctions[name];
  if (fn === undefined) throw new Error(`no engine function ${name}`);
  return fn;
}

/** How each argument goes to the engine function. */
type ArgKind = 'text' | 'value';

interface JsonDefinition {
  readonly min: number;
  readonly max: number;
  /** The engine function (by SQL name) when it is not the function's own name. */
  readonly engine?: string;
  /** The kind of argument `i`; text when absent. */
  readonly kinds?: (index: number) => ArgKind;
  /** Arguments come in pairs after the first (JSON_SET…) or in pairs (JSON_OBJECT). */
  readonly parity?: 'odd' | 'even';
  readonly type: (args: readonly Typed[]) => MyType;
}

const ARGS_MAX = 1000;

function jsonFunction(name: string, definition: JsonDefinition): FunctionDefinition {
  const fn = engine(definition.engine ?? name);
  return define(definition.min, definition.max, (context, args) => {
    if (
      (definition.parity === 'odd' && args.length % 2 === 0) ||
      (definition.parity === 'even' && args.length % 2 === 1)
    )
      throw sqlError(
        'WRONG_PARAMCOUNT_TO_FUNCTION',
        `Incorrect parameter count in the call to native function '${name}'`,
      );
    const sql = args.map((a, i) =>
      definition.kinds?.(i) === 'value' ? valueArg(context, a) : textArg(context, a),
    );
    return { sql: jsonCall(fn, sql), type: definition.type(args) };
  });
}

const docChars = (args: readonly Typed[]): number => charsOf(arg(args, 0).type);
const flag = (): MyType => boolType;
const count = (): MyType => ({ ...intType, length: 10 });

/** MariaDB's room for one value of JSON_ARRAY/JSON_OBJECT: strings may double when escaped. */
function valueChars(value: Typed): number {
  const t = value.type;
  let chars: number;
  if (value.bool === true || value.constant?.type === 'bool') chars = 5;
  else if (t.type !== 'json' && !isNumeric(t) && t.type !== 'null') chars = charsOf(t) * 2;
  else chars = charsOf(t);
  return Math.max(chars, 4) + 4;
}

function built(args: readonly Typed[]): MyType {
  if (args.length === 0) return jsonResult(0);
  return jsonResult(2 + args.reduce((sum, a) => sum + valueChars(a), 0));
}

/** JSON_SET/INSERT/REPLACE count argument n/2 and n/2+1 for the pair at n (as MariaDB does). */
function modified(args: readonly Typed[]): MyType {
  let chars = docChars(args);
  for (let n = 1; n < args.length; n += 2) {
    const half = Math.floor(n / 2);
    chars += charsOf(arg(args, half).type) + 6 + charsOf(arg(args, half + 1).type) + 4;
  }
  return jsonResult(chars);
}

function appended(args: readonly Typed[]): MyType {
  let chars = docChars(args);
  for (let n = 2; n < args.length; n += 2) chars += charsOf(arg(args, n).type) + 4;
  return jsonResult(chars);
}

function merged(args: readonly Typed[]): MyType {
  return jsonResult(args.reduce((sum, a) => sum + charsOf(a.type) * 2, 0) + 10);
}

const valuesAfterPaths = (i: number): ArgKind => (i >= 2 && i % 2 === 0 ? 'value' : 'text');

const detailed: JsonDefinition = {
  min: 1,
  max: 2,
  engine: 'JSON_DETAILED',
  type: () => jsonResult(16_777_216, true),
};
const preserve: JsonDefinition = {
  min: 2,
  max: ARGS_MAX,
  engine: 'JSON_MERGE_PRESERVE',
  type: merged,
};

const definitions: Readonly<Record<string, JsonDefinition>> = {
  JSON_VALID: { min: 1, max: 1, type: flag },
  JSON_TYPE: { min: 1, max: 1, type: () => textResult(12) },
  // MariaDB marks JSON_DEPTH NOT NULL, though it answers NULL for text that is not JSON.
  JSON_DEPTH: { min: 1, max: 1, type: () => ({ ...count(), nullable: false }) },
  JSON_LENGTH: { min: 1, max: 2, type: count },
  JSON_KEYS: { min: 1, max: 2, type: (args) => textResult(docChars(args)) },
  JSON_EXTRACT: {
    min: 2,
    max: ARGS_MAX,
    type: (args) => {
      const n = args.length;
      return jsonResult(docChars(args) * (n - 1) * 2 + (n > 2 ? 2 + (n - 2) * 2 : 0));
    },
  },
  JSON_VALUE: { min: 2, max: 2, type: (args) => textResult(docChars(args)) },
  JSON_QUERY: { min: 2, max: 2, type: (args) => jsonResult(docChars(args)) },
  JSON_EXISTS: { min: 2, max: 2, type: flag },
  JSON_CONTAINS: { min: 2, max: 3, type: flag },
  JSON_CONTAINS_PATH: { min: 3, max: ARGS_MAX, type: flag },
  JSON_SEARCH: {
    min: 3,
    max: ARGS_MAX,
    type: (args) => jsonResult(4 * docChars(args) ** 2),
  },
  JSON_OVERLAPS: { min: 2, max: 2, type: flag },
  JSON_EQUALS: { min: 2, max: 2, type: flag },
  JSON_NORMALIZE: { min: 1, max: 1, type: (args) => jsonResult(docChars(args) * 5) },
  JSON_UNQUOTE: { min: 1, max: 1, type: (args) => textResult(docChars(args)) },
  JSON_COMPACT: { min: 1, max: 1, type: (args) => jsonResult(docChars(args), true) },
  JSON_LOOSE: { min: 1, max: 1, type: (args) => jsonResult(docChars(args) * 2, true) },
  JSON_DETAILED: detailed,
  JSON_PRETTY: detailed,
  JSON_SET: { min: 3, max: ARGS_MAX, parity: 'odd', kinds: valuesAfterPaths, type: modified },
  JSON_INSERT: { min: 3, max: ARGS_MAX, parity: 'odd', kinds: valuesAfterPaths, type: modified },
  JSON_REPLACE: { min: 3, max: ARGS_MAX, parity: 'odd', kinds: valuesAfterPaths, type: modified },
  JSON_REMOVE: { min: 2, max: ARGS_MAX, type: (args) => jsonResult(docChars(args)) },
  JSON_ARRAY_APPEND: {
    min: 3,
    max: ARGS_MAX,
    parity: 'odd',
    kinds: valuesAfterPaths,
    type: appended,
  },
  JSON_ARRAY_INSERT: {
    min: 3,
    max: ARGS_MAX,
    parity: 'odd',
    kinds: valuesAfterPaths,
    type: appended,
  },
  JSON_ARRAY: { min: 0, max: ARGS_MAX, kinds: () => 'value', type: built },
  JSON_OBJECT: {
    min: 0,
    max: ARGS_MAX,
    parity: 'even',
    kinds: (i) => (i % 2 === 1 ? 'value' : 'text'),
    type: built,
  },
  JSON_MERGE: preserve,
  JSON_MERGE_PRESERVE: preserve,
  JSON_MERGE_PATCH: { min: 2, max: ARGS_MAX, type: merged },
};

export const jsonFunctions: FunctionTable = {
  ...Object.fromEntries(
    Object.entries(definitions).map(([name, definition]) => [name, jsonFunction(name, definition)]),
  ),
  // A number (or TRUE) is no string: JSON_QUOTE answers NULL for it.
  JSON_QUOTE: define(1, 1, (context, args) => {
    const value = asValue(context, arg(args, 0));
    const type = textResult(charsOf(value.type) * 12 + 2);
    if (isNumeric(value.type))
      return { sql: context.dialect === 'duckdb' ? 'CAST(NULL AS VARCHAR)' : 'NULL', type };
    return { sql: jsonCall(engine('JSON_QUOTE'), [textArg(context, value)]), type };
  }),
};

/** `doc -> path` and `doc ->> path` (MySQL's operators): JSON_EXTRACT, then JSON_UNQUOTE. */
export function translateJsonPath(
  context: Context,
  document: Typed,
  path: Typed,
  unquote: boolean,
): Typed {
  const extracted = jsonCall(engine('JSON_EXTRACT'), [
    textArg(context, document),
    textArg(context, path),
  ]);
  const chars = charsOf(document.type) * 2;
  if (!unquote) return { sql: extracted, type: jsonResult(chars) };
  return { sql: jsonCall(engine('JSON_UNQUOTE'), [extracted]), type: textResult(chars) };
}

/** The functions whose answer is JSON: another JSON function puts it in as JSON. */
const JSON_ANSWERS: ReadonlySet<string> = new Set([
  'JSON_EXTRACT',
  'JSON_QUERY',
  'JSON_SEARCH',
  'JSON_NORMALIZE',
  'JSON_COMPACT',
  'JSON_LOOSE',
  'JSON_DETAILED',
  'JSON_PRETTY',
  'JSON_SET',
  'JSON_INSERT',
  'JSON_REPLACE',
  'JSON_REMOVE',
  'JSON_ARRAY_APPEND',
  'JSON_ARRAY_INSERT',
  'JSON_ARRAY',
  'JSON_OBJECT',
  'JSON_MERGE',
  'JSON_MERGE_PRESERVE',
  'JSON_MERGE_PATCH',
]);

/**
 * A JSON function as the aggregator evaluates it on constants (for its warnings): the engine
 * function, how argument `i` goes to it, and whether the answer is JSON.
 */
export function jsonFunctionOf(name: string):
  | {
      readonly fn: EngineJsonFunction;
      readonly kind: (i: number) => ArgKind;
      readonly json: boolean;
    }
  | undefined {
  const definition = definitions[name];
  if (definition === undefined) return undefined;
  return {
    fn: engine(definition.engine ?? name),
    kind: definition.kinds ?? (() => 'text'),
    json: JSON_ANSWERS.has(name),
  };
}
