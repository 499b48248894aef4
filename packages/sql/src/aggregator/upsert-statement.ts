/**
 * The engine statement of INSERT … ON DUPLICATE KEY UPDATE for one row (`upsert-row.ts` runs
 * it): `INSERT … ON CONFLICT (key) DO UPDATE`, or, on a columnstore table with a key with a text
 * column (which compares folded, catalog/folded-keys.ts, and which DuckDB's ON CONFLICT cannot
 * name), a `MERGE` meeting the stored row on any of its keys. The row's values come first as
 * parameters, in table column order.
 */
import type { Assignment, Expr, InsertStatement } from '../parser/ast.js';
import { walkExpr } from '../parser/walk.js';
import { engineColumnType, quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { foldedKeys, isTextColumn, uniqueKeys } from '../catalog/folded-keys.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { translateUpsert, type UpsertKeys } from '../dialect/index.js';
import type { StatementContext } from './context.js';
import { isStrictMode } from './compat-lenient-values.js';
import { divisionWarnings } from './warnings-statement.js';
import { computedValueChecks } from './update-value-checks.js';
import { checkUpdateValues } from './compat-update-values.js';
import { raise } from './update-value-fits.js';
import type { Warning } from './context.js';
import type { SqlError } from '../errors.js';
import { columnMetas, translateOptions } from './query-options.js';
import { stampedAssignments } from './compat-on-update.js';
import { settingAssignments } from './last-insert-id.js';
import { currentKey, isCurrent, slotFor, translateForCache } from './plan-cache.js';

/**
 * ON DUPLICATE KEY UPDATE's values. A constant is checked here as UPDATE checks it
 * (compat-update-values.ts): strict mode refuses one that does not fit — on the partition, as an
 * error raised only when a row takes the update — other modes (and IGNORE) store it adjusted,
 * with warnings for each row that takes the update. Values computed from columns are checked
 * on the partition (update-value-checks.ts), adjusted without warnings outside strict mode.
 */
function checkedUpsert(
  context: StatementContext,
  statement: InsertStatement,
  table: TableDef,
  keyColumns: readonly string[],
): { readonly assignments: readonly Assignment[]; readonly rowWarnings: readonly Warning[] } {
  const { assignments } = settingAssignments(statement.onDuplicateKeyUpdate ?? []);
  const rowWarnings: Warning[] = [];
  const refusals = new Map<number, SqlError>();
  const constants = assignments.map((assignment, index): Assignment => {
    // A parameter's value changes between executions of a kept plan: it stays unchecked.
    if (mentionsParameter(assignment.value)) return assignment;
    const checked = checkUpdateValues(context, table, [assignment], statement.ignore);
    if (checked.refusal !== undefined) refusals.set(index, checked.refusal);
    rowWarnings.push(...checked.rowWarnings);
    return checked.assignments[0] ?? assignment;
  });
  const checks = computedValueChecks({
    table,
    assignments: constants,
    strict: isStrictMode(context.session) && !statement.ignore,
    divisionByZero: divisionWarnings(context.session),
  });
  // A refused constant raises under a condition on the stored row, which the engine can fold
  // neither into the plan nor for an inserted row (DuckDB computes the update's values for
  // every proposed row, the stored row's columns NULL when there is none). Otherwise the value
  // is the column's own: the constant itself would not fit the column, and DuckDB casts it for
  // an inserted row too (1264 for an INSERT that met no row).
  const set = (checks?.set ?? constants).map((assignment, index): Assignment => {
    const refusal = refusals.get(index);
    if (refusal === undefined) return assignment;
    const then = raise(refusal.errno, refusal.sqlState, refusal.message);
    return {
      ...assignment,
      value: {
        kind: 'case',
        whens: [{ when: storedRow(table, keyColumns), then }],
        else: { kind: 'column', column: assignment.column.column },
      },
    };
  });
  return { assignments: set, rowWarnings };
}

/**
 * True for the stored row an update meets: its key column, through COALESCE so that DuckDB does
 * not fold a NOT NULL column's test into the statement's plan (and raise for every row).
 */
function storedRow(table: TableDef, keyColumns: readonly string[]): Expr {
  const column: Expr = { kind: 'column', column: keyColumns[0] ?? table.columns[0]?.name ?? '' };
  return {
    kind: 'isNull',
    not: true,
    expr: { kind: 'call', name: 'COALESCE', args: [column, column] },
  };
}

function mentionsParameter(value: Expr): boolean {
  let found = false;
  walkExpr(value, (node) => {
    if (node.kind === 'param') found = true;
  });
  return found;
}

/**
 * The engine statement of an upsert: translated once per prepared statement (plan-cache.ts)
 * unless it reads the clock or the session, as `SET updated = NOW()` does.
 */
export function upsertStatement(
  context: StatementContext,
  statement: InsertStatement,
  table: TableDef,
  keyColumns: readonly string[],
): {
  readonly sql: string;
  readonly params: readonly number[];
  /** The warnings of each row that takes the update (worded for row 1). */
  readonly rowWarnings: readonly Warning[];
} {
  const slot = slotFor(context, statement);
  const cached = slot?.upsert;
  if (cached !== undefined && cached.table === table && isCurrent(cached.key, context))
    return cached;
  const dialect = table.storage === 'column' ? 'duckdb' : 'sqlite';
  const merge = mergeKeys(table);
  const checked = checkedUpsert(context, statement, table, keyColumns);
  const { result: upsert, reusable } = translateForCache(
    context,
    {
      ...translateOptions(context, dialect, () => undefined),
      name: table.name,
      table: { engineName: table.name, columns: columnMetas(table) },
      stamped: stampedAssignments(table, statement.onDuplicateKeyUpdate ?? []),
      ...(merge !== undefined ? { merge } : {}),
    },
    (options) => translateUpsert(checked.assignments, keyColumns, options),
  );
  const name = quoteEngineIdentifier(table.name);
  const names = table.columns.map((column) => quoteEngineIdentifier(column.name));
  const sql =
    merge === undefined
      ? `INSERT INTO ${name} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ${upsert.sql}`
      : `MERGE INTO ${name} USING (SELECT ${table.columns.map((column, index) => `${typedParameter(column)} AS ${names[index] ?? ''}`).join(', ')}) AS excluded ${upsert.sql}`;
  const { rowWarnings } = checked;
  if (slot !== undefined && reusable)
    slot.upsert = { key: currentKey(context), table, sql, params: upsert.params, rowWarnings };
  return { sql, params: upsert.params, rowWarnings };
}

/**
 * The keys an upsert meets a stored row on when the table has a key with a fold index: every
 * primary and unique key (MariaDB's ON DUPLICATE KEY UPDATE takes a collision on any of them),
 * their text columns compared folded. Undefined when the upsert takes ON CONFLICT on one key.
 */
export function mergeKeys(table: TableDef): UpsertKeys | undefined {
  if (foldedKeys(table).length === 0) return undefined;
  return {
    keys: uniqueKeys(table).map((key) => key.columns.map((column) => column.name)),
    folded: table.columns.filter(isTextColumn).map((column) => column.name),
  };
}

/**
 * A `?` typed as its columnstore column (as INSERT's VALUES would cast it), for the MERGE's
 * proposed row; `TRY_CAST` reads a value the type cannot take as NULL.
 */
export function typedParameter(column: ColumnDef, cast: 'CAST' | 'TRY_CAST' = 'CAST'): string {
  const type = engineColumnType('column', column);
  const collation = ' COLLATE NOCASE';
  return type.endsWith(collation)
    ? `${cast}(? AS ${type.slice(0, -collation.length)})${collation}`
    : `${cast}(? AS ${type})`;
}
