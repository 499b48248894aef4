/**
 * Pushed-down writes: UPDATE SET and DELETE WHERE (INSERT … ON DUPLICATE KEY UPDATE:
 * `upsert.ts`).
 */
import type { Expr } from '../parser/ast-expr.js';
import type { Assignment } from '../parser/ast-query.js';
import { sqlError } from '../errors.js';
import { asCondition, asValue } from './coerce.js';
import { quoteIdentifier, type Context } from './context.js';
import { coerceTo } from './case.js';
import { translate } from './expr.js';
import { metaType } from './context.js';
import { timestampWrite } from './time-zone.js';
import type { ResolvedTable } from './types.js';

export interface WriteTarget {
  /** The table as queries name it (alias or name). */
  readonly name: string;
  readonly table: ResolvedTable;
}

/** Each assignment as the engine column and the engine value stored in it. */
export function assignedValues(
  context: Context,
  target: WriteTarget,
  assignments: readonly Assignment[],
): { readonly column: string; readonly value: string; readonly text: boolean }[] {
  return assignments.map((a) => {
    const column = target.table.columns.find(
      (c) => c.name.toLowerCase() === a.column.column.toLowerCase(),
    );
    if (column === undefined)
      throw sqlError('BAD_FIELD', `Unknown column '${a.column.column}' in 'field list'`);
    const value = coerceTo(
      context,
      asValue(context, translate(context, a.value)),
      metaType(column),
    );
    const text = column.type === 'char' || column.type === 'varchar' || column.type === 'text';
    // A TIMESTAMP is written in the session's time zone and stored in UTC.
    const sql = column.storedUtc === true ? timestampWrite(context, value.sql) : value.sql;
    return { column: quoteIdentifier(column.name), value: sql, text };
  });
}

function assignmentSql(
  context: Context,
  target: WriteTarget,
  assignments: readonly Assignment[],
): string {
  return assignedValues(context, target, assignments)
    .map(({ column, value }) => `${column} = ${value}`)
    .join(', ');
}

/**
 * The condition "this row's stored values change": stored values are compared exactly
 * (NULL-safe, binary strings), as MySQL compares the old and new record: 'a' → 'A' is a change.
 */
export function changedCondition(
  context: Context,
  target: WriteTarget,
  values: ReturnType<typeof assignedValues>,
): string {
  return values
    .map(({ column, value, text }) => {
      const stored = `${quoteIdentifier(target.name)}.${column}`;
      // Text columns compare case-insensitively (COLLATE NOCASE): compare their bytes.
      if (context.dialect === 'sqlite')
        return `NOT (${stored} IS ${value}${text ? ' COLLATE BINARY' : ''})`;
      return text
        ? `NOT (encode(${stored}) IS NOT DISTINCT FROM encode(${value}))`
        : `NOT (${stored} IS NOT DISTINCT FROM ${value})`;
    })
    .join(' OR ');
}

/**
 * UPDATE counted as MySQL counts it (MySQL reference, "UPDATE Statement": "the number of rows
 * that were actually changed"; with CLIENT_FOUND_ROWS, the rows matched): `matched` counts the
 * rows the WHERE selects, and `update` writes only those whose stored values change, so its
 * engine count is the changed rows. `stamped` are written too but take no part in deciding
 * whether a row changes (ON UPDATE CURRENT_TIMESTAMP columns: MariaDB sets them only in rows
 * that change).
 */
/**
 * Value checks of an UPDATE whose values are computed from columns (built by the aggregator):
 * `set` replaces the assignments in SET, `counted` conditions are counted per matched row in
 * the first statement (one extra column each, for warnings). With `raises`, the checked values
 * may raise, so the "row changes" condition of the WHERE keeps the plain values: an engine may
 * evaluate a WHERE for rows its other conditions reject, SET only for the rows it updates.
 */
export interface UpdateChecks {
  readonly set: readonly Assignment[];
  readonly counted: readonly Expr[];
  readonly raises: boolean;
}

export function countedUpdateSql(
  context: Context,
  target: WriteTarget,
  assignments: readonly Assignment[],
  where: Expr | undefined,
  stamped: readonly Assignment[] = [],
  checks?: UpdateChecks,
  /** A value to report from the rows matched (the largest), after the counted checks. */
  reported?: Expr,
): { readonly matched: string; readonly update: string } {
  const condition =
    where === undefined ? undefined : asCondition(context, translate(context, where));
  const plain = assignedValues(context, target, assignments);
  const values = checks === undefined ? plain : assignedValues(context, target, checks.set);
  const changed = changedCondition(context, target, checks?.raises === true ? plain : values);
  const set = [...values, ...assignedValues(context, target, stamped)]
    .map(({ column, value }) => `${column} = ${value}`)
    .join(', ');
  const table = `${quoteIdentifier(target.table.engineName)} AS ${quoteIdentifier(target.name)}`;
  const filter = condition === undefined ? '' : ` WHERE ${condition}`;
  const both = condition === undefined ? `(${changed})` : `(${condition}) AND (${changed})`;
  const counted = (checks?.counted ?? []).map(
    (check) =>
      `, SUM(CASE WHEN ${asCondition(context, translate(context, check))} THEN 1 ELSE 0 END)`,
  );
  if (reported !== undefined) counted.push(`, MAX(${translate(context, reported).sql})`);
  return {
    matched: `SELECT COUNT(*)${counted.join('')} FROM ${table}${filter}`,
    update: `UPDATE ${table} SET ${set} WHERE ${both}`,
  };
}

export function updateSql(
  context: Context,
  target: WriteTarget,
  assignments: readonly Assignment[],
  where: Expr | undefined,
): string {
  const condition =
    where === undefined ? '' : ` WHERE ${asCondition(context, translate(context, where))}`;
  return `UPDATE ${quoteIdentifier(target.table.engineName)} AS ${quoteIdentifier(target.name)} SET ${assignmentSql(context, target, assignments)}${condition}`;
}

export function deleteSql(context: Context, target: WriteTarget, where: Expr | undefined): string {
  const condition =
    where === undefined ? '' : ` WHERE ${asCondition(context, translate(context, where))}`;
  return `DELETE FROM ${quoteIdentifier(target.table.engineName)} AS ${quoteIdentifier(target.name)}${condition}`;
}
