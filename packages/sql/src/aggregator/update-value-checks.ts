/**
 * Checks of the values an UPDATE computes from columns (`SET a = a * 100`, `SET s = CONCAT(s,
 * 'x')`, `SET a = a / 0`), which only the partitions can compute. They are written into the
 * engine SQL of the write, and only for assignments that can fail, so a statement whose values
 * are constants or plain copies of a column of the same type pays nothing:
 * - strict mode: the value becomes `CASE WHEN <does not fit> THEN #RAISE(…) ELSE value END`,
 *   so the first row that does not fit fails the statement with MariaDB's error (1264, 1406,
 *   1365), and the statement's transaction leaves every partition unchanged;
 * - otherwise (or UPDATE IGNORE) the value is adjusted as MariaDB stores it (clamped to the
 *   column's range, cut to its length; a division by zero is NULL already) and each condition
 *   is counted over the matched rows, for MariaDB's warnings.
 * The row named in an error is always row 1, and warnings number the rows that warn 1, 2, …
 * (MariaDB counts every row it reads, so its numbers can be higher).
 */
import type { UpdateChecks } from '../dialect/index.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { hasFixedDecimals } from '../catalog/double-fit.js';
import { enumValue, setValue } from '../catalog/member-values.js';
import type { Assignment, Expr } from '../parser/ast.js';
import { walkExpr } from '../parser/walk.js';
import { fitOf, intLiteral, raise } from './update-value-fits.js';
import type { Warning } from './context.js';
import { isConstantExpr } from './warnings-values.js';
import { notNullWarning, nullStoredAs } from './compat-update-values.js';
import { literalOf } from './query-options.js';

/** Rows whose warnings are listed (the rest are counted only). */
const WARNED_ROWS_MAX = 64;

export interface ComputedValueChecks extends UpdateChecks {
  /** The warning of each `counted` condition, worded for row 1. */
  readonly warnings: readonly Warning[];
}

export interface ComputedCheckOptions {
  readonly table: TableDef;
  readonly assignments: readonly Assignment[];
  /** Strict mode without IGNORE: a value that does not fit fails the statement. */
  readonly strict: boolean;
  /** ERROR_FOR_DIVISION_BY_ZERO is in sql_mode. */
  readonly divisionByZero: boolean;
}

/** The checked assignments, or undefined when no assignment can fail. */
export function computedValueChecks(
  options: ComputedCheckOptions,
): ComputedValueChecks | undefined {
  const counted: Expr[] = [];
  const warnings: Warning[] = [];
  let changed = false;
  const set = options.assignments.map((assignment): Assignment => {
    const column = options.table.columns.find(
      (candidate) => candidate.name.toLowerCase() === assignment.column.column.toLowerCase(),
    );
    if (column === undefined || !isComputed(assignment.value, column, options.table)) {
      return assignment;
    }
    const value = checkedValue({ ...options, column, value: assignment.value, counted, warnings });
    if (value === assignment.value) return assignment;
    changed = true;
    return { ...assignment, value };
  });
  if (!changed) return undefined;
  return { set, counted, warnings, raises: options.strict };
}

/** The warnings of the counted conditions, given how many matched rows met each. */
export function countedWarnings(checks: ComputedValueChecks, counts: readonly number[]): Warning[] {
  const listed: Warning[] = [];
  const rowsMax = Math.min(WARNED_ROWS_MAX, Math.max(0, ...counts));
  for (let row = 1; row <= rowsMax; row++) {
    checks.warnings.forEach((warning, index) => {
      if ((counts[index] ?? 0) >= row)
        listed.push({
          ...warning,
          message: warning.message.replace(/ at row 1$/, ` at row ${row}`),
        });
    });
  }
  return listed;
}

/**
 * A value read from a column: a plain copy of a column of the same type cannot fail, nor can
 * an upsert's `VALUES(col)` (the proposed row was checked on the aggregator).
 */
