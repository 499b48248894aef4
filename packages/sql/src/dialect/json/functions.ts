/**
 * The JSON functions both engines call as `exo_json_*` (SQLite callbacks, DuckDB scalar
 * functions), and the aggregator evaluates on constants for their warnings: one table, so
 * every storage answers alike.
 */
import type { JsonArg, JsonCall, JsonResult, JsonWarning } from './call.js';
import {
  jsonArray,
  jsonMergePatch,
  jsonMergePreserve,
  jsonObject,
  jsonQuote,
} from './build-functions.js';
import { jsonContains, jsonOverlaps, jsonSearch } from './compare-functions.js';
import {
  jsonCompact,
  jsonContainsPath,
  jsonDepth,
  jsonDetailed,
  jsonEquals,
  jsonExists,
  jsonExtract,
  jsonKeys,
  jsonLength,
  jsonLoose,
  jsonNormalize,
  jsonQuery,
  jsonType,
  jsonUnquote,
  jsonValid,
  jsonValue,
} from './read-functions.js';
import {
  jsonArrayAppend,
  jsonArrayInsert,
  jsonInsert,
  jsonRemove,
  jsonReplace,
  jsonSet,
} from './write-functions.js';

export interface EngineJsonFunction {
  /** The name the translated SQL calls. */
  readonly engine: string;
  /** MariaDB's name in warnings. */
  readonly name: string;
  readonly returns: 'text' | 'integer';
  readonly run: (call: JsonCall, args: readonly JsonArg[]) => JsonResult;
}

function text(name: string, run: EngineJsonFunction['run']): EngineJsonFunction {
  return { engine: `exo_${name}`, name, returns: 'text', run };
}

function integer(name: string, run: EngineJsonFunction['run']): EngineJsonFunction {
  return { engine: `exo_${name}`, name, returns: 'integer', run };
}

/** By SQL function name. */
export const jsonEngineFunctions: Readonly<Record<string, EngineJsonFunction>> = {
  JSON_VALID: integer('json_valid', jsonValid),
  JSON_TYPE: text('json_type', jsonType),
  JSON_DEPTH: integer('json_depth', jsonDepth),
  JSON_LENGTH: integer('json_length', jsonLength),
  JSON_KEYS: text('json_keys', jsonKeys),
  JSON_EXTRACT: text('json_extract', jsonExtract),
  JSON_VALUE: text('json_value', jsonValue),
  JSON_QUERY: text('json_query', jsonQuery),
  JSON_EXISTS: integer('json_exists', jsonExists),
  JSON_CONTAINS: integer('json_contains', jsonContains),
  JSON_CONTAINS_PATH: integer('json_contains_path', jsonContainsPath),
  JSON_SEARCH: text('json_search', jsonSearch),
  JSON_OVERLAPS: integer('json_overlaps', jsonOverlaps),
  JSON_EQUALS: integer('json_equals', jsonEquals),
  JSON_NORMALIZE: text('json_normalize', jsonNormalize),
  JSON_UNQUOTE: text('json_unquote', jsonUnquote),
  JSON_QUOTE: text('json_quote', jsonQuote),
  JSON_COMPACT: text('json_compact', jsonCompact),
  JSON_LOOSE: text('json_loose', jsonLoose),
  JSON_DETAILED: text('json_detailed', jsonDetailed),
  JSON_SET: text('json_set', jsonSet),
  JSON_INSERT: text('json_insert', jsonInsert),
  JSON_REPLACE: text('json_replace', jsonReplace),
  JSON_REMOVE: text('json_remove', jsonRemove),
  JSON_ARRAY_APPEND: text('json_array_append', jsonArrayAppend),
  JSON_ARRAY_INSERT: text('json_array_insert', jsonArrayInsert),
  JSON_ARRAY: text('json_array', jsonArray),
  JSON_OBJECT: text('json_object', jsonObject),
  JSON_MERGE_PRESERVE: text('json_merge_preserve', jsonMergePreserve),
  JSON_MERGE_PATCH: text('json_merge_patch', jsonMergePatch),
};

/** Runs one function on engine values; warnings go to `warn` (the engines drop them). */
export function runJsonFunction(
  fn: EngineJsonFunction,
  args: readonly JsonArg[],
  warn: (warning: JsonWarning) => void = () => undefined,
): JsonResult {
  return fn.run({ name: fn.name, warn }, args);
}
