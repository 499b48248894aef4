/**
 * ON UPDATE CURRENT_TIMESTAMP as MariaDB applies it (MariaDB KB, "Automatic Initialization and
 * Updating for TIMESTAMP and DATETIME"): an UPDATE, or the update branch of INSERT … ON
 * DUPLICATE KEY UPDATE, sets such a column to the statement's time in every row whose other
 * values actually change, unless the statement assigns the column itself. The writes add these
 * assignments without letting them decide whether a row changes (see `countedUpdateSql`).
 */
import type { TableDef } from '../catalog/types.js';
import type { Assignment, Expr } from '../parser/ast.js';

/** `column = CURRENT_TIMESTAMP(fsp)` for each ON UPDATE column the statement leaves alone. */
export function stampedAssignments(
  table: TableDef,
  assignments: readonly Assignment[],
): Assignment[] {
  const assigned = new Set(assignments.map((a) => a.column.column.toLowerCase()));
  return table.columns
    .filter(
      (column) =>
        column.onUpdateCurrentTimestamp === true && !assigned.has(column.name.toLowerCase()),
    )
    .map((column) => ({
      column: { kind: 'column', column: column.name },
      value: {
        kind: 'call',
        name: 'CURRENT_TIMESTAMP',
        args:
          column.scale !== undefined && column.scale > 0
            ? [{ kind: 'literal', type: 'int', value: column.scale, raw: String(column.scale) }]
            : [],
      },
    }));
}

/**
 * For writes that cannot tell changed rows apart (UPDATE … ORDER BY/LIMIT, with subqueries):
 * `column = IF(<a value changes>, CURRENT_TIMESTAMP, column)`, comparing with `<=>` on the
 * stored values the assignments see (text byte by byte, as a change of case is a change).
 */
export function conditionalStamps(
  table: TableDef,
  assignments: readonly Assignment[],
): Assignment[] {
  if (assignments.length === 0) return [];
  const textual = new Set(
    table.columns
      .filter((column) => ['char', 'varchar', 'text'].includes(column.type))
      .map((column) => column.name.toLowerCase()),
  );
  const exact = (a: Assignment, value: Expr): Expr =>
    textual.has(a.column.column.toLowerCase())
      ? { kind: 'unary', op: 'BINARY', operand: value }
      : value;
  const changes = assignments
    .map((a): Expr => ({
      kind: 'unary',
      op: 'NOT',
      operand: { kind: 'binary', op: '<=>', left: exact(a, a.column), right: exact(a, a.value) },
    }))
    .reduce((left, right): Expr => ({ kind: 'binary', op: 'OR', left, right }));
  return stampedAssignments(table, assignments).map((stamp) => ({
    column: stamp.column,
    value: { kind: 'call', name: 'IF', args: [changes, stamp.value, stamp.column] },
  }));
}
