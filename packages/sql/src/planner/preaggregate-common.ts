/**
 * What the pre-aggregations of joins share (`outer-preaggregate.ts` for LEFT JOINs,
 * `inner-preaggregate.ts` for inner joins): the walk that offers every SELECT block, bottom up,
 * to a block rewrite; the test for expressions whose tables a column walk cannot see; and the
 * outer fold of a per-key COUNT. Pure.
 */
import type { CallExpr, Expr, SelectStatement } from '../parser/ast.js';
import { walkExpr } from '../parser/index.js';
import { isAggregateCall } from './aggregates.js';

/** Rewrites of one query: at most this many blocks are pre-aggregated. */
export const PREAGGREGATES_MAX = 16;

/** Aggregates whose value over a group is the same function of per-key partial values. */
export const FOLDABLE: ReadonlySet<string> = new Set(['COUNT', 'MIN', 'MAX']);

/**
 * `node` with each SELECT block (innermost first) replaced by what `block` returns for it, or
 * kept when it returns `undefined`; nodes not changed keep their identity.
 */
export function rewriteSelects(
  node: unknown,
  block: (select: SelectStatement) => SelectStatement | undefined,
): unknown {
  if (Array.isArray(node)) {
    const items = node.map((item) => rewriteSelects(item, block));
    return items.some((item, index) => item !== node[index]) ? items : node;
  }
  if (node === null || typeof node !== 'object') return node;
  let changed = false;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    result[key] = rewriteSelects(value, block);
    if (result[key] !== value) changed = true;
  }
  const base = (changed ? result : node) as { kind?: unknown };
  if (base.kind !== 'select') return base;
  return block(base as SelectStatement) ?? base;
}

/**
 * Whether `node` hides the rows it reads or depends on more than its columns: a subquery,
 * a variable or parameter, a window call or `*`.
 */
export function isOpaque(node: Expr): boolean {
  return (
    node.kind === 'subquery' ||
    node.kind === 'exists' ||
    node.kind === 'quantified' ||
    (node.kind === 'in' && node.query !== undefined) ||
    node.kind === 'variable' ||
    node.kind === 'assign' ||
    node.kind === 'param' ||
    node.kind === 'windowCall' ||
    node.kind === 'star'
  );
}

export function hasAggregate(expr: Expr): boolean {
  let found = false;
  walkExpr(expr, (node) => {
    if (isAggregateCall(node)) found = true;
    return !found;
  });
  return found;
}

/**
 * The outer fold of a COUNT pre-aggregated per key as `partial`: the sum of the per-key counts
 * as a BIGINT (0 for a group without any). `unmatched` is what a preserved row with no
 * pre-aggregated row counts (`COUNT(*)` of a LEFT JOIN counts it once); absent, NULL partials
 * count nothing.
 */
export function foldedCount(partial: Expr, unmatched?: number): Expr {
  const summed: CallExpr = {
    kind: 'call',
    name: 'SUM',
    args: [
      unmatched === undefined
        ? partial
        : {
            kind: 'call',
            name: 'COALESCE',
            args: [
              partial,
              { kind: 'literal', type: 'int', value: unmatched, raw: `${unmatched}` },
            ],
          },
    ],
  };
  return {
    kind: 'cast',
    type: { name: 'SIGNED' },
    expr: {
      kind: 'call',
      name: 'COALESCE',
      args: [summed, { kind: 'literal', type: 'int', value: 0, raw: '0' }],
    },
  };
}
