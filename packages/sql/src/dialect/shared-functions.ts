/**
 * The functions both engines run as the same TypeScript (SQLite callbacks, DuckDB scalar
 * functions, each registered as `engine`): the JSON functions, MAKE_SET, EXPORT_SET and FORMAT.
 * Arguments arrive as text (NULL as null).
 */
import { jsonEngineFunctions, runJsonFunction } from './json/functions.js';
import { exportSet, makeSet } from './set-functions.js';
import { formatNumber } from './format-number.js';
import { valueText } from './json/call.js';
import { escapeJson } from './json/print.js';

export interface SharedFunction {
  readonly engine: string;
  readonly returns: 'text' | 'integer';
  readonly run: (args: readonly (string | null)[]) => string | number | null;
}

export const sharedFunctions: readonly SharedFunction[] = [
  ...Object.values(jsonEngineFunctions).map((fn): SharedFunction => ({
    engine: fn.engine,
    returns: fn.returns,
    run: (args) => runJsonFunction(fn, args),
  })),
  // One value of JSON_ARRAYAGG and one member of JSON_OBJECTAGG (NULL for a NULL key).
  { engine: 'exo_json_agg_value', returns: 'text', run: ([value]) => valueText(value ?? null) },
  {
    engine: 'exo_json_agg_member',
    returns: 'text',
    run: ([key, value]) =>
      key === null || key === undefined ? null : `"${escapeJson(key)}":${valueText(value ?? null)}`,
  },
  { engine: 'exo_make_set', returns: 'text', run: makeSet },
  { engine: 'exo_export_set', returns: 'text', run: exportSet },
  { engine: 'exo_format', returns: 'text', run: formatNumber },
];
