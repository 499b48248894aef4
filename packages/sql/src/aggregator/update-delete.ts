/**
 * UPDATE and DELETE on one table. The WHERE clause routes the statement (shard-key equality →
 * one partition, otherwise all), and the statement runs on each partition's engine, inside one
 * transaction when it reaches several, so it is applied everywhere or nowhere. Statements the
 * partitions cannot decide alone (ORDER BY, LIMIT, subqueries, several tables) go through
 * `keyed-update.ts` and `keyed-write.ts`.
 */
import type { DeleteStatement, Expr, UpdateStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import { translateCountedUpdate, translateDelete } from '../dialect/index.js';
import type { TableDef } from '../catalog/types.js';
import type { ResultOk, ResultRows } from '../protocol/backend.js';
import { deleteReturning, pickedDeleteReturning } from './delete-returning.js';
import type { TranslatedSql } from '../dialect/index.js';
import type { PartitionTarget } from './cluster.js';
import { routePartitions } from '../planner/route.js';
import { singleTable } from '../planner/tables.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { currentDatabase } from './context.js';
import { columnMetas, translateOptions, sessionZoneMinutes } from './query-options.js';
import { ok } from './results.js';
import { withAssignedDefaults } from './update-defaults.js';
import { substituteVariables } from './substitute.js';
import { inWriteTransaction } from './write-transaction.js';
import { WRITE_CONFLICT } from '../storage/conflict-retry.js';
import { assignedTexts, explainDuplicate } from './duplicate-keys.js';
import { checkUpdateValues, matchedRowWarnings } from './compat-update-values.js';
import { isKeyedDelete, isKeyedUpdate } from './keyed-pick.js';
import { keyedDelete } from './keyed-write.js';
import { keyedUpdate } from './keyed-update.js';
import { assignsShardKey, updateShardKey } from './update-shard-key.js';
import { stampedAssignments } from './compat-on-update.js';
import { settingAssignments, unsignedOf } from './last-insert-id.js';
import { isStrictMode } from './compat-lenient-values.js';
import { divisionWarnings } from './warnings-statement.js';
import {
  computedValueChecks,
  countedWarnings,
  type ComputedValueChecks,
} from './update-value-checks.js';
import { execOptions } from './exec-options.js';

function targetTable(
  context: StatementContext,
  from: UpdateStatement['tables'],
  what: string,
): { table: TableDef; name: string } {
  const ref = singleTable(from);
  if (ref === undefined) throw sqlError('NOT_SUPPORTED', `Multi-table ${what} is not supported`);
  const table = context.services.catalog.requireTable(
    currentDatabase(context, ref.database),
    ref.name,
  );
  return { table, name: ref.alias ?? ref.name };
}

function writeTargets(
  context: StatementContext,
  table: TableDef,
  name: string,
  where: Expr | undefined,
): PartitionTarget[] {
  const { cluster, catalog } = context.services;
  const database = catalog.requireDatabase(table.database);
  let targets;
  if (table.reference) targets = cluster.referencePartitions(database);
  else {
    const ordinals = routePartitions({
      where,
      table,
      name,
      params: context.params,
      partitions: database.partitions,
      zoneMinutes: sessionZoneMinutes(context),
    });
    targets =
      ordinals === undefined
        ? cluster.partitions(database)
        : ordinals.map((ordinal) => cluster.partition(database, ordinal));
  }
  return targets;
}

async function runWrite(
  context: StatementContext,
  table: TableDef,
  name: string,
  where: Expr | undefined,
  sql: { sql: string; params: readonly number[] },
): Promise<number> {
  const { cluster } = context.services;
  const targets = writeTargets(context, table, name, where);
  const params: SqlValue[] = sql.params.map((index) => context.params[index] ?? null);
  const results = await inWriteTransaction(
    context,
    targets.length,
    (transaction) =>
      cluster.exec(
        targets,
        table.storage,
        () => ({ sql: sql.sql, params }),
        execOptions(context, true, transaction),
      ),
    { retryOn: [WRITE_CONFLICT] },
  );
  const total = results.reduce((sum, result) => sum + result.affectedRows, 0);
  return table.reference ? Math.round(total / Math.max(1, targets.length)) : total;
}

export async function updateStatement(
  context: StatementContext,
  source: UpdateStatement,
): Promise<ResultOk> {
  const substituted = withAssignedDefaults(substituteVariables(source, context), () =>
    singleTable(source.tables) === undefined
      ? undefined
      : targetTable(context, source.tables, 'UPDATE').table,
  );
  // SET column = LAST_INSERT_ID(expr): the column takes expr, and the statement's new
  // LAST_INSERT_ID is its value, reported by the count of matched rows.
  const { assignments, setting } = settingAssignments(substituted.set);
  const statement = setting === undefined ? substituted : { ...substituted, set: assignments };
  const only = singleTable(statement.tables);
  const unsupported = (): Error =>
    sqlError(
      'NOT_SUPPORTED',
      'LAST_INSERT_ID(expr) in UPDATE is supported for one table, without ORDER BY, LIMIT, subqueries or a new shard key',
    );
  if (setting !== undefined && (only === undefined || isKeyedUpdate(statement)))
    throw unsupported();
  if (only !== undefined) {
    const { table, name } = targetTable(context, statement.tables, 'UPDATE');
    if (!table.reference && assignsShardKey(table, statement)) {
      if (setting !== undefined) throw unsupported();
      const moved = await updateShardKey(context, statement, table, name);
      context.session.rowCount = moved.matched;
      return updated(moved);
    }
  }
  if (isKeyedUpdate(statement)) {
    const result = await keyedUpdate(context, statement);
    context.session.rowCount = result.matched;
    if (result.warnings.length > 0) context.session.warnings = [...result.warnings];
    return updated(result, Math.min(result.warned, 65535));
  }
  const { table, name } = targetTable(context, statement.tables, 'UPDATE');
  for (const assignment of statement.set) {
    const column = table.columns.find(
      (candidate) => candidate.name.toLowerCase() === assignment.column.column.toLowerCase(),
    );
    if (column === undefined)
      throw sqlError('BAD_FIELD', `Unknown column '${assignment.column.column}' in 'field list'`);
    if (table.shardKey.includes(column.name)) {
      throw sqlError(
        'NOT_SUPPORTED',
        `Updating the shard key column '${column.name}' is not supported; delete and insert the row instead`,
      );
    }
  }
  const checked = checkUpdateValues(context, table, statement.set, statement.ignore);
  const dialect = table.storage === 'column' ? 'duckdb' : 'sqlite';
  const checks = computedValueChecks({
    table,
    assignments: checked.assignments,
    strict: isStrictMode(context.session) && !statement.ignore,
    divisionByZero: divisionWarnings(context.session),
  });
  const reported = checked.assignments.findLast(
    (assignment) => assignment.column.column.toLowerCase() === setting?.toLowerCase(),
  )?.value;
  const translated = translateCountedUpdate(checked.assignments, statement.where, {
    ...translateOptions(context, dialect, () => undefined),
    name,
    table: { engineName: table.name, columns: columnMetas(table) },
    stamped: stampedAssignments(table, statement.set),
    ...(checks !== undefined ? { checks } : {}),
    ...(reported !== undefined ? { reported } : {}),
  });
  if (checked.refusal !== undefined) {
    // Strict mode refuses the value only when a row would take it.
    const matched = await countMatched(context, table, name, statement.where, translated.matched);
    if (matched > 0) throw checked.refusal;
    context.session.rowCount = 0;
    return updated({ matched: 0, changed: 0 });
  }
  const counts = await runCountedUpdate(
    context,
    table,
    name,
    statement.where,
    translated,
    reported !== undefined,
  ).catch((error: unknown) => {
    throw explainDuplicate(error, table, {
      assigned: assignedTexts(statement.set, context.params),
    });
  });
  context.session.rowCount = counts.matched;
  if (counts.reported !== undefined) context.session.lastInsertId = counts.reported;
  const warnings = [
    ...matchedRowWarnings(checked.rowWarnings, counts.matched),
    ...computedWarnings(checks, counts.checked),
  ];
  if (warnings.length > 0) context.session.warnings = warnings;
  const warned =
    counts.matched * checked.rowWarnings.length + counts.checked.reduce((sum, n) => sum + n, 0);
  return updated(counts, Math.min(warned, 65535), counts.reported);
}

function computedWarnings(
  checks: ComputedValueChecks | undefined,
  counts: readonly number[],
): ReturnType<typeof countedWarnings> {
  return checks === undefined ? [] : countedWarnings(checks, counts);
}

async function countMatched(
  context: StatementContext,
  table: TableDef,
  name: string,
  where: Expr | undefined,
  sql: TranslatedSql,
): Promise<number> {
  const targets = writeTargets(context, table, name, where);
  const params = sql.params.map((index) => context.params[index] ?? null);
  const results = await context.services.cluster.exec(
    targets,
    table.storage,
    () => ({ sql: sql.sql, params }),
    execOptions(context, false, context.transaction),
  );
  return results.reduce((sum, result) => sum + Number(result.rows[0]?.[0] ?? 0), 0);
}

/**
 * The OK of an UPDATE: affected rows are the rows matched (what a client with CLIENT_FOUND_ROWS
 * sees; the protocol layer sends `changed` to the others), and the info string is
 * MariaDB's "Rows matched: M  Changed: C  Warnings: W".
 */
function updated(
  counts: { matched: number; changed: number },
  warnings = 0,
  /** LAST_INSERT_ID(expr)'s value, which the OK packet carries as its id. */
  lastInsertId?: number | bigint,
): ResultOk {
  return {
    ...ok(counts.matched, {
      info: `Rows matched: ${counts.matched}  Changed: ${counts.changed}  Warnings: ${warnings}`,
      ...(warnings > 0 ? { warnings } : {}),
      ...(lastInsertId !== undefined ? { lastInsertId } : {}),
    }),
    changed: { affectedRows: counts.changed },
  };
}

/**
 * Each partition counts the rows matched, then updates the rows that change, in one request
 * to each leaf (the leaf runs a partition's requests in order).
 */
async function runCountedUpdate(
  context: StatementContext,
  table: TableDef,
  name: string,
  where: Expr | undefined,
  sql: { matched: TranslatedSql; update: TranslatedSql },
  reports: boolean,
): Promise<{ matched: number; changed: number; checked: number[]; reported?: number | bigint }> {
  const { cluster } = context.services;
  const targets = writeTargets(context, table, name, where);
  const bind = (indexes: readonly number[]): SqlValue[] =>
    indexes.map((index) => context.params[index] ?? null);
  const matchedParams = bind(sql.matched.params);
  const updateParams = bind(sql.update.params);
  // Each target twice: the count, then the update (results come back in the same order).
  const doubled = targets.flatMap((target) => [target, target]);
  let position = 0;
  const results = await inWriteTransaction(
    context,
    targets.length,
    (transaction) => {
      position = 0;
      return cluster.exec(
        doubled,
        table.storage,
        () => {
          const count = position % 2 === 0;
          position += 1;
          return count
            ? { sql: sql.matched.sql, params: matchedParams }
            : { sql: sql.update.sql, params: updateParams };
        },
        execOptions(context, true, transaction),
      );
    },
    { retryOn: [WRITE_CONFLICT] },
  );
  let matched = 0;
  let changed = 0;
  // The first statement's further columns count the rows each value check warns for.
  const checked: number[] = [];
  // The value reported (LAST_INSERT_ID(expr)'s), last column: one partition's.
  let reported: number | bigint | undefined;
  results.forEach((result, index) => {
    if (index % 2 === 0) {
      const row = result.rows[0] ?? [];
      matched += Number(row[0] ?? 0);
      const end = reports ? row.length - 1 : row.length;
      for (let column = 1; column < end; column++)
        checked[column - 1] = (checked[column - 1] ?? 0) + Number(row[column] ?? 0);
      const value = reports ? (row[end] ?? null) : null;
      if (value !== null) reported = unsignedOf(value);
    } else changed += result.affectedRows;
  });
  // A reference table's rows are on every leaf: count one copy.
  const copies = table.reference ? Math.max(1, targets.length) : 1;
  return {
    matched: Math.round(matched / copies),
    changed: Math.round(changed / copies),
    checked: checked.map((count) => Math.round(count / copies)),
    ...(reported !== undefined ? { reported } : {}),
  };
}

export async function deleteStatement(
  context: StatementContext,
  source: DeleteStatement,
): Promise<ResultOk | ResultRows> {
  const statement = substituteVariables(source, context);
  if (statement.returning !== undefined) {
    const { table, name } = targetTable(context, statement.from, 'DELETE');
    if (isKeyedDelete(statement)) return pickedDeleteReturning(context, statement, table);
    return deleteReturning(
      context,
      statement,
      table,
      () => writeTargets(context, table, name, statement.where),
      () => deleteSql(context, table, name, statement.where),
    );
  }
  if (isKeyedDelete(statement)) {
    const affected = await keyedDelete(context, statement);
    context.session.rowCount = affected;
    return ok(affected);
  }
  const { table, name } = targetTable(context, statement.from, 'DELETE');
  const translated = deleteSql(context, table, name, statement.where);
  const affected = await runWrite(context, table, name, statement.where, translated);
  context.session.rowCount = affected;
  return ok(affected);
}

function deleteSql(
  context: StatementContext,
  table: TableDef,
  name: string,
  where: Expr | undefined,
): TranslatedSql {
  const dialect = table.storage === 'column' ? 'duckdb' : 'sqlite';
  return translateDelete(where, {
    ...translateOptions(context, dialect, () => undefined),
    name,
    table: { engineName: table.name, columns: columnMetas(table) },
  });
}
