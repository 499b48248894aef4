/**
 * INSERT, REPLACE, INSERT ... SELECT and INSERT ... ON DUPLICATE KEY UPDATE. Rows are completed
 * on the aggregator (defaults, AUTO_INCREMENT, type checks with MySQL's strict rules), routed to
 * partitions by the hash of their shard key (keyless tables: spread round-robin; reference
 * tables: every leaf), and sent as bulk rows in the binary row format.
 */
import { lockWaitOf } from './lock-wait.js';
import { expectRows } from './auto-increment-reservation.js';
import { withoutRowAlias } from './insert-row-alias.js';
import { rejectShardKeyUpsert } from './upsert-shard-key.js';
import type { Assignment, InsertStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { TableDef } from '../catalog/types.js';
import type { ConflictMode } from '../leaf/api.js';
import type { ResultOk, ResultRows } from '../protocol/backend.js';
import { boundReturning, returningRows, translateReturning } from './insert-returning.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { currentDatabase, type Warning } from './context.js';
import { evaluateConstants } from './constants.js';
import { hexRowsForColumns } from './hex-values.js';
import { checkStoredQuery, failedAfter } from './warnings-statement.js';
import { ok } from './results.js';
import { executeQuery } from './select.js';
import { checkFullGroupBy } from './full-group-by.js';
import { rowSlices } from './insert-slices.js';
import { inWriteTransaction } from './write-transaction.js';
import { DUPLICATE_KEY, WRITE_CONFLICT } from '../storage/conflict-retry.js';
import { allParts } from './fan-out.js';
import { withExpressionDefaults } from './expression-defaults.js';
import { completeRows } from './insert-complete.js';
import { routeRows } from './insert-route.js';
import { upsertKey, upsertRows } from './insert-upsert.js';
import { dropDuplicateKeys } from './insert-ignore.js';
import { refusedByChecks } from './check-ignore.js';
import { explainDuplicate, lastOfDuplicates, statementDuplicate } from './duplicate-keys.js';
import { literalRows } from './insert-literal-rows.js';

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
  /** INSERT IGNORE: rows skipped for a CHECK they break, which MariaDB leaves out of "Records". */
  readonly refused?: number;
  /** The rows written, whole, in the table's column order (for RETURNING). */
  readonly written?: readonly (readonly SqlValue[])[];
}

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
    if (source.kind === 'set')
      columns = source.assignments.map((assignment) => assignment.column.column);
    const exprRows = hexRowsForColumns(
      source.kind === 'values'
        ? source.rows
        : [source.assignments.map((assignment: Assignment) => assignment.value)],
      columns,
      table.columns,
    );
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
  expectRows(context, source.kind === 'query' ? 0 : rows.length);
  const outcome =
    statement.onDuplicateKeyUpdate !== undefined &&
    statement.onDuplicateKeyUpdate.length > 0 &&
    upsertKey(table).length > 0
      ? await upsertRows(
          context,
          table,
          columns,
          rows,
          statement,
          defaults,
          rows.length > 1 || source.kind === 'query',
        )
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
      ? `Records: ${rows.length - (outcome.refused ?? 0)}  Duplicates: ${duplicates}  Warnings: ${warnings.length}`
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

export async function insertRows(
  context: StatementContext,
  table: TableDef,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
  conflict: ConflictMode,
  defaults: readonly (readonly boolean[])[] = [],
  several = rows.length > 1,
  keepsZeroDates = false,
): Promise<InsertOutcome> {
  const filled = await withExpressionDefaults(context, table, { columns, rows, defaults });
  const completed = completeRows(
    context,
    table,
    filled.columns,
    filled.rows,
    filled.defaults,
    conflict === 'ignore',
    several,
    keepsZeroDates,
  );
  const hasKeys = table.primaryKey.length > 0 || table.keys.some((key) => key.unique);
  if (conflict === 'error') {
    const repeated = statementDuplicate(table, completed.rows);
    if (repeated !== undefined) throw failedAfter(context, completed.warnings, repeated);
  }
  // SQLite replaces row after row itself; DuckDB's REPLACE takes rows that never collide.
  const replacing =
    conflict === 'replace' && table.storage === 'column'
      ? lastOfDuplicates(table, completed.rows)
      : undefined;
  const ignored =
    conflict === 'ignore'
      ? await dropDuplicateKeys(
          context,
          table,
          completed.rows,
          (fresh) => routeRows(context, table, fresh),
          await refusedByChecks(context, table, completed.rows, several),
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
          let affected = 0;
          for (const rows of slices) {
            const request = {
              table: table.name,
              columns: names,
              rows,
              // A table without keys has no duplicates to skip or replace (DuckDB refuses the
              // conflict clause there).
              onConflict: hasKeys ? conflict : 'error',
            } as const;
            const local = await cluster.localWrites?.insert(
              target,
              { engine: table.storage, transaction },
              request,
            );
            if (local !== undefined) {
              affected += local;
              continue;
            }
            const api = await cluster.pool.get(target.leaf);
            const result = await api.insert(
              {
                ...request,
                partition: target.partition,
                engine: table.storage,
                ...(transaction !== undefined ? { txn: transaction.id } : {}),
                ...lockWaitOf(context.session),
              },
              context.signal,
            );
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
    throw failedAfter(
      context,
      completed.warnings,
      explainDuplicate(error, table, { rows: completed.rows }),
    );
  });
  return {
    written: ignored?.kept ?? completed.rows,
    // A row a later row of a REPLACE replaced was inserted and deleted: two rows.
    affectedRows: affected + 2 * (replacing?.replaced ?? 0),
    lastInsertId: completed.firstGenerated,
    lastGiven: keptGiven(completed.lastGiven, ignored?.kept),
    ...(ignored !== undefined ? { duplicates: ignored.duplicates, refused: ignored.refused } : {}),
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

/**
 * The last AUTO_INCREMENT value given, as the OK packet's id: 0 when INSERT IGNORE kept no row
 * (MariaDB; when it kept some, the last given value stands, even of a row it skipped).
 */
function keptGiven(
  given: number | bigint,
  kept: readonly (readonly SqlValue[])[] | undefined,
): number | bigint {
  return kept !== undefined && kept.length === 0 ? 0 : given;
}
