/**
 * A `0x41` literal written into a numeric column is a number, as MariaDB stores it (65; the
 * whole 64 bits for BIGINT UNSIGNED), where the engines would read its bytes as text ('A', then
 * 1366). `X'41'` stays text, as in MariaDB (1366 in strict mode). Other columns keep the bytes.
 */
import { NUMERIC_COLUMN_TYPES } from '../catalog/coerce.js';
import type { ColumnDef } from '../catalog/types.js';
import type { Expr } from '../parser/ast.js';

/** Hex digits past this many are more than 64 bits: left to the engines' rules. */
const DIGITS_MAX = 16;

export function hexForColumn(expr: Expr, column: ColumnDef | undefined): Expr {
  if (expr.kind !== 'literal' || expr.type !== 'hex' || expr.raw === undefined) return expr;
  if (column === undefined || !NUMERIC_COLUMN_TYPES.has(column.type)) return expr;
  if (/^bit\b/i.test(column.mysqlType)) return expr;
  const digits = String(expr.value);
  if (digits.length > DIGITS_MAX) return expr;
  const value = BigInt(`0x${digits || '0'}`);
  return {
    kind: 'literal',
    type: 'int',
    value: value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value,
    raw: value.toString(),
    ...(expr.pos !== undefined ? { pos: expr.pos } : {}),
  };
}

/** `hexForColumn` for each value of rows written to `columns` (names) of a table. */
export function hexRowsForColumns(
  rows: readonly (readonly Expr[])[],
  columns: readonly string[],
  tableColumns: readonly ColumnDef[],
): readonly (readonly Expr[])[] {
  const targets = columns.map((name) =>
    tableColumns.find((column) => column.name.toLowerCase() === name.toLowerCase()),
  );
  return rows.map((row) =>
    row.some((expr) => expr.kind === 'literal' && expr.type === 'hex')
      ? row.map((expr, index) => hexForColumn(expr, targets[index]))
      : row,
  );
}
