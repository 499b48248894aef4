/**
 * The short path of an autocommit single-row INSERT … ON DUPLICATE KEY UPDATE whose statement
 * is kept between executions (a prepared statement, or a repeated text): the checks `dispatch`
 * and `insertStatement` make, then the upsert as one write of the next group commit of a
 * rowstore partition file on this host (`local-writes.ts`) — without the statement machinery
 * a leaf request needs (abort controller, interrupt scope, implicit transaction, the promise
 * turns of the general path). It is the write-side counterpart of `point-read.ts`.
 *
 * It covers the common form only: VALUES of one row of literals and parameters, no IGNORE,
 * RETURNING, row alias or LAST_INSERT_ID(expr), a rowstore table that is not a reference table
 * and has no AUTO_INCREMENT or expression default, no warning. Anything else, any error, and a
 * write the partition file does not take (`LocalWrites` answers undefined, having written
 * nothing) answer undefined: the statement then runs as usual, which also reports any error
 * in its usual form.
 */
import type { InsertStatement, Statement } from '../parser/ast.js';
import type { ResultOk } from '../protocol/backend.js';
import type { SqlValue } from '../values.js';
import { checkPrivilege } from './accounts.js';
import { simpleValue } from './constants.js';
import { currentDatabase, type StatementContext } from './context.js';
import { rejectViewWrite } from './ddl-view.js';
import { hasExpressionDefaults } from './expression-defaults.js';
import { completeRows } from './insert-complete.js';
import { routeRows } from './insert-route.js';
import { upsertKey } from './insert-upsert.js';
import { LAST_INSERT_ID_CALL, settingAssignments } from './last-insert-id.js';
import { refuseReadOnlyWrite } from './read-only.js';
import { movesRunning } from './rebalance.js';
import { ok } from './results.js';
import { upsertInOrder } from './sequential-assignments.js';
import { SERVER_CALLS } from './server-calls.js';
import { resolveTemporaryNames } from './temporary-names.js';
import { rejectShardKeyUpsert } from './upsert-shard-key.js';
import { mergeKeys, upsertStatement } from './upsert-statement.js';
import { countedUpsert, upsertRequests, type UpsertRow } from './upsert-row.js';

/**
 * The upsert's answer once its group is committed, or undefined (at once, or through the
 * promise): run the statement as usual.
 */
export function upsertNow(
  context: StatementContext,
  written: Statement,
  text: string,
): Promise<ResultOk | undefined> | undefined {
  const localWrites = context.services.cluster.localWrites;
  if (written.kind !== 'insert' || !isShortForm(written)) return undefined;
  if (context.transaction !== undefined || context.plans === undefined) return undefined;
  if (localWrites === undefined || movesRunning(context.services.cluster)) return undefined;
  if (SERVER_CALLS.test(text) || LAST_INSERT_ID_CALL.test(text)) return undefined;
  try {
    const upsert = prepared(context, written, text);
    if (upsert === undefined) return undefined;
    const pending = localWrites.exec(
      upsert.target,
      { engine: 'row', transaction: undefined },
      upsertRequests(context, upsert),
    );
    return pending?.then((results) => {
      if (results === undefined) return undefined;
      localWrites.upserts += 1;
      // One row, no AUTO_INCREMENT: as `upsertRows` counts it, with a 0 id.
      const count = countedUpsert(upsert, results[0], results[1]);
      return { ...ok(count === 0 ? 1 : count), changed: { affectedRows: count } };
    });
  } catch {
    return undefined;
  }
}

function isShortForm(statement: InsertStatement): boolean {
  return (
    statement.onDuplicateKeyUpdate !== undefined &&
    statement.onDuplicateKeyUpdate.length > 0 &&
    statement.replace !== true &&
    statement.ignore !== true &&
    statement.returning === undefined &&
    statement.rowAlias === undefined &&
    statement.source.kind === 'values' &&
    statement.source.rows.length === 1
  );
}

/** The checks of the usual path, and the upsert of the one completed row (undefined: not here). */
function prepared(
  context: StatementContext,
  written: InsertStatement,
  text: string,
): UpsertRow | undefined {
  if (resolveTemporaryNames(context, written, text) !== written) return undefined;
  const database = written.table.database ?? context.session.database;
  if (database !== undefined) checkPrivilege(context, database, 'INSERT', written.table);
  rejectViewWrite(context, written.table, 'INSERT');
  refuseReadOnlyWrite(context.session, written);
  const statement = upsertInOrder(written);
  const set = statement.onDuplicateKeyUpdate ?? [];
  const table = context.services.catalog.requireTable(
    currentDatabase(context, statement.table.database),
    statement.table.name,
  );
  if (table.storage !== 'row' || table.reference || hasExpressionDefaults(table)) return undefined;
  if (table.columns.some((column) => column.autoIncrement === true)) return undefined;
  const keyColumns = upsertKey(table);
  if (keyColumns.length === 0 || settingAssignments(set).setting !== undefined) return undefined;
  const source = statement.source;
  const exprs = source.kind === 'values' ? (source.rows[0] ?? []) : [];
  const values: SqlValue[] = [];
  for (const expr of exprs) {
    const value = expr.kind === 'default' ? undefined : simpleValue(expr, context.params);
    if (value === undefined) return undefined;
    values.push(value);
  }
  const columns = statement.columns ?? table.columns.map((column) => column.name);
  if (values.length !== columns.length) return undefined;
  rejectShardKeyUpsert(context, table, set);
  const completed = completeRows(context, table, columns, [values], [], false, false);
  if (completed.warnings.length > 0) return undefined;
  const upsert = upsertStatement(context, statement, table, keyColumns);
  if (upsert.rowWarnings.length > 0) return undefined;
  const [routed, ...others] = routeRows(context, table, completed.rows);
  const row = routed?.[1][0];
  if (routed === undefined || row === undefined || others.length > 0) return undefined;
  return {
    target: routed[0],
    table,
    keys: mergeKeys(table)?.keys ?? [keyColumns],
    sql: upsert.sql,
    params: [...row, ...upsert.params.map((index) => context.params[index] ?? null)],
    row,
    transaction: undefined,
  };
}
