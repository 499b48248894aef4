/**
 * Two-phase aggregation: each partition groups its rows by the query's GROUP BY keys (plus the
 * arguments of DISTINCT aggregates) and computes partial aggregates; the aggregator combines the
 * partials per group (`aggregates.ts`) into a table `exo_groups` of keys and final aggregates,
 * and runs the rest of the query over it: the select list, HAVING (as a WHERE), ORDER BY, LIMIT.
 * The rest of the query is rewritten so that each GROUP BY expression becomes its key column
 * and each aggregate call its result column; a column outside both (or a subquery, a window
 * function, WITH ROLLUP, an aggregate that does not split) leaves the query to another plan.
 * Pure.
 */
import type { CallExpr, Expr, SelectItem, SelectStatement } from '../parser/ast.js';
import { exprQuery, walkExpr } from '../parser/index.js';
import { selectItemName } from '../dialect/names.js';
import { blockHasColumn, canonicalKey, mapChildren, type Block } from './blocks.js';
import { isAggregateCall, splitAggregate, type FinalAggregate } from './aggregates.js';

export const GROUPS_TABLE = 'exo_groups';

export interface TwoPhasePlan {
  /** Result columns: the keys (`exo_k*`), then distinct values (`exo_d*`), then partials (`exo_p*`). */
  readonly partitionQuery: SelectStatement;
  readonly keyNames: readonly string[];
  readonly aggregates: readonly FinalAggregate[];
  /** Runs over `exo_groups` (key columns, then one column per aggregate). */
  readonly finalQuery: SelectStatement;
}

class NotSplittable extends Error {}

function fail(): never {
  throw new NotSplittable('not splittable');
}

const column = (name: string): Expr => ({ kind: 'column', column: name });

/** Resolves `GROUP BY 2` and `GROUP BY alias` to the select item's expression. */
function resolveGroupKey(expr: Expr, select: SelectStatement, top: Block): Expr {
  if (expr.kind === 'literal' && expr.type === 'int') {
    const item = select.columns[Number(expr.value) - 1];
    if (item === undefined || item.expr.kind === 'star') return fail();
    return item.expr;
  }
  return aliasTarget(expr, select, top) ?? expr;
}

/** The select item an unqualified name refers to when no table of the block has that column. */
function aliasTarget(expr: Expr, select: SelectStatement, top: Block): Expr | undefined {
  if (expr.kind !== 'column' || expr.table !== undefined || blockHasColumn(top, expr.column))
    return undefined;
  const wanted = expr.column.toLowerCase();
  return select.columns.find((item) => item.alias?.toLowerCase() === wanted)?.expr;
}

function containsNested(expr: Expr): boolean {
  let found = false;
  walkExpr(expr, (node) => {
    if (exprQuery(node) !== undefined || node.kind === 'windowCall') found = true;
    return !found;
  });
  return found;
}

class Rewriter {
  readonly keys = new Map<string, string>();
  readonly keyExprs: Expr[] = [];
  readonly distincts = new Map<string, { name: string; expr: Expr }>();
  readonly partials = new Map<string, { name: string; expr: CallExpr }>();
  readonly finals = new Map<string, FinalAggregate>();

  constructor(
    readonly select: SelectStatement,
    readonly top: Block,
  ) {}

  addKey(expr: Expr): void {
    const key = canonicalKey(expr, this.top);
    if (this.keys.has(key)) return;
    this.keys.set(key, `exo_k${this.keys.size + 1}`);
    this.keyExprs.push(expr);
  }

  rewrite(expr: Expr, aliases: boolean, depth = 0): Expr {
    if (depth > 200) return fail();
    if (aliases) {
      const target = aliasTarget(expr, this.select, this.top);
      if (target !== undefined) return this.rewrite(target, false, depth + 1);
    }
    const key = this.keys.get(canonicalKey(expr, this.top));
    if (key !== undefined) return column(key);
    if (isAggregateCall(expr)) return column(this.aggregate(expr));
    if (expr.kind === 'column' || expr.kind === 'star' || expr.kind === 'windowCall') return fail();
    if (exprQuery(expr) !== undefined) return fail();
    return mapChildren(expr, (child) => this.rewrite(child, aliases, depth + 1));
  }

