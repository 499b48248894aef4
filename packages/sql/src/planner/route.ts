/**
 * Which partitions a statement must visit, from the equalities in its WHERE clause. A query
 * with `shard-key column = value` for every shard-key column goes to one partition; an IN list
 * on a one-column shard key goes to the partitions of its values; anything else visits all.
 * Pure: values are hashed exactly as rows are placed (`catalog/shard-hash.ts`).
 */
import type { Expr } from '../parser/ast.js';
import { coerceValue } from '../catalog/coerce.js';
import { partitionFor } from '../catalog/shard-hash.js';
import { storedTimestamp } from '../catalog/time-zone.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';

export interface RouteInput {
  readonly where: Expr | undefined;
  readonly table: TableDef;
  /** The name the statement uses for the table (alias or name). */
  readonly name: string;
  readonly params: readonly SqlValue[];
  readonly partitions: number;
  /** Minutes east of UTC of the session's time zone: a TIMESTAMP key is stored in UTC. */
  readonly zoneMinutes?: number;
}

/** Partition ordinals to visit, ascending; `undefined` means every partition. */
export function routePartitions(input: RouteInput): number[] | undefined {
  const { table } = input;
  if (table.shardKey.length === 0 || input.where === undefined) return undefined;
  const columns = table.shardKey.map((name) =>
    table.columns.find((column) => column.name === name),
  );
  if (columns.some((column) => column === undefined)) return undefined;
  const keyColumns = columns as ColumnDef[];
  const candidates: SqlValue[][] = keyColumns.map(() => []);
  const found = keyColumns.map(() => false);
  for (const conjunct of conjuncts(input.where)) {
    const match = equality(conjunct, input);
    if (match === undefined) continue;
    const position = keyColumns.findIndex(
      (column) => column.name.toLowerCase() === match.column.toLowerCase(),
    );
    if (position < 0 || found[position] === true) continue;
    found[position] = true;
    candidates[position] = match.values;
  }
  if (found.some((value) => !value)) return undefined;
  const ordinals = new Set<number>();
  for (const combination of product(candidates)) {
    try {
      const coerced = combination.map((value, index) =>
        storedKey(value, keyColumns[index] as ColumnDef, input.zoneMinutes ?? 0),
      );
      if (coerced.some((value) => value === null)) continue;
      ordinals.add(partitionFor(coerced, keyColumns, input.partitions));
    } catch {
      // A value that cannot be converted to the column's type matches no row's key exactly;
      // visit everything and let the engine decide (MySQL compares such values numerically).
      return undefined;
    }
  }
  return [...ordinals].sort((a, b) => a - b);
}

/** A key value as the row holding it stores it (a TIMESTAMP in UTC). */
export function storedKey(value: SqlValue, column: ColumnDef, zoneMinutes: number): SqlValue {
  const coerced = coerceValue(value, column, 1);
  return column.type === 'timestamp' ? storedTimestamp(coerced, zoneMinutes) : coerced;
}

const COMBINATIONS_MAX = 1024;

function product(lists: readonly SqlValue[][]): SqlValue[][] {
  let result: SqlValue[][] = [[]];
  for (const list of lists) {
    result = result.flatMap((prefix) => list.map((value) => [...prefix, value]));
    if (result.length > COMBINATIONS_MAX) return result.slice(0, 0);
  }
  return result;
}

export function conjuncts(expr: Expr): Expr[] {
  if (expr.kind === 'binary' && expr.op === 'AND')
    return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  return [expr];
}

function equality(
  expr: Expr,
  input: RouteInput,
): { column: string; values: SqlValue[] } | undefined {
  if (expr.kind === 'binary' && expr.op === '=') {
    const left = columnOf(expr.left, input);
    const right = constantOf(expr.right, input);
    if (left !== undefined && right !== undefined) return { column: left, values: [right] };
    const swappedColumn = columnOf(expr.right, input);
    const swappedValue = constantOf(expr.left, input);
    if (swappedColumn !== undefined && swappedValue !== undefined)
      return { column: swappedColumn, values: [swappedValue] };
    return undefined;
  }
  if (expr.kind === 'in' && !expr.not && expr.keys !== undefined) {
    const column = columnOf(expr.expr, input);
    return column === undefined ? undefined : { column, values: [...expr.keys] };
  }
  if (expr.kind === 'in' && !expr.not && expr.list !== undefined) {
    const column = columnOf(expr.expr, input);
    if (column === undefined) return undefined;
    const values: SqlValue[] = [];
    for (const item of expr.list) {
      const value = constantOf(item, input);
      if (value === undefined) return undefined;
      values.push(value);
    }
    return { column, values };
  }
  return undefined;
}

function columnOf(expr: Expr, input: RouteInput): string | undefined {
  if (expr.kind !== 'column') return undefined;
  if (expr.table !== undefined && expr.table.toLowerCase() !== input.name.toLowerCase())
    return undefined;
  return expr.column;
}

function constantOf(expr: Expr, input: RouteInput): SqlValue | undefined {
  if (expr.kind === 'param') return input.params[expr.index];
  if (expr.kind !== 'literal') {
    if (expr.kind === 'unary' && expr.op === '-' && expr.operand.kind === 'literal') {
      const inner = expr.operand.value;
      if (typeof inner === 'number') return -inner;
      if (typeof inner === 'bigint') return -inner;
      if (typeof inner === 'string' && expr.operand.type === 'decimal') return `-${inner}`;
    }
    return undefined;
  }
  switch (expr.type) {
    case 'int':
    case 'double':
    case 'decimal':
    case 'string':
    case 'date':
    case 'timestamp':
    case 'time':
      return expr.value as SqlValue;
    case 'bool':
      return expr.value === true ? 1 : 0;
    default:
      return undefined;
  }
}

/**
 * Whether the WHERE clause fixes every column of the primary key or of a unique key with
 * `column = constant` (or a parameter) conjuncts: the query reads at most one row's key.
 */
export function pinsUniqueKey(where: Expr | undefined, table: TableDef, name: string): boolean {
  if (where === undefined) return false;
  const pinned = new Set<string>();
  const input: RouteInput = { where, table, name, params: [], partitions: 1 };
  for (const conjunct of conjuncts(where)) {
    if (conjunct.kind !== 'binary' || conjunct.op !== '=') continue;
    const pairs: [Expr, Expr][] = [
      [conjunct.left, conjunct.right],
      [conjunct.right, conjunct.left],
    ];
    for (const [column, value] of pairs) {
      const found = columnOf(column, input);
      if (found !== undefined && (value.kind === 'param' || constantOf(value, input) !== undefined))
        pinned.add(found.toLowerCase());
    }
  }
  const keys = [
    table.primaryKey,
    ...table.keys.filter((key) => key.unique).map((key) => key.columns),
  ];
  return keys.some(
    (columns) => columns.length > 0 && columns.every((column) => pinned.has(column.toLowerCase())),
  );
}
