/**
 * The columns a GROUP BY determines, as MySQL 8 derives them for ONLY_FULL_GROUP_BY: the grouped
 * columns; every column of a table whose primary key is determined; a column equal to a
 * determined column or to a constant in WHERE or in an inner join's ON (both ways); and across
 * an outer join's ON, the inner side's column equal to a determined column of the outer side
 * (one way: the inner side may be NULL-extended, and is so for all rows of a group alike).
 * `GROUP BY o.cid` thus allows `c.name` when the query joins `ON c.id = o.cid`.
 */
import type { Expr, SelectStatement, TableRef } from '../parser/ast.js';
import { resolveColumn, type Context, type ResolvedColumn } from './context.js';

/** `determined` column depends on `by` (when `by` is undefined: on nothing, a constant). */
interface Dependency {
  readonly determined: string;
  readonly by?: string;
}

export function columnKey(resolved: ResolvedColumn): string {
  return `${resolved.table.name}.${resolved.column.name}`.toLowerCase();
}

/** The grouped column keys closed under the query's dependencies. */
export function determinedColumns(
  context: Context,
  select: SelectStatement,
  grouped: ReadonlySet<string>,
): ReadonlySet<string> {
  const dependencies: Dependency[] = [];
  if (select.where !== undefined) equalities(context, select.where, undefined, dependencies);
  for (const ref of select.from ?? []) joinDependencies(context, ref, dependencies);
  const determined = new Set(grouped);
  for (const dependency of dependencies)
    if (dependency.by === undefined) determined.add(dependency.determined);
  // Each pass adds at least one column or stops; a query has few columns.
  for (let changed = true; changed;) {
    changed = false;
    for (const dependency of dependencies) {
      if (dependency.by === undefined || determined.has(dependency.determined)) continue;
      if (!determined.has(dependency.by)) continue;
      determined.add(dependency.determined);
      changed = true;
    }
    for (const table of context.scope.tables) {
      // A derived table's columns carry their source's key flags; its rows need not be unique.
      if (table.derived === true) continue;
      const name = table.name.toLowerCase();
      const primary = table.columns.filter((column) => column.primaryKey === true);
      if (primary.length === 0) continue;
      if (!primary.every((column) => determined.has(`${name}.${column.name.toLowerCase()}`)))
        continue;
      for (const column of table.columns) {
        const key = `${name}.${column.name.toLowerCase()}`;
        if (determined.has(key)) continue;
        determined.add(key);
        changed = true;
      }
    }
  }
  return determined;
}

function joinDependencies(context: Context, ref: TableRef, into: Dependency[]): void {
  if (ref.kind !== 'join') return;
  joinDependencies(context, ref.left, into);
  joinDependencies(context, ref.right, into);
  if (ref.on === undefined) return;
  if (ref.type === 'left') equalities(context, ref.on, aliasesOf(ref.right), into);
  else if (ref.type === 'right') equalities(context, ref.on, aliasesOf(ref.left), into);
  else equalities(context, ref.on, undefined, into);
}

function aliasesOf(ref: TableRef): ReadonlySet<string> {
  const names = new Set<string>();
  const visit = (node: TableRef): void => {
    if (node.kind === 'join') {
      visit(node.left);
      visit(node.right);
    } else names.add((node.alias ?? (node.kind === 'table' ? node.name : '')).toLowerCase());
  };
  visit(ref);
  return names;
}

/**
 * The equalities among `condition`'s AND-ed terms. With `innerSide` (an outer join's ON) only a
 * column of that side is determined, and only by a column: its constants hold for matched rows.
 */
function equalities(
  context: Context,
  condition: Expr,
  innerSide: ReadonlySet<string> | undefined,
  into: Dependency[],
): void {
  if (condition.kind === 'binary' && condition.op === 'AND') {
    equalities(context, condition.left, innerSide, into);
    equalities(context, condition.right, innerSide, into);
    return;
  }
  if (condition.kind !== 'binary' || (condition.op !== '=' && condition.op !== '<=>')) return;
  const left = columnOf(context, condition.left);
  const right = columnOf(context, condition.right);
  const mayDetermine = (resolved: ResolvedColumn): boolean =>
    innerSide === undefined || innerSide.has(resolved.table.name.toLowerCase());
  if (left !== undefined && right !== undefined) {
    if (mayDetermine(left)) into.push({ determined: columnKey(left), by: columnKey(right) });
    if (mayDetermine(right)) into.push({ determined: columnKey(right), by: columnKey(left) });
  } else if (innerSide === undefined) {
    const column = left ?? right;
    const other = left === undefined ? condition.left : condition.right;
    if (column !== undefined && isConstant(other)) into.push({ determined: columnKey(column) });
  }
}

function columnOf(context: Context, expr: Expr): ResolvedColumn | undefined {
  if (expr.kind !== 'column') return undefined;
  try {
    return resolveColumn({ tables: context.scope.tables }, expr.table, expr.column);
  } catch {
    return undefined;
  }
}

function isConstant(expr: Expr): boolean {
  return expr.kind === 'literal' || expr.kind === 'param';
}
