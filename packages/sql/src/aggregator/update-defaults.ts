/**
 * `UPDATE t SET c = DEFAULT` and `DEFAULT(c)` inside a SET value: each becomes the column's
 * DEFAULT clause as an expression (a literal, CURRENT_TIMESTAMP, or the expression of
 * `DEFAULT (…)`), and NULL for a column without one, before the statement is planned.
 * Single-table updates only; a multi-table one keeps DEFAULT and is refused by the engine SQL.
 */
import { defaultExpr } from '../catalog/column-default.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { sqlError } from '../errors.js';
import { mapExpr, type Expr, type UpdateStatement } from '../parser/index.js';
import { containsKind } from '../planner/tables.js';

const DEFAULT_KIND: ReadonlySet<string> = new Set(['default']);

export function withAssignedDefaults(
  statement: UpdateStatement,
  table: () => TableDef | undefined,
): UpdateStatement {
  if (!statement.set.some((assignment) => containsKind(assignment.value, DEFAULT_KIND)))
    return statement;
  const target = table();
  if (target === undefined) return statement;
  const set = statement.set.map((assignment) => {
    const value = mapExpr(assignment.value, (node) => {
      if (node.kind !== 'default') return node;
      return columnDefault(target, node.column?.column ?? assignment.column.column);
    });
    return value === assignment.value ? assignment : { ...assignment, value };
  });
  return { ...statement, set };
}

function columnDefault(table: TableDef, name: string): Expr {
  const column = table.columns.find(
    (candidate: ColumnDef) => candidate.name.toLowerCase() === name.toLowerCase(),
  );
  if (column === undefined) throw sqlError('BAD_FIELD', `Unknown column '${name}' in 'field list'`);
  if (column.defaultSql === undefined) return { kind: 'literal', type: 'null', value: null };
  return defaultExpr(column.defaultSql);
}
