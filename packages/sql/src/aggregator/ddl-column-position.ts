/**
 * `FIRST` and `AFTER col` of ALTER TABLE ADD/MODIFY/CHANGE COLUMN. The engines only append
 * columns, so a column placed elsewhere moves in the catalog, and the statement rebuilds the
 * engine tables in the catalog's order (`ddl-rebuild.ts` copies the rows by column name):
 * `SELECT *`, `INSERT … VALUES` without a column list and SHOW COLUMNS see MySQL's order.
 */
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { sqlError } from '../errors.js';
import type { AlterAction, ColumnPosition } from '../parser/ast.js';
import { shownName } from './temporary-tables.js';

/** The table with the action's columns moved where its FIRST/AFTER puts them (if it has one). */
export function withColumnPosition(table: TableDef, action: AlterAction): TableDef {
  const position = positionOf(action);
  if (position === undefined) return table;
  const names =
    action.kind === 'addColumn'
      ? action.columns.map((column) => column.name)
      : action.kind === 'modifyColumn' || action.kind === 'changeColumn'
        ? [action.column.name]
        : [];
  const lower = new Set(names.map((name) => name.toLowerCase()));
  const moved = table.columns.filter((column) => lower.has(column.name.toLowerCase()));
  const rest = table.columns.filter((column) => !lower.has(column.name.toLowerCase()));
  const at = 'first' in position ? 0 : afterIndex(table, rest, position.after) + 1;
  const columns: ColumnDef[] = [...rest.slice(0, at), ...moved, ...rest.slice(at)];
  return { ...table, columns };
}

/** Whether the action names a position (the statement then rebuilds the engine tables). */
export function positionOf(action: AlterAction): ColumnPosition | undefined {
  return action.kind === 'addColumn' ||
    action.kind === 'modifyColumn' ||
    action.kind === 'changeColumn'
    ? action.position
    : undefined;
}

function afterIndex(table: TableDef, rest: readonly ColumnDef[], name: string): number {
  const index = rest.findIndex((column) => column.name.toLowerCase() === name.toLowerCase());
  if (index < 0) throw sqlError('BAD_FIELD', `Unknown column '${name}' in '${shownName(table)}'`);
  return index;
}