  aggregate(call: CallExpr): string {
    const canonical = canonicalKey(call, this.top);
    const known = this.finals.get(canonical);
    if (known !== undefined) return known.name;
    for (const arg of call.args) {
      let nested = false;
      walkExpr(arg, (node) => {
        if (isAggregateCall(node)) nested = true;
        return !nested;
      });
      if (nested || containsNested(arg)) fail();
    }
    const split = splitAggregate(call);
    if (split === undefined) return fail();
    const inputs = split.inputs.map((input) => {
      const key = canonicalKey(input.expr, this.top);
      if (input.kind === 'distinct') {
        let found = this.distincts.get(key);
        if (found === undefined) {
          found = { name: `exo_d${this.distincts.size + 1}`, expr: input.expr };
          this.distincts.set(key, found);
        }
        return found.name;
      }
      let found = this.partials.get(key);
      if (found === undefined) {
        found = { name: `exo_p${this.partials.size + 1}`, expr: input.expr };
        this.partials.set(key, found);
      }
      return found.name;
    });
    const final: FinalAggregate = {
      kind: split.kind,
      call,
      inputs,
      name: `exo_a${this.finals.size + 1}`,
    };
    this.finals.set(canonical, final);
    return final.name;
  }
}

export function planTwoPhase(select: SelectStatement, top: Block): TwoPhasePlan | undefined {
  if (select.withRollup || select.windows.length > 0 || select.from === undefined) return undefined;
  try {
    const rewriter = new Rewriter(select, top);
    for (const expr of select.groupBy) {
      const key = resolveGroupKey(expr, select, top);
      if (containsNested(key)) fail();
      walkExpr(key, (node) => {
        if (isAggregateCall(node)) fail();
      });
      rewriter.addKey(key);
    }
    const columns: SelectItem[] = select.columns.map((item) => {
      if (item.expr.kind === 'star') return fail();
      const name = selectItemName(item);
      return { expr: rewriter.rewrite(item.expr, false), alias: name };
    });
    const having = select.having === undefined ? undefined : rewriter.rewrite(select.having, true);
    const orderBy = select.orderBy.map((item) =>
      // Positions and select aliases name the final query's own items.
      (item.expr.kind === 'literal' && item.expr.type === 'int') ||
      aliasTarget(item.expr, select, top) !== undefined
        ? item
        : { ...item, expr: rewriter.rewrite(item.expr, true) },
    );
    const keyNames = [...rewriter.keys.values()];
    const partitionColumns: SelectItem[] = [
      ...rewriter.keyExprs.map((expr, index) => ({ expr, alias: keyNames[index] ?? '' })),
      ...[...rewriter.distincts.values()].map(({ name, expr }) => ({ expr, alias: name })),
      ...[...rewriter.partials.values()].map(({ name, expr }) => ({ expr, alias: name })),
    ];
    if (partitionColumns.length === 0) return undefined;
    const partitionQuery: SelectStatement = {
      kind: 'select',
      distinct: false,
      columns: partitionColumns,
      from: select.from,
      ...(select.where !== undefined ? { where: select.where } : {}),
      // A constant distinct value (COUNT(DISTINCT 3)) groups nothing, and an integer literal in
      // GROUP BY would name a column by position.
      groupBy: [
        ...rewriter.keyExprs,
        ...[...rewriter.distincts.values()]
          .map(({ expr }) => expr)
          .filter((expr) => expr.kind !== 'literal'),
      ],
      withRollup: false,
      windows: [],
      orderBy: [],
    };
    const finalQuery: SelectStatement = {
      kind: 'select',
      distinct: select.distinct,
      columns,
      from: [{ kind: 'table', name: GROUPS_TABLE }],
      ...(having !== undefined ? { where: having } : {}),
      groupBy: [],
      withRollup: false,
      windows: [],
      orderBy,
      ...(select.limit !== undefined ? { limit: select.limit } : {}),
    };
    return {
      partitionQuery,
      keyNames,
      aggregates: [...rewriter.finals.values()],
      finalQuery,
    };
  } catch (error) {
    if (error instanceof NotSplittable) return undefined;
    throw error;
  }
}
