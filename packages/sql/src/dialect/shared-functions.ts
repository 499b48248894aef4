/**
 * The functions both engines run as the same TypeScript (SQLite callbacks, DuckDB scalar
 * functions, each registered as `engine`): the JSON functions, MAKE_SET, EXPORT_SET, FORMAT and
 * the string functions of `string-shared.ts`.
 * Arguments arrive as text (NULL as null).
 */
import { jsonEngineFunctions, runJsonFunction } from './json/functions.js';
import { exportSet, makeSet } from './set-functions.js';
import { formatNumber } from './format-number.js';
import { valueText } from './json/call.js';
import { escapeJson } from './json/print.js';
import { changeCase, hexOfNumber, sha2, substringIndex, trimString } from './string-shared.js';
import { enumValue, setValue } from '../catalog/member-values.js';

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
  {
    engine: 'exo_trim',
    returns: 'text',
    run: ([s, remove, side]) =>
      s == null || remove == null ? null : trimString(s, remove, side ?? 'both'),
  },
  {
    engine: 'exo_substring_index',
    returns: 'text',
    run: ([s, delimiter, count]) =>
      s == null || delimiter == null || count == null
        ? null
        : substringIndex(s, delimiter, Number(count)),
  },
  { engine: 'exo_upper', returns: 'text', run: ([s]) => (s == null ? null : changeCase(s, true)) },
  { engine: 'exo_lower', returns: 'text', run: ([s]) => (s == null ? null : changeCase(s, false)) },
  {
    engine: 'exo_sha2',
    returns: 'text',
    // A NULL length is 0, SHA-256 (MariaDB).
    run: ([s, bits]) => (s == null ? null : sha2(s, bits ?? '0')),
  },
  { engine: 'exo_hex_number', returns: 'text', run: ([x]) => (x == null ? null : hexOfNumber(x)) },
  // An ENUM or SET value as stored, and whether it fits (`#MEMBER_STORE`, `#MEMBER_FITS`).
  {
    engine: 'exo_member_store',
    returns: 'text',
    run: ([x, kind, members]) => (x == null ? null : memberValue(x, kind, members).text),
  },
  {
    engine: 'exo_member_fits',
    returns: 'integer',
    run: ([x, kind, members]) => (x == null || !memberValue(x, kind, members).truncated ? 1 : 0),
  },
];

function memberValue(
  x: string,
  kind: string | null | undefined,
  members: string | null | undefined,
) {
  const list = JSON.parse(members ?? '[]') as string[];
  return kind === 'set' ? setValue(x, list) : enumValue(x, list);
}
