/**
 * INSERT, REPLACE, INSERT ... SELECT and INSERT ... ON DUPLICATE KEY UPDATE. Rows are completed
 * on the aggregator (defaults, AUTO_INCREMENT, type checks with MySQL's strict rules), routed to
 * partitions by the hash of their shard key (keyless tables: spread round-robin; reference
 * tables: every leaf), and sent as bulk rows in the binary row format.
 */
import { withoutRowAlias } from './insert-row-alias.js';
import { implicitDefault } from './implicit-default.js';
import { rejectShardKeyUpsert } from './upsert-shard-key.js';
import type { Assignment, Expr, InsertStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import { coerceValue, decimalDropsDigits } from '../catalog/coerce.js';
import { zeroDatesAllowed } from '../zero-date.js';
import { isStrictMode, lenientValue } from './compat-lenient-values.js';
import { partitionFor } from '../catalog/shard-hash.js';
import { roundDecimal } from '../catalog/decimal.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import type { ConflictMode } from '../leaf/api.js';
import type { ResultOk, ResultRows } from '../protocol/backend.js';
import { boundReturning, returningRows, translateReturning } from './insert-returning.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { currentDatabase, type Warning } from './context.js';
import type { PartitionTarget } from './cluster.js';
import { evaluateConstants } from './constants.js';
import { checkStoredQuery } from './warnings-statement.js';
import { formatTimestamp, sessionZoneMinutes } from './query-options.js';
import { storeTimestamps } from '../catalog/time-zone.js';
import { ok } from './results.js';
import { executeQuery } from './select.js';
import { checkFullGroupBy } from './full-group-by.js';
import { rowSlices } from './insert-slices.js';
import { inWriteTransaction } from './write-transaction.js';
import { DUPLICATE_KEY, WRITE_CONFLICT } from '../storage/conflict-retry.js';
import { allParts } from './fan-out.js';
import { upsertRow } from './upsert-row.js';
import { mergeKeys, upsertStatement } from './upsert-statement.js';
import { dropDuplicateKeys } from './insert-ignore.js';
import { explainDuplicate, lastOfDuplicates, statementDuplicate } from './duplicate-keys.js';
import { literalRows } from './insert-literal-rows.js';
import { stringDefault } from '../catalog/default-literal.js';

/**
 * INSERT IGNORE and REPLACE that race another transaction's insert of their keys (a conflict,
 * or the duplicate they never answer) run again (`write-transaction.ts`).
 */
const RACED = [WRITE_CONFLICT, DUPLICATE_KEY];

export interface InsertOutcome {
  readonly affectedRows: number;
  readonly lastInsertId: number | bigint;
  /** The last AUTO_INCREMENT value written as given, not generated (0: none). */
  readonly lastGiven?: number | bigint;
  /** INSERT IGNORE: one warning per row skipped as a duplicate. */
  readonly warnings?: readonly Warning[];
  /**
   * ON DUPLICATE KEY UPDATE: existing rows met (the info's "Duplicates"), and the counts for a
   * client without CLIENT_FOUND_ROWS, where a row left as it was counts 0 and is no duplicate.
   */
  readonly duplicates?: number;
  readonly changed?: { readonly affectedRows: number; readonly duplicates: number };
  /** The rows written, whole, in the table's column order (for RETURNING). */
  readonly written?: readonly (readonly SqlValue[])[];
}

let roundRobin = 0;

export async function insertStatement(
  context: StatementContext,
  written: InsertStatement,
): Promise<ResultOk | ResultRows> {
  const table = context.services.catalog.requireTable(
    currentDatabase(context, written.table.database),
    written.table.name,
  );
  const statement = withoutRowAlias(
    written,
    table.columns.map((column) => column.name),
  );
  let columns = statement.columns ?? table.columns.map((column) => column.name);
  let rows: readonly (readonly SqlValue[])[];
  let defaults: readonly (readonly boolean[])[] = [];
  const source = statement.source;
  if (source.kind === 'query') {
    checkStoredQuery(context, source.query);
    checkFullGroupBy(context, source.query);
    const result = await executeQuery(context, source.query);
    if (result.columns.length !== columns.length) {
      throw sqlError('WRONG_VALUE_COUNT', "Column count doesn't match value count at row 1");
    }
    rows = result.rows.map((row) => [...row]);
  } else if (source.kind === 'rows') {
    const literal = literalRows(source.rows, columns, statement.columns !== undefined);
    ({ rows, defaults } = literal);
    if (literal.empty) columns = [];
  } else {
    const exprRows: readonly (readonly Expr[])[] =
      source.kind === 'values'
        ? source.rows
        : [source.assignments.map((assignment: Assignment) => assignment.value)];
    if (source.kind === 'set')
      columns = source.assignments.map((assignment) => assignment.column.column);
    exprRows.forEach((row, index) => {
      if (row.length !== columns.length && !(row.length === 0 && statement.columns === undefined)) {
        throw sqlError(
          'WRONG_VALUE_COUNT',
          `Column count doesn't match value count at row ${index + 1}`,
        );
      }
    });
    const flat = exprRows.flatMap((row) => row);
    const values = await evaluateConstants(context, flat, { store: !statement.ignore });
    const built: SqlValue[][] = [];
    const flags: boolean[][] = [];
    let offset = 0;
    for (const row of exprRows) {
      built.push(values.slice(offset, offset + row.length).map((value) => value ?? null));
      flags.push(row.map((expr) => expr.kind === 'default'));
      offset += row.length;
    }
    rows = built;
    defaults = flags;
    if (exprRows.some((row) => row.length === 0)) {
      columns = [];
      rows = rows.map(() => []);
      defaults = rows.map(() => []);
    }
  }
  const conflict: ConflictMode = statement.replace
    ? 'replace'
    : statement.ignore
      ? 'ignore'
      : 'error';
  if (statement.onDuplicateKeyUpdate !== undefined)
    rejectShardKeyUpsert(context, table, statement.onDuplicateKeyUpdate);
  // Checked before anything is written (1054 for an unknown column changes nothing).
  const returning =
    statement.returning === undefined
      ? undefined
      : boundReturning(
          context,
          translateReturning(
            context,
            table,
            statement.returning,
            statement.replace ? 'REPLACE' : 'INSERT',
          ),
        );
  const outcome =
    statement.onDuplicateKeyUpdate !== undefined && statement.onDuplicateKeyUpdate.length > 0
      ? await upsertRows(context, table, columns, rows, statement)
      : await insertRows(
          context,
          table,
          columns,
          rows,
          conflict,
          defaults,
          rows.length > 1 || source.kind === 'query',
        );
  if (outcome.lastInsertId !== 0) context.session.lastInsertId = outcome.lastInsertId;
  // The OK packet's id (mysql_insert_id()) is the first generated value, else the last one
  // written as given; LAST_INSERT_ID() only ever sees generated ones.
  const insertId = outcome.lastInsertId !== 0 ? outcome.lastInsertId : (outcome.lastGiven ?? 0);
  const warnings = outcome.warnings ?? [];
  if (warnings.length > 0) context.session.warnings = [...warnings];
  if (returning !== undefined) {
    const result = await returningRows(context, table, returning, outcome.written ?? []);
    return warnings.length > 0 ? { ...result, warnings: warnings.length } : result;
  }
  // MySQL describes multi-row VALUES and every INSERT … SELECT.
  const records = (duplicates: number): string | undefined =>
    rows.length > 1 || source.kind === 'query'
      ? `Records: ${rows.length}  Duplicates: ${duplicates}  Warnings: ${warnings.length}`
      : undefined;
  const info = records(outcome.duplicates ?? 0);
  const result = ok(outcome.affectedRows, {
    lastInsertId: insertId,
    ...(info !== undefined ? { info } : {}),
    ...(warnings.length > 0 ? { warnings: warnings.length } : {}),
  });
  if (outcome.changed === undefined) return result;
  const changedInfo = records(outcome.changed.duplicates);
  return {
    ...result,
    changed: {
      affectedRows: outcome.changed.affectedRows,
      ...(changedInfo !== undefined ? { info: changedInfo } : {}),
    },
  };
}

/** Resolves the statement's column list to the table's columns (1054, 1110). */
function columnIndexes(table: TableDef, columns: readonly string[]): number[] {
  const seen = new Set<number>();
  return columns.map((name) => {
    const index = table.columns.findIndex(
      (column) => column.name.toLowerCase() === name.toLowerCase(),
    );
    if (index < 0) throw sqlError('BAD_FIELD', `Unknown column '${name}' in 'field list'`);
    if (seen.has(index))
      throw sqlError('FIELD_SPECIFIED_TWICE', `Column '${name}' specified twice`);
    seen.add(index);
    return index;
  });
}

/** Completes and checks rows: defaults, AUTO_INCREMENT, type coercion. */
export function completeRows(
  context: StatementContext,
  table: TableDef,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
  defaults: readonly (readonly boolean[])[] = [],
  ignore = false,
  /** Rows of a multi-row statement (INSERT … SELECT too): a NULL for NOT NULL warns there. */
  several = rows.length > 1,
): {
  rows: SqlValue[][];
  firstGenerated: number | bigint;
  lastGiven: number | bigint;
  warnings: Warning[];
} {
  const indexes = columnIndexes(table, columns);
  // Without strict mode, or with IGNORE, values that do not fit are adjusted with a warning.
  const warnings: Warning[] = [];
  // Columns without a default are warned about once per statement, before the rows' warnings.
  const missing = new Map<string, Warning>();
  const lenient = ignore || !isStrictMode(context.session);
  const zeroDates = zeroDatesAllowed(context.session.variables.get('sql_mode'));
  const auto = table.columns.findIndex((column) => column.autoIncrement === true);
  const catalog = context.services.catalog;
  const width = table.columns.length;
  // For each table column, the position of its value in the statement's rows (-1: none).
  const positions = new Array<number>(width).fill(-1);
  indexes.forEach((columnIndex, position) => {
    positions[columnIndex] = position;
  });
  let firstGenerated: number | bigint = 0;
  let lastGiven: number | bigint = 0;
  const complete: SqlValue[][] = new Array<SqlValue[]>(rows.length);
  for (let rowIndex = 0; rowIndex < rows.length; rowIndex++) {
    const row = rows[rowIndex] as readonly SqlValue[];
    const rowDefaults = defaults[rowIndex];
    const out = new Array<SqlValue>(width);
    // The generated id is taken once the row's other values are accepted: a row refused for
    // one of them uses no id (MariaDB).
    let generate = false;
    for (let columnIndex = 0; columnIndex < width; columnIndex++) {
      const column = table.columns[columnIndex] as ColumnDef;
      const position = positions[columnIndex] as number;
      const given =
        position < 0 || rowDefaults?.[position] === true ? undefined : (row[position] ?? null);
      if (
        columnIndex === auto &&
        (given === undefined || given === null || given === 0 || given === '0')
      ) {
        generate = true;
        continue;
      }
      if (given === undefined) {
        out[columnIndex] = lenient
          ? lenientDefault(context, column, missing)
          : defaultValue(context, column);
        continue;
      }
      // NULL in a NOT NULL column of one of several rows (or with IGNORE): the implicit
      // default with 1048, as MariaDB without strict mode; a single row is refused.
      const fallback =
        given === null && !column.nullable && lenient && (several || ignore)
          ? implicitDefault(column, true)
          : undefined;
      if (fallback !== undefined) {
        warnings.push({
          level: 'Warning',
          code: 1048,
          message: `Column '${column.name}' cannot be null`,
        });
        out[columnIndex] = fallback;
        continue;
      }
      const warned = warnings.length;
      const value = lenient
        ? lenientValue({ value: given, column, table, row: rowIndex + 1, warnings, zeroDates })
        : coerceValue(given, column, rowIndex + 1, zeroDates);
      // A value adjusted to fit has its warning already; one rounded to the scale gets a Note.
      if (
        column.type === 'decimal' &&
        warnings.length === warned &&
        decimalDropsDigits(given, column)
      )
        warnings.push({
          level: 'Note',
          code: 1265,
          message: `Data truncated for column '${column.name}' at row ${rowIndex + 1}`,
        });
      if (columnIndex === auto && typeof value === 'number') {
        catalog.observeAutoIncrement(table.database, table.name, value);
        lastGiven = value;
      } else if (columnIndex === auto && typeof value === 'bigint') lastGiven = value;
      out[columnIndex] = value;
    }
    if (generate) {
      const id = catalog.reserveAutoIncrement(table.database, table.name, 1);
      if (firstGenerated === 0) firstGenerated = id;
      out[auto] = id;
    }
    complete[rowIndex] = out;
  }
  storeTimestamps(complete, table.columns, sessionZoneMinutes(context));
  return {
    rows: complete,
    firstGenerated,
    lastGiven,
    warnings: [...missing.values(), ...warnings],
  };
}

/** A missing value without strict mode: a column without DEFAULT takes its implicit one. */
function lenientDefault(
  context: StatementContext,
  column: ColumnDef,
  missing: Map<string, Warning>,
): SqlValue {
  const implicit =
    column.defaultSql === undefined && !column.nullable ? implicitDefault(column) : undefined;
  if (implicit === undefined) return defaultValue(context, column);
  // An ENUM's first member is its default: no warning.
  if (!/^enum\b/i.test(column.mysqlType))
    missing.set(column.name, {
      level: 'Warning',
      code: 1364,
      message: `Field '${column.name}' doesn't have a default value`,
    });
  return implicit;
}

function defaultValue(context: StatementContext, column: ColumnDef): SqlValue {
  const sql = column.defaultSql;
  if (sql === undefined) {
    if (column.nullable) return null;
    // A NOT NULL ENUM defaults to its first member, in every mode.
    if (/^enum\b/i.test(column.mysqlType)) return column.values?.[0] ?? '';
    throw sqlError('NO_DEFAULT', `Field '${column.name}' doesn't have a default value`);
  }
  const upper = sql.toUpperCase();
  if (/^(CURRENT_TIMESTAMP|NOW|LOCALTIME|LOCALTIMESTAMP)(\(\d*\))?$/.test(upper)) {
    // The session's local time: a TIMESTAMP column stores it in UTC (with the other values).
    const local = context.nowMs + sessionZoneMinutes(context) * 60_000;
    return coerceValue(formatTimestamp(local, true), column, 1);
  }
  const text = stringDefault(sql);
  if (text !== undefined)
    return coerceValue(
      text,
      column,
      1,
      zeroDatesAllowed(context.session.variables.get('sql_mode')),
    );
  if (upper === 'NULL') return column.nullable ? null : coerceValue(null, column, 1);
  if (upper === 'TRUE' || upper === 'FALSE') return upper === 'TRUE' ? 1 : 0;
  if (roundDecimal(sql, 0) !== undefined) return coerceValue(sql, column, 1);
  throw sqlError(
    'NOT_SUPPORTED',
    `The default expression ${sql} of column '${column.name}' is not supported`,
  );
}

/** Groups complete rows by the partition they belong to. */
export function routeRows(
  context: StatementContext,
  table: TableDef,
  rows: readonly SqlValue[][],
): Map<PartitionTarget, SqlValue[][]> {
  const { cluster, catalog } = context.services;
  const database = catalog.requireDatabase(table.database);
  const groups = new Map<PartitionTarget, SqlValue[][]>();
  if (table.reference) {
    for (const target of cluster.referencePartitions(database)) groups.set(target, [...rows]);
    return groups;
  }
  const targets = cluster.partitions(database);
  const keyIndexes = table.shardKey.map((name) =>
    table.columns.findIndex((column) => column.name === name),
  );
  const keyColumns = keyIndexes.map((index) => table.columns[index] as ColumnDef);
  // One array for every row's key values: routing allocates nothing per row.
  const key = new Array<SqlValue>(keyIndexes.length);
  const byOrdinal = new Array<SqlValue[][] | undefined>(targets.length);
  for (const row of rows) {
    let ordinal: number;
    if (keyIndexes.length === 0) {
      roundRobin = (roundRobin + 1) % targets.length;
      ordinal = roundRobin;
    } else {
      for (let part = 0; part < keyIndexes.length; part++)
        key[part] = row[keyIndexes[part] as number] ?? null;
      ordinal = partitionFor(key, keyColumns, database.partitions);
    }
    let group = byOrdinal[ordinal];
    if (group === undefined) {
      group = [];
      byOrdinal[ordinal] = group;
      groups.set(targets[ordinal] as PartitionTarget, group);
    }
    group.push(row);
  }
  return groups;
}

export async function insertRows(
  context: StatementContext,
  table: TableDef,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
  conflict: ConflictMode,
  defaults: readonly (readonly boolean[])[] = [],
  several = rows.length > 1,
): Promise<InsertOutcome> {
  const completed = completeRows(
    context,
    table,
    columns,
    rows,
    defaults,
    conflict === 'ignore',
    several,
  );
  const hasKeys = table.primaryKey.length > 0 || table.keys.some((key) => key.unique);
  if (conflict === 'error') {
    const repeated = statementDuplicate(table, completed.rows);
    if (repeated !== undefined) throw repeated;
  }
  // SQLite replaces row after row itself; DuckDB's REPLACE takes rows that never collide.
  const replacing =
    conflict === 'replace' && table.storage === 'column'
      ? lastOfDuplicates(table, completed.rows)
      : undefined;
  const ignored =
    conflict === 'ignore'
      ? await dropDuplicateKeys(context, table, completed.rows, (fresh) =>
          routeRows(context, table, fresh),
        )
      : undefined;
  const groups = routeRows(context, table, ignored?.kept ?? replacing?.rows ?? completed.rows);
  const names = table.columns.map((column) => column.name);
  const { cluster } = context.services;
  // A partition's rows go in slices (one request could outgrow the leaf protocol's frames),
  // one after another in the statement's transaction: several slices make it a transaction.
  const sliced = [...groups.entries()].map(
    ([target, group]) => [target, rowSlices(group)] as const,
  );
  const requests = sliced.reduce((sum, [, slices]) => sum + slices.length, 0);
  const written = inWriteTransaction(
    context,
    requests,
    async (transaction) => {
      const counts = await allParts(
        sliced.map(async ([target, slices]) => {
          transaction?.touch(target.leaf, target.partition, table.storage, true);
          const api = await cluster.pool.get(target.leaf);
          let affected = 0;
          for (const rows of slices) {
            const result = await api.insert({
              partition: target.partition,
              engine: table.storage,
              table: table.name,
              columns: names,
              rows,
              // A table without keys has no duplicates to skip or replace (DuckDB refuses the
              // conflict clause there).
              onConflict: hasKeys ? conflict : 'error',
              ...(transaction !== undefined ? { txn: transaction.id } : {}),
            });
            affected += result.affectedRows;
          }
          return affected;
        }),
      );
      // A reference table's rows are written to every leaf but count once.
      const total = counts.reduce((sum, count) => sum + count, 0);
      return table.reference ? Math.round(total / Math.max(1, groups.size)) : total;
    },
    { retryOn: conflict === 'error' ? [] : RACED },
  );
  const affected = await written.catch((error: unknown) => {
    throw explainDuplicate(error, table, { rows: completed.rows });
  });
  return {
    written: ignored?.kept ?? completed.rows,
    // A row a later row of a REPLACE replaced was inserted and deleted: two rows.
    affectedRows: affected + 2 * (replacing?.replaced ?? 0),
    lastInsertId: completed.firstGenerated,
    lastGiven: completed.lastGiven,
    ...(ignored !== undefined ? { duplicates: ignored.warnings.length } : {}),
    // REPLACE: each row that replaced one counts twice (MariaDB's "Duplicates"); a rowstore
    // leaf counts the rows it deleted in its affected rows.
    ...(replacing !== undefined
      ? { duplicates: affected + 2 * replacing.replaced - completed.rows.length }
      : conflict === 'replace' && hasKeys
        ? { duplicates: affected - completed.rows.length }
        : {}),
    ...(completed.warnings.length > 0 || (ignored?.warnings.length ?? 0) > 0
      ? { warnings: [...completed.warnings, ...(ignored?.warnings ?? [])] }
      : {}),
  };
}

/** INSERT ... ON DUPLICATE KEY UPDATE: one engine upsert per row on its partition. */
async function upsertRows(
  context: StatementContext,
  table: TableDef,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
  statement: InsertStatement,
): Promise<InsertOutcome> {
  const keyColumns =
    table.primaryKey.length > 0
      ? table.primaryKey
      : (table.keys.find((key) => key.unique)?.columns ?? []);
  if (keyColumns.length === 0) return insertRows(context, table, columns, rows, 'error');
  const completed = completeRows(context, table, columns, rows);
  const groups = routeRows(context, table, completed.rows);
  const { sql, params } = upsertStatement(context, statement, table, keyColumns);
  const keys = mergeKeys(table)?.keys ?? [keyColumns];
  const extra = params.map((index) => context.params[index] ?? null);
  // RETURNING: each row as the upsert left it, by the completed row it came from.
  const left = new Map<readonly SqlValue[], readonly SqlValue[]>();
  const returned =
    statement.returning === undefined
      ? undefined
      : (row: readonly SqlValue[]) => (now: readonly SqlValue[]) => left.set(row, now);
  const upserted = inWriteTransaction(context, completed.rows.length, async (transaction) => {
    let found = 0;
    let changed = 0;
    let duplicates = 0;
    let updated = 0;
    for (const [target, group] of groups) {
      for (const row of group) {
        const params = [...row, ...extra];
        const count = await upsertRow(context, {
          target,
          table,
          keys,
          sql,
          params,
          row,
          transaction,
          ...(returned !== undefined ? { returned: returned(row) } : {}),
        });
        found += count === 0 ? 1 : count;
        changed += count;
        if (count !== 1) duplicates += 1;
        if (count === 2) updated += 1;
      }
    }
    const copies = table.reference ? Math.max(1, groups.size) : 1;
    return {
      found: Math.round(found / copies),
      changed: Math.round(changed / copies),
      duplicates: Math.round(duplicates / copies),
      updated: Math.round(updated / copies),
    };
  });
  const counts = await upserted.catch((error: unknown) => {
    throw explainDuplicate(error, table, { rows: completed.rows });
  });
  return {
    affectedRows: counts.found,
    duplicates: counts.duplicates,
    lastInsertId: completed.firstGenerated,
    lastGiven: completed.lastGiven,
    changed: { affectedRows: counts.changed, duplicates: counts.updated },
    ...(completed.warnings.length > 0 ? { warnings: completed.warnings } : {}),
    ...(returned !== undefined
      ? { written: completed.rows.map((row) => left.get(row) ?? row) }
      : {}),
  };
}
