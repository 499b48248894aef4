/**
 * The values an UPDATE assigns, checked against their columns before the statement reaches the
 * partitions, as INSERT's values are: a literal or parameter that does not fit is refused in
 * strict mode (1264, 1406, 1366 — MariaDB refuses it only when a row matches, so the caller
 * counts first), and adjusted with a warning per matched row without strict mode (see
 * `compat-lenient-values.ts`). A value computed from constants (`SET a = 1/0`) gives MariaDB's
 * expression warnings the same way (`warnings-expressions.ts`). Values computed from columns
 * (`SET a = a + 1`) are left to the engines.
 */
import { coerceValue } from '../catalog/coerce.js';
import { coerceIn } from './coerce-in.js';
import { dropsPart } from './write-notes.js';
import { holdsZeroDates, isZeroDateValue, zeroDatesAllowed } from '../zero-date.js';
import { rowstoreIntegerRefusal } from '../storage/sqlite-values.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { SqlError } from '../errors.js';
import type { Assignment } from '../parser/ast.js';
import type { StatementContext, Warning } from './context.js';
import { simpleValue } from './constants.js';
import { isStrictMode, lenientValue } from './compat-lenient-values.js';
import { literalOf, sessionZoneMinutes } from './query-options.js';
import { fitTimestamp } from './timestamp-range.js';
import { expressionWarnings } from './warnings-expressions.js';
import { isConstantExpr, mayWarn } from './warnings-values.js';
import { divisionWarnings } from './warnings-statement.js';
import { implicitDefault } from './implicit-default.js';
import type { SqlValue } from '../values.js';

/** Matched rows whose warnings are listed (the rest are counted only as MariaDB's limit does). */
const WARNED_ROWS_MAX = 64;

export interface CheckedAssignments {
  readonly assignments: readonly Assignment[];
  /** The warnings of one row, worded for row 1. */
  readonly rowWarnings: readonly Warning[];
  /** Strict mode: the error to raise when any row matches. */
  readonly refusal?: SqlError;
}

export function checkUpdateValues(
  context: StatementContext,
  table: TableDef,
  assignments: readonly Assignment[],
  ignore = false,
): CheckedAssignments {
  const strict = isStrictMode(context.session) && !ignore;
  const zeroDates = zeroDatesAllowed(context.session.variables.get('sql_mode'));
  const zoneMinutes = sessionZoneMinutes(context);
  const rowWarnings: Warning[] = [];
  let refusal: SqlError | undefined;
  const checked = assignments.map((assignment): Assignment => {
    const value = simpleValue(assignment.value, context.params);
    if (value === undefined) {
      // A value computed from constants warns, or is refused in strict mode, per matched row
      // as MariaDB evaluates it for each (`SET a = 1/0`).
      if (isConstantExpr(assignment.value) && mayWarn(assignment.value)) {
        const warnings = expressionWarnings([assignment.value], {
          params: context.params,
          divisionWarnings: divisionWarnings(context.session),
        });
        const first = warnings.find((warning) => warning.level === 'Warning');
        if (strict && first !== undefined)
          refusal ??= new SqlError(
            first.code,
            first.code === 1365 ? '22012' : '22007',
            first.message,
          );
        else rowWarnings.push(...warnings);
      }
      return assignment;
    }
    const column = table.columns.find(
      (candidate) => candidate.name.toLowerCase() === assignment.column.column.toLowerCase(),
    );
    if (value === null) {
      // NULL for a NOT NULL column: strict mode refuses it (the engine's 1048); other modes and
      // IGNORE store the implicit default with a warning (MariaDB).
      const stored = column === undefined || strict ? undefined : nullStoredAs(column);
      if (stored === undefined) return assignment;
      rowWarnings.push(notNullWarning(column?.name ?? ''));
      return { ...assignment, value: literalOf(stored) };
    }
    if (column === undefined || column.type === 'blob') return assignment;
    if (table.storage === 'row') {
      const refusal = rowstoreIntegerRefusal(coerced(value, column, zeroDates), column.name, 1);
      if (refusal !== undefined) throw refusal;
    }
    // A value stored with a part dropped (a datetime in a DATE, …) is stored so, with a Note.
    const noted = dropsPart(value, column);
    if (noted) rowWarnings.push(truncatedNote(column.name));
    if (strict) {
      const error = refused(table, value, column, { zeroDates, zoneMinutes });
      refusal ??= error;
      if (error === undefined && noted)
        return { ...assignment, value: literalOf(coerceValue(value, column, 1, zeroDates)) };
      // An ENUM or SET stores its members as declared ('Z,x' is 'x,z'; 2 the second member),
      // a zero date its text (0 is 0000-00-00).
      return error === undefined &&
        (column.values !== undefined || (zeroDates && isZeroDateValue(value)))
        ? { ...assignment, value: literalOf(coerceValue(value, column, 1, zeroDates)) }
        : assignment;
    }
    const before = rowWarnings.length;
    const kept = fitTimestamp({
      value: lenientValue({ value, column, table, row: 1, warnings: rowWarnings, zeroDates }),
      given: value,
      column,
      table,
      row: 1,
      zoneMinutes,
      lenient: true,
      warnings: rowWarnings,
    });
    return rowWarnings.length === before && !noted && column.values === undefined
      ? assignment
      : { ...assignment, value: literalOf(kept) };
  });
  return { assignments: checked, rowWarnings, ...(refusal !== undefined ? { refusal } : {}) };
}

function truncatedNote(column: string): Warning {
  return { level: 'Note', code: 1265, message: `Data truncated for column '${column}' at row 1` };
}

/** The value as stored, or undefined when it does not fit. */
function coerced(
  value: Parameters<typeof coerceValue>[0],
  column: ColumnDef,
  zeroDates: boolean,
): unknown {
  try {
    return coerceValue(value, column, 1, zeroDates);
  } catch {
    return undefined;
  }
}

function refused(
  table: TableDef,
  value: Parameters<typeof coerceValue>[0],
  column: ColumnDef,
  options: { readonly zeroDates: boolean; readonly zoneMinutes: number },
): SqlError | undefined {
  try {
    const stored = coerceIn(table, value, column, 1, options.zeroDates);
    const { zoneMinutes } = options;
    fitTimestamp({
      value: stored,
      given: value,
      column,
      table,
      row: 1,
      zoneMinutes,
      lenient: false,
      warnings: [],
    });
    return undefined;
  } catch (error) {
    if (error instanceof SqlError) return error;
    throw error;
  }
}

/** The warnings of `matched` rows: each row's, renumbered, as MariaDB lists them. */
export function matchedRowWarnings(rowWarnings: readonly Warning[], matched: number): Warning[] {
  if (rowWarnings.length === 0) return [];
  const warnings: Warning[] = [];
  for (let row = 1; row <= Math.min(matched, WARNED_ROWS_MAX); row++) {
    for (const warning of rowWarnings)
      warnings.push({
        ...warning,
        message: warning.message.replace(/ at row 1$/, ` at row ${row}`),
      });
  }
  return warnings;
}

/**
 * What a NOT NULL column stores for a NULL an UPDATE gives it outside strict mode: its implicit
 * default (implicit-default.ts), except a date, whose zero date only INSERT writes; undefined
 * when the column takes NULL or the write stays refused.
 */
export function nullStoredAs(column: ColumnDef): SqlValue | undefined {
  if (column.nullable || holdsZeroDates(column.type) || column.type === 'json') return undefined;
  return implicitDefault(column, true);
}

export function notNullWarning(name: string): Warning {
  return { level: 'Warning', code: 1048, message: `Column '${name}' cannot be null` };
}