function isComputed(value: Expr, column: ColumnDef, table: TableDef): boolean {
  // A constant was checked on the aggregator, but only the engine SQL can round it to a
  // DOUBLE(M,D) column's decimals (`SET d = 3.14159` stores 3.14).
  // Nor store an ENUM or SET constant as declared ('Z,x' is 'x,z'), unless it is so already.
  if (isConstantExpr(value))
    return (hasFixedDecimals(column) || isUnstoredMember(value, column)) && !isNullLiteral(value);
  const copied =
    value.kind === 'column'
      ? value
      : value.kind === 'call' && value.name === 'VALUES' && value.args[0]?.kind === 'column'
        ? value.args[0]
        : undefined;
  if (copied === undefined) return true;
  const source = table.columns.find(
    (candidate) => candidate.name.toLowerCase() === copied.column.toLowerCase(),
  );
  return source === undefined || source.mysqlType !== column.mysqlType;
}

/** An ENUM or SET constant other than a string literal holding a value as stored. */
function isUnstoredMember(value: Expr, column: ColumnDef): boolean {
  const members = column.values;
  if (members === undefined || members.length === 0) return false;
  if (value.kind !== 'literal' || value.type !== 'string') return true;
  const text = String(value.value);
  const stored = column.mysqlType.startsWith('set')
    ? setValue(text, members)
    : enumValue(text, members);
  return stored.truncated || stored.text !== text;
}

interface CheckInput extends ComputedCheckOptions {
  readonly column: ColumnDef;
  readonly value: Expr;
  readonly counted: Expr[];
  readonly warnings: Warning[];
}

function checkedValue(input: CheckInput): Expr {
  const checked = fittedValue(input);
  // A NULL computed for a NOT NULL column: outside strict mode the implicit default, counted
  // for warning 1048 (in strict mode the engine's NOT NULL refuses it).
  const stored = input.strict ? undefined : nullStoredAs(input.column);
  if (stored === undefined || isConstantExpr(input.value)) return checked;
  input.counted.push({ kind: 'isNull', not: false, expr: checked });
  input.warnings.push(notNullWarning(input.column.name));
  return { kind: 'call', name: 'COALESCE', args: [checked, literalOf(stored)] };
}

function fittedValue(input: CheckInput): Expr {
  const { column, value, strict } = input;
  const divisions = input.divisionByZero ? divisionsByZero(value) : [];
  const fit = fitOf(column, input.table, value);
  if (divisions.length === 0 && fit === undefined) return value;
  const name = column.name;
  if (strict) {
    const whens = divisions.map((when) => ({ when, then: raise(1365, '22012', 'Division by 0') }));
    if (fit !== undefined) whens.push({ when: fit.refused, then: raise(...fit.error(name)) });
    return { kind: 'case', whens, else: fit?.adjusted ?? value };
  }
  for (const division of divisions) {
    input.counted.push(division);
    input.warnings.push({ level: 'Warning', code: 1365, message: 'Division by 0' });
  }
  if (fit === undefined) return value;
  if (fit.always === true)
    return {
      kind: 'case',
      whens: [{ when: fit.refused, then: raise(...fit.error(name)) }],
      else: value,
    };
  input.counted.push(fit.refused);
  input.warnings.push(fit.warning(name));
  return fit.adjusted;
}

/**
 * The conditions under which a division inside `value` divides a value by zero (MariaDB
 * evaluates NULL / 0 as NULL without an error). A divisor that is a non-zero number is safe.
 */
function divisionsByZero(value: Expr): Expr[] {
  const conditions: Expr[] = [];
  walkExpr(value, (node) => {
    if (node.kind !== 'binary' || (node.op !== '/' && node.op !== 'DIV' && node.op !== '%')) return;
    const divisor = node.right;
    if (divisor.kind === 'literal' && divisor.type !== 'string' && Number(divisor.value) !== 0)
      return;
    conditions.push({
      kind: 'binary',
      op: 'AND',
      left: { kind: 'binary', op: '=', left: divisor, right: intLiteral(0n) },
      right: { kind: 'isNull', not: true, expr: node.left },
    });
  });
  return conditions;
}

function isNullLiteral(value: Expr): boolean {
  return value.kind === 'literal' && value.type === 'null';
}
