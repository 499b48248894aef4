/**
 * UPDATE on the keyed path (ORDER BY/LIMIT, subqueries, several tables), counted and checked
 * as a one-table UPDATE is (`update-delete.ts`). The picking query finds the rows to write (its
 * LIMIT counts rows matched, as MariaDB's does, whether or not they change); each partition's
 * write then changes only the rows whose stored values change (`translateCountedUpdate`), so its
 * engine count is MariaDB's "Changed", and ON UPDATE CURRENT_TIMESTAMP columns are set in those
 * rows only. Values the partitions compute from columns are checked there
 * (`computedValueChecks`); values the picking query computed (several tables, subqueries in
 * SET) arrive as constants and are checked here, row by row.
 */
import type { Assignment, Expr, UpdateStatement } from '../parser/ast.js';
import { translateCountedUpdate, type TranslatedSql } from '../dialect/index.js';
import { coerceIn } from './coerce-in.js';
import { zeroDatesAllowed } from '../zero-date.js';
import type { ColumnDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';
import type { StatementContext, Warning } from './context.js';
import { literalOf } from './query-options.js';
import { chunks, identityFilter, KEYS_PER_STATEMENT, routeIdentities } from './row-identity.js';
import { inWriteTransaction } from './write-transaction.js';
import { explainDuplicate } from './duplicate-keys.js';
import { updateTargets, type WriteTarget } from './write-targets.js';
import { singleTable } from '../planner/tables.js';
import { hasSubquery } from '../planner/tables.js';
import { pickRows, type PickedRows } from './keyed-pick.js';
import { checkAssignments, oneCopy, partitionCount, writeOptions } from './keyed-write.js';
import { stampedAssignments } from './compat-on-update.js';
import { checkUpdateValues, matchedRowWarnings } from './compat-update-values.js';
import { isStrictMode, lenientValue } from './compat-lenient-values.js';
import { divisionWarnings } from './warnings-statement.js';
import { computedValueChecks, countedWarnings } from './update-value-checks.js';
import { runCountedWrites, type CountedWrite, type WriteCounts } from './update-keyed-writes.js';

/** Rows whose adjusted values' warnings are listed (the rest are counted only). */
const WARNED_ROWS_MAX = 64;

export interface KeyedUpdateResult {
  readonly matched: number;
  readonly changed: number;
  /** The warnings listed (SHOW WARNINGS). */
  readonly warnings: readonly Warning[];
  /** The number of warnings, listed or not. */
  readonly warned: number;
}

interface Warned {
  readonly warnings: readonly Warning[];
  readonly warned: number;
}

type Built = { readonly matched: TranslatedSql; readonly update: TranslatedSql };

/** How one target's writes are made. */
interface TargetPlan {
  /** The engine statements for the rows a WHERE selects; `row` is a picked row among them. */
  readonly build: (where: Expr, row: readonly SqlValue[]) => Built;
  /** Whether the counting statements' check counts are needed (counted value checks). */
  readonly counts: boolean;
  /** One statement per row (its values came from the picking query). */
  readonly perRow: boolean;
  /** The warnings, given the rows matched and the rows each counted check warns for. */
  readonly warned: (matched: number, checked: readonly number[]) => Warned;
}

export async function keyedUpdate(
  context: StatementContext,
  statement: UpdateStatement,
): Promise<KeyedUpdateResult> {
  const targets = updateTargets(context, statement.tables, statement.set);
  targets.forEach(checkAssignments);
  // One table whose new values the partitions can compute: pick keys only, push SET down.
  const pushdown =
    targets.length === 1 &&
    singleTable(statement.tables) !== undefined &&
    !hasSubquery(statement.set);
  const strict = isStrictMode(context.session) && !statement.ignore;
  return inWriteTransaction(context, partitionCount(context, targets), async (transaction) => {
    const scoped: StatementContext =
      transaction === undefined ? context : { ...context, transaction };
    const picked = await pickRows(
      scoped,
      { ...statement, from: statement.tables },
      targets,
      !pushdown,
    );
    let matched = 0;
    let changed = 0;
    let warned = 0;
    const warnings: Warning[] = [];
    for (const [index, target] of targets.entries()) {
      const rows = picked[index] as PickedRows;
      const plan = pushdown
        ? pushedPlan(scoped, target, strict, rows.rows.length)
        : valuesPlan(scoped, target, rows, strict);
      const counts = await applyUpdate(scoped, target, rows, {
        plan,
        limited: statement.limit !== undefined,
      }).catch((error: unknown) => {
        throw explainDuplicate(error, target.table);
      });
      matched += counts.matched;
      changed += counts.changed;
      warnings.push(...counts.warnings);
      warned += counts.warned;
    }
    return { matched, changed, warnings, warned };
  });
}

/** SET computed by the partitions: literals are checked here, computed values there. */
function pushedPlan(
  context: StatementContext,
  target: WriteTarget,
  strict: boolean,
  pickedCount: number,
): TargetPlan {
  const assignments: Assignment[] = target.assignments.map((assignment) => ({
    column: { kind: 'column', column: assignment.column.column },
    value: assignment.value,
  }));
  const checked = checkUpdateValues(context, target.table, assignments, !strict);
  // Strict mode refuses a value that does not fit only when a row would take it.
  if (checked.refusal !== undefined && pickedCount > 0) throw checked.refusal;
  const checks = computedValueChecks({
    table: target.table,
    assignments: checked.assignments,
    strict,
    divisionByZero: divisionWarnings(context.session),
  });
  const options = {
    ...writeOptions(context, target, true),
    stamped: stampedAssignments(target.table, assignments),
    ...(checks !== undefined ? { checks } : {}),
  };
  return {
    build: (where) => translateCountedUpdate(checked.assignments, where, options),
    counts: (checks?.counted.length ?? 0) > 0,
    perRow: false,
    warned: (matched, counts) => ({
      warnings: [
        ...matchedRowWarnings(checked.rowWarnings, matched),
        ...(checks === undefined ? [] : countedWarnings(checks, counts)),
      ],
      warned: matched * checked.rowWarnings.length + counts.reduce((sum, n) => sum + n, 0),
    }),
  };
}

/**
 * SET computed by the picking query: each row's values are stored as MariaDB stores them,
 * refused in strict mode and adjusted with a warning otherwise (rows numbered in picking order).
 */
function valuesPlan(
  context: StatementContext,
  target: WriteTarget,
  picked: PickedRows,
  strict: boolean,
): TargetPlan {
  const width = picked.identity.columns.length;
  const columns = target.assignments.map(
    (assignment) =>
      target.table.columns.find(
        (candidate) => candidate.name.toLowerCase() === assignment.column.column.toLowerCase(),
      ) as ColumnDef,
  );
  const options = {
    ...writeOptions(context, target, true),
    stamped: stampedAssignments(target.table, target.assignments),
  };
  const listed: Warning[] = [];
  const unlisted: Warning[] = [];
  const numbers = new Map<readonly SqlValue[], number>();
  picked.rows.forEach((row, index) => numbers.set(row, index + 1));
  // A row may go to several partitions: its values are checked (and warn) once.
  const stored = new Map<readonly SqlValue[], Assignment[]>();
  const zeroDates = zeroDatesAllowed(context.session.variables.get('sql_mode'));
  const storedOf = (row: readonly SqlValue[]): Assignment[] => {
    const known = stored.get(row);
    if (known !== undefined) return known;
    const number = numbers.get(row) ?? 1;
    const warnings = number <= WARNED_ROWS_MAX ? listed : unlisted;
    const assignments = target.assignments.map((assignment, position): Assignment => {
      const value = row[width + position] ?? null;
      const column = columns[position] as ColumnDef;
      const kept = strict
        ? coerceIn(target.table, value, column, number, zeroDates)
        : lenientValue({ value, column, table: target.table, row: number, warnings, zeroDates });
      return {
        column: { kind: 'column', column: assignment.column.column },
        value: literalOf(kept),
      };
    });
    stored.set(row, assignments);
    return assignments;
  };
  return {
    build: (where, row) => translateCountedUpdate(storedOf(row), where, options),
    counts: false,
    perRow: true,
    warned: () => ({ warnings: listed, warned: listed.length + unlisted.length }),
  };
}

/**
 * Writes one target's picked rows. Rows with a unique identity go in batches (or one statement
 * per row when the row carries its values) to the partitions that may hold them, and each
 * counts as matched once. Keyless rows are counted by the partitions; copies picked under a
 * LIMIT are written one at a time, trying partitions in order until one holds a copy.
 */
async function applyUpdate(
  context: StatementContext,
  target: WriteTarget,
  picked: PickedRows,
  options: { plan: TargetPlan; limited: boolean },
): Promise<{ matched: number; changed: number } & Warned> {
  const { plan } = options;
  const { identity } = picked;
  const width = identity.columns.length;
  const { cluster } = context.services;
  const copies = target.table.reference ? cluster.tableTargets(target.table).length : 1;
  const counting = !identity.unique || plan.counts;
  let found = 0;
  let changed = 0;
  const checked: number[] = [];
  const add = (counts: WriteCounts): void => {
    found += counts.found;
    changed += counts.changed;
    counts.checked.forEach((count, index) => (checked[index] = (checked[index] ?? 0) + count));
  };
  const write = (built: Built, partition: CountedWrite['target']): CountedWrite => ({
    target: partition,
    update: built.update,
    ...(counting ? { matched: built.matched } : {}),
  });
  if (!identity.unique && options.limited) {
    const targets = cluster.tableTargets(target.table);
    for (const row of picked.rows) {
      const built = plan.build(oneCopy(target, identity, row.slice(0, width)), row);
      for (const partition of target.table.reference ? [targets] : targets.map((t) => [t])) {
        const counts = await runCountedWrites(
          context,
          target.table.storage,
          partition.map((one) => write(built, one)),
        );
        add(counts);
        if (counts.found > 0) break;
      }
    }
  } else {
    const writes: CountedWrite[] = [];
    const groups = routeIdentities(context, target.table, identity, picked.rows, (row) => row);
    for (const [partition, rows] of groups) {
      const batches = plan.perRow ? rows.map((row) => [row]) : chunks(rows, KEYS_PER_STATEMENT);
      for (const batch of batches) {
        const keys = batch.map((row) => row.slice(0, width));
        const built = plan.build(identityFilter(target.alias, identity, keys), batch[0] ?? []);
        writes.push(write(built, partition));
      }
    }
    add(await runCountedWrites(context, target.table.storage, writes));
  }
  // A reference table's rows are on every leaf: count one copy.
  const matched = identity.unique ? picked.rows.length : Math.round(found / copies);
  const warned = plan.warned(
    matched,
    checked.map((count) => Math.round(count / copies)),
  );
  return { matched, changed: Math.round(changed / copies), ...warned };
}
