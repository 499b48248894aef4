/**
 * ON UPDATE CURRENT_TIMESTAMP as MariaDB applies it (MariaDB KB, "Automatic Initialization and
 * Updating for TIMESTAMP and DATETIME"): an UPDATE, or the update branch of INSERT … ON
 * DUPLICATE KEY UPDATE, sets such a column to the statement's time in every row whose other
 * values actually change, unless the statement assigns the column itself. The writes add these
 * assignments without letting them decide whether a row changes (see `countedUpdateSql`).
 */
import type { TableDef } from '../catalog/types.js';
import type { Assignment } from '../parser/ast.js';

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
