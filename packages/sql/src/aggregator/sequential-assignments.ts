/**
 * MySQL's single-table UPDATE and ON DUPLICATE KEY UPDATE assign left to right: a later
 * assignment reads the value an earlier one gave (`SET v = v + 1, w = v` sets w to the new v),
 * and a column assigned twice keeps the last value, computed from the first
 * (`SET v = v * 2, v = v + 1`). The engines read every column as it was and refuse a column
 * assigned twice, so each value is rewritten to read the earlier assignments' expressions,
 * and a column's assignments become one. VALUES(col) names the inserted row and is left alone.
 * A list with nothing to rewrite is returned as it is (its statement keeps its cached plans).
 */
import type { Assignment, ColumnRefExpr, Expr, InsertStatement } from '../parser/ast.js';
import { mapExpr, walkExpr } from '../parser/index.js';

/** Each statement's ON DUPLICATE KEY UPDATE in order, made once per parsed statement. */
const upsertsInOrder = new WeakMap<InsertStatement, InsertStatement>();

/** ON DUPLICATE KEY UPDATE assigning left to right; the statement itself when nothing changes. */
export function upsertInOrder(statement: InsertStatement): InsertStatement {
  const set = statement.onDuplicateKeyUpdate;
  if (set === undefined) return statement;
  let ordered = upsertsInOrder.get(statement);
  if (ordered === undefined) {
    const assignments = sequentialAssignments(set, new Set([statement.table.name.toLowerCase()]));
    ordered = assignments === set ? statement : { ...statement, onDuplicateKeyUpdate: assignments };
    upsertsInOrder.set(statement, ordered);
  }
  return ordered;
}

/**
 * The assignments as the engines can run them. `names` are the lower-case names the target
 * table goes by (its name and alias): a column qualified by another name is not the target's.
 */
export function sequentialAssignments(
  set: readonly Assignment[],
  names: ReadonlySet<string>,
): readonly Assignment[] {
  if (set.length < 2) return set;
  const assigned = new Map<string, Expr>();
  const out: Assignment[] = [];
  let changed = false;
  for (const assignment of set) {
    const key = assignment.column.column.toLowerCase();
    const value = assigned.size === 0 ? assignment.value : substitute(assignment, assigned, names);
    if (value !== assignment.value) changed = true;
    const index = out.findIndex((earlier) => earlier.column.column.toLowerCase() === key);
    if (index >= 0) {
      changed = true;
      out[index] = { ...(out[index] as Assignment), value };
    } else out.push(value === assignment.value ? assignment : { ...assignment, value });
    if (targets(assignment.column, names)) assigned.set(key, value);
  }
  return changed ? out : set;
}

function targets(column: ColumnRefExpr, names: ReadonlySet<string>): boolean {
  return column.table === undefined || names.has(column.table.toLowerCase());
}

/** The assignment's value reading earlier assignments' values, or the value itself. */
function substitute(
  assignment: Assignment,
  assigned: ReadonlyMap<string, Expr>,
  names: ReadonlySet<string>,
): Expr {
  // Columns inside VALUES(…) name the inserted row: they are found first, by identity.
  const inserted = new Set<Expr>();
  let reads = false;
  walkExpr(assignment.value, (expr) => {
    if (expr.kind === 'call' && expr.name.toUpperCase() === 'VALUES') {
      for (const arg of expr.args) walkExpr(arg, (inner) => void inserted.add(inner));
      return false;
    }
    if (expr.kind === 'column' && targets(expr, names) && assigned.has(expr.column.toLowerCase()))
      reads = true;
    return true;
  });
  if (!reads) return assignment.value;
  return mapExpr(assignment.value, (expr) => {
    if (expr.kind !== 'column' || inserted.has(expr) || !targets(expr, names)) return expr;
    return assigned.get(expr.column.toLowerCase()) ?? expr;
  });
}
