/**
 * What a kept copy (`copy-cache.ts`) is known by: its engine statement (table, columns, filter)
 * and target leaves, and whether its filter makes its rows a function of the tables alone.
 */
import type { Expr } from '../parser/ast.js';
import { walkExpr } from '../parser/walk.js';

/** Longest key kept (a reduced copy's filter lists its keys). */
export const COPY_CACHE_KEY_CHARS_MAX = 256 * 1024;

/** The cache key of a copy, or `undefined` when it is too long to keep. */
export function copyCacheKey(parts: {
  readonly database: string;
  readonly sql: string;
  readonly leaves: readonly string[];
}): string | undefined {
  const key = `${parts.database}\n${[...parts.leaves].sort().join(',')}\n${parts.sql}`;
  return key.length > COPY_CACHE_KEY_CHARS_MAX ? undefined : key;
}

/** Expressions whose value depends on their operands alone (no call, variable or subquery). */
const DETERMINISTIC_KINDS: ReadonlySet<Expr['kind']> = new Set<Expr['kind']>([
  'literal',
  'column',
  'unary',
  'binary',
  'between',
  'in',
  'like',
  'isNull',
  'isBool',
  'case',
  'cast',
  'interval',
  'row',
  'collate',
]);

/**
 * Whether a copy filtered by `exprs` may be kept: its rows must depend on the table alone, so
 * no function (NOW(), RAND(), CURRENT_USER() …), variable, parameter or subquery but the
 * EXISTS of a co-located reduction over such conjuncts.
 */
export function cacheableFilter(exprs: readonly Expr[]): boolean {
  let cacheable = true;
  for (const expr of exprs)
    walkExpr(expr, (node) => {
      if (node.kind === 'exists') {
        // A co-located reduction (`copy-colocated.ts`): one table under such conjuncts.
        const query = node.query;
        cacheable =
          query.kind === 'select' &&
          query.groupBy.length === 0 &&
          query.having === undefined &&
          (query.from ?? []).every((ref) => ref.kind === 'table') &&
          (query.where === undefined || cacheableFilter([query.where]));
      } else if (
        !DETERMINISTIC_KINDS.has(node.kind) ||
        (node.kind === 'in' && node.query !== undefined)
      )
        cacheable = false;
      return cacheable;
    });
  return cacheable;
}
