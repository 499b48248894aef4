/**
 * INSERT … ON DUPLICATE KEY UPDATE as the engines' `ON CONFLICT … DO UPDATE`, or as the
 * clauses of a DuckDB `MERGE` for a key with a fold index (catalog/folded-keys.ts), which ON
 * CONFLICT cannot name. VALUES(col) becomes excluded.col, the proposed row.
 */
import type { Expr } from '../parser/ast-expr.js';
import { mapExpr } from '../parser/walk.js';
import type { Assignment } from '../parser/ast-query.js';
import { foldSql } from '../catalog/folded-keys.js';
import { quoteIdentifier, type Context } from './context.js';
import { assignedValues, changedCondition, type WriteTarget } from './dml.js';

/** Rewrites VALUES(col) (MySQL's reference to the proposed row) into excluded.col, at any depth. */
export function rewriteValuesCalls(expr: Expr): Expr {
  return mapExpr(expr, (e) =>
    e.kind === 'call' &&
    e.name.toUpperCase() === 'VALUES' &&
    e.args.length === 1 &&
    e.args[0]?.kind === 'column'
      ? { kind: 'column', table: 'excluded', column: e.args[0].column }
      : e,
  );
}

/**
 * `ON CONFLICT (keys) DO UPDATE SET …`; each `stamped` column takes its value only when an
 * assignment changes the row (ON UPDATE CURRENT_TIMESTAMP), and keeps its own otherwise.
 */
export function upsertClause(
  context: Context,
  target: WriteTarget,
  keyColumns: readonly string[],
  assignments: readonly Assignment[],
  stamped: readonly Assignment[] = [],
): string {
  const keys = keyColumns.map(quoteIdentifier).join(', ');
  const set = upsertSet(context, target, assignments, stamped);
  return set === undefined
    ? `ON CONFLICT (${keys}) DO NOTHING`
    : `ON CONFLICT (${keys}) DO UPDATE SET ${set}`;
}

/** The keys a MERGE upsert meets a stored row on, and the columns it compares folded. */
export interface UpsertKeys {
  readonly keys: readonly (readonly string[])[];
  readonly folded: readonly string[];
}

/**
 * The same for a table with a fold index: the clauses of a
 * `MERGE INTO <table> USING (<proposed row>) AS excluded` that meet the stored row whose values
 * equal the proposed row's on any of the keys, the `folded` columns compared folded.
 */
export function mergeUpsertClauses(
  context: Context,
  target: WriteTarget,
  merge: UpsertKeys,
  assignments: readonly Assignment[],
  stamped: readonly Assignment[] = [],
): string {
  const table = quoteIdentifier(target.name);
  const equal = (column: string): string => {
    const name = quoteIdentifier(column);
    return merge.folded.includes(column)
      ? `${foldSql(`${table}.${name}`)} = ${foldSql(`excluded.${name}`)}`
      : `${table}.${name} = excluded.${name}`;
  };
  const match = merge.keys.map((key) => `(${key.map(equal).join(' AND ')})`).join(' OR ');
  const set = upsertSet(context, target, assignments, stamped);
  const update = set === undefined ? '' : ` WHEN MATCHED THEN UPDATE SET ${set}`;
  const columns = target.table.columns.map((column) => quoteIdentifier(column.name));
  const values = columns.map((column) => `excluded.${column}`).join(', ');
  return `ON ${match}${update} WHEN NOT MATCHED THEN INSERT (${columns.join(', ')}) VALUES (${values})`;
}

/** ON DUPLICATE KEY UPDATE's SET list (undefined without assignments). */
function upsertSet(
  context: Context,
  target: WriteTarget,
  assignments: readonly Assignment[],
  stamped: readonly Assignment[],
): string | undefined {
  const rewritten = assignments.map((a) => ({
    column: a.column,
    value: rewriteValuesCalls(a.value),
  }));
  if (rewritten.length === 0) return undefined;
  const values = assignedValues(context, target, rewritten);
  const changed = changedCondition(context, target, values);
  const stamps = assignedValues(context, target, stamped).map(
    ({ column, value }) =>
      `${column} = CASE WHEN ${changed} THEN ${value} ELSE ${quoteIdentifier(target.name)}.${column} END`,
  );
  return [...values.map(({ column, value }) => `${column} = ${value}`), ...stamps].join(', ');
}
