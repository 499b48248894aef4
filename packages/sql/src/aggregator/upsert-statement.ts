/**
 * The engine statement of INSERT … ON DUPLICATE KEY UPDATE for one row (`upsert-row.ts` runs
 * it): `INSERT … ON CONFLICT (key) DO UPDATE`, or, on a columnstore table with a key with a text
 * column (which compares folded, catalog/folded-keys.ts, and which DuckDB's ON CONFLICT cannot
 * name), a `MERGE` meeting the stored row on any of its keys. The row's values come first as
 * parameters, in table column order.
 */
import type { Assignment, InsertStatement } from '../parser/ast.js';
import { engineColumnType, quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { foldedKeys, isTextColumn, uniqueKeys } from '../catalog/folded-keys.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { translateUpsert, type UpsertKeys } from '../dialect/index.js';
import type { StatementContext } from './context.js';
import { isStrictMode } from './compat-lenient-values.js';
import { divisionWarnings } from './warnings-statement.js';
import { computedValueChecks } from './update-value-checks.js';
import { columnMetas, translateOptions } from './query-options.js';
import { stampedAssignments } from './compat-on-update.js';
import { settingAssignments } from './last-insert-id.js';
import { currentKey, isCurrent, slotFor, translateForCache } from './plan-cache.js';

/**
 * ON DUPLICATE KEY UPDATE's values, checked on the partition when computed from columns
 * (update-value-checks.ts): strict mode refuses a value that does not fit, other modes adjust
 * it (without the warnings, which only an UPDATE counts).
 */
function checkedUpsert(
  context: StatementContext,
  statement: InsertStatement,
  table: TableDef,
): readonly Assignment[] {
  const { assignments } = settingAssignments(statement.onDuplicateKeyUpdate ?? []);
  const checks = computedValueChecks({
    table,
    assignments,
    strict: isStrictMode(context.session) && !statement.ignore,
    divisionByZero: divisionWarnings(context.session),
  });
  return checks?.set ?? assignments;
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
): { readonly sql: string; readonly params: readonly number[] } {
  const slot = slotFor(context, statement);
  const cached = slot?.upsert;
  if (cached !== undefined && cached.table === table && isCurrent(cached.key, context))
    return cached;
  const dialect = table.storage === 'column' ? 'duckdb' : 'sqlite';
  const merge = mergeKeys(table);
  const { result: upsert, reusable } = translateForCache(
    context,
    {
      ...translateOptions(context, dialect, () => undefined),
      name: table.name,
      table: { engineName: table.name, columns: columnMetas(table) },
      stamped: stampedAssignments(table, statement.onDuplicateKeyUpdate ?? []),
      ...(merge !== undefined ? { merge } : {}),
    },
    (options) => translateUpsert(checkedUpsert(context, statement, table), keyColumns, options),
  );
  const name = quoteEngineIdentifier(table.name);
  const names = table.columns.map((column) => quoteEngineIdentifier(column.name));
  const sql =
    merge === undefined
      ? `INSERT INTO ${name} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ${upsert.sql}`
      : `MERGE INTO ${name} USING (SELECT ${table.columns.map((column, index) => `${typedParameter(column)} AS ${names[index] ?? ''}`).join(', ')}) AS excluded ${upsert.sql}`;
  if (slot !== undefined && reusable)
    slot.upsert = { key: currentKey(context), table, sql, params: upsert.params };
  return { sql, params: upsert.params };
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

/** A `?` of the MERGE's proposed row, typed as its column (as INSERT's VALUES would cast it). */
function typedParameter(column: ColumnDef): string {
  const type = engineColumnType('column', column);
  const collation = ' COLLATE NOCASE';
  return type.endsWith(collation)
    ? `CAST(? AS ${type.slice(0, -collation.length)})${collation}`
    : `CAST(? AS ${type})`;
}
