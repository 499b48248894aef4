/**
 * One statement, routed to its handler by kind, with the privilege it needs checked first.
 */
import { notPreparable } from './sql-prepared.js';
import type { Statement, UpdateStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { QueryResult } from '../protocol/backend.js';
import { setNames } from './session-charset.js';
import { collectTableUses } from '../planner/tables.js';
import {
  alterUser,
  checkPrivilege,
  createUser,
  hasPrivilege,
  dropUser,
  grant,
  revoke,
  setPassword,
  type Privilege,
} from './accounts.js';
import type { StatementContext } from './context.js';
import { evaluateConstants } from './constants.js';
import { raiseConstantQueryWarnings } from './warnings-statement.js';
import { alterTable } from './ddl-alter.js';
import { createDatabase, dropDatabase } from './ddl-database.js';
import { createIndex, createTable, dropIndex, truncateTable } from './ddl-table.js';
import { createTemporaryTable, dropTables, renameTablesOrTemporary } from './ddl-temporary.js';
import { explain } from './explain.js';
import { insertStatement } from './insert.js';
import { addLeaf, removeLeaf } from './leaves.js';
import { loadData } from './load-data.js';
import { ok, textRows } from './results.js';
import { executePlan, executeQuery } from './select.js';
import { checkFullGroupBy } from './full-group-by.js';
import { cachedQueryPlan } from './cached-query.js';
import { withImplicitOrder } from './compat-key-order.js';
import { currentKey, isCurrent, slotFor } from './plan-cache.js';
import {
  begin,
  commit,
  kill,
  rollback,
  setTransaction,
  setVariables,
  useDatabase,
} from './session-statements.js';
import { describe, show } from './show.js';
import { releaseSavepoint, savepoint } from './savepoints.js';
import { deleteStatement, updateStatement } from './update-delete.js';
import {
  checkViewPrivileges,
  createTableOverView,
  createView,
  dropView,
  rejectViewAlter,
  rejectViewWrite,
} from './ddl-view.js';
import { expandViews } from './view-expand.js';
import { performServerCalls } from './server-calls.js';
import { sequentialAssignments, upsertInOrder } from './sequential-assignments.js';
import { selectIntoVariables } from './select-into.js';
import { hasSelectAssignments, selectWithAssignments } from './select-assign.js';
import { viewTargets } from './view-show.js';

/** Statements that read or write table data and so run inside the session's transaction. */
export const DATA_STATEMENTS: ReadonlySet<string> = new Set([
  'select',
  'setOperation',
  'with',
  'insert',
  'update',
  'delete',
  'loadData',
]);

/** Each table the statement reads or writes, named by a 1142 when its database is refused. */
function checkTables(context: StatementContext, statement: Statement, privilege: Privilege): void {
  for (const use of collectTableUses(statement)) {
    const database = use.ref.database ?? context.session.database;
    if (database !== undefined)
      checkPrivilege(context, database, privilege, { name: use.ref.name });
  }
}

/**
 * The statement's one table (its database, or the session's), named by a 1142 that lists the
 * privileges missing of those it needs (REPLACE: "INSERT, DELETE", or the one missing).
 */
function checkTable(
  context: StatementContext,
  table: { readonly database?: string | undefined; readonly name: string },
  ...privileges: Privilege[]
): void {
  const database = table.database ?? context.session.database;
  if (database === undefined) return;
  const missing = privileges.filter((privilege) => !hasPrivilege(context, database, privilege));
  const [first] = missing;
  if (first !== undefined)
    checkPrivilege(context, database, first, { name: table.name, named: missing.join(', ') });
}

function checkDatabase(
  context: StatementContext,
  database: string | undefined,
  privilege: Privilege,
): void {
  const name = database ?? context.session.database;
  if (name !== undefined) checkPrivilege(context, name, privilege);
}

export async function dispatch(given: StatementContext, written: Statement): Promise<QueryResult> {
  const statement = await performServerCalls(given, written, given.session.currentSql ?? '');
  // Answers written into the statement are this execution's own: its plan is not kept.
  const context = lockingReads(statement === written ? given : withoutPlans(given), statement);
  switch (statement.kind) {
    case 'select':
    case 'setOperation':
    case 'with': {
      if (statement.kind === 'select' && hasSelectAssignments(statement))
        return selectWithAssignments(context, statement, (query) => dispatch(context, query));
      if (statement.kind === 'select' && statement.into !== undefined) {
        checkTables(context, statement, 'SELECT');
        return selectIntoVariables(context, statement);
      }
      // A query without ORDER BY is ordered as MariaDB answers it: by its GROUP BY keys, or
      // by the primary key of the one table it reads.
      const query = withImplicitOrder(context, statement);
      const slot = slotFor(context, query);
      if (slot === undefined) checkTables(context, query, 'SELECT');
      else if (!isCurrent(slot.privileges, context)) {
        checkTables(context, query, 'SELECT');
        slot.privileges = currentKey(context);
      }
      const cached = cachedQueryPlan(context, query);
      if (cached === undefined) checkFullGroupBy(context, query);
      const result =
        cached === undefined
          ? await executeQuery(context, expandViews(context, query))
          : await executePlan(context, cached);
      // A query of constants warns as MariaDB evaluating it would (`SELECT 1/0`).
      raiseConstantQueryWarnings(context, query);
      return result;
    }
    case 'insert':
      if (statement.replace === true) checkTable(context, statement.table, 'INSERT', 'DELETE');
      else checkTable(context, statement.table, 'INSERT');
      rejectViewWrite(context, statement.table, 'INSERT');
      return insertStatement(context, upsertInOrder(statement));
    case 'update':
      checkTables(context, statement, 'UPDATE');
      for (const target of viewTargets(statement.tables))
        rejectViewWrite(context, target, 'UPDATE');
      return updateStatement(context, updateInOrder(statement));
    case 'delete':
      checkTables(context, statement, 'DELETE');
      for (const target of viewTargets(statement.targets ?? statement.from))
        rejectViewWrite(context, target, 'DELETE');
      return deleteStatement(context, statement);
    case 'loadData':
      checkTable(context, statement.table, 'INSERT');
      rejectViewWrite(context, statement.table, 'LOAD');
      return loadData(context, statement);
    case 'createDatabase':
      checkPrivilege(context, statement.name, 'CREATE');
      return createDatabase(context, statement);
    case 'dropDatabase':
      checkPrivilege(context, statement.name, 'DROP');
      return dropDatabase(context, statement);
    case 'createTable':
      if (statement.temporary === true) {
        checkDatabase(context, statement.database, 'CREATE TEMPORARY TABLES');
        return createTemporaryTable(context, statement);
      }
      checkTable(context, statement, 'CREATE');
      return createTableOverView(context, statement) ?? createTable(context, statement);
    case 'dropTable':
      // DROP TEMPORARY TABLE reaches only the session's own tables: no privilege is needed.
      if (!statement.temporary)
        for (const table of statement.tables) checkTable(context, table, 'DROP');
      return dropTables(context, statement);
    case 'truncateTable':
      checkTable(context, statement.table, 'DROP');
      return truncateTable(context, statement);
    case 'alterTable':
      checkTable(context, statement.table, 'ALTER');
      rejectViewAlter(context, statement.table);
      return alterTable(context, statement);
    case 'createIndex':
      checkTable(context, statement.table, 'INDEX');
      return createIndex(context, statement);
    case 'dropIndex':
      checkTable(context, statement.table, 'INDEX');
      return dropIndex(context, statement);
    case 'renameTable':
      for (const rename of statement.renames) checkTable(context, rename.from, 'DROP', 'ALTER');
      return renameTablesOrTemporary(context, statement);
    case 'use':
      return useDatabase(context, statement);
    case 'set':
      return setVariables(context, statement);
    case 'setNames':
    case 'setCharset':
      setNames(context.session.variables, statement.charset);
      return ok(0);
    case 'setTransaction':
      return setTransaction(context, statement);
    case 'setPassword':
      return setPassword(context, statement);
    case 'begin':
      return begin(context, statement);
    case 'commit':
      return commit(context);
    case 'rollback':
      return rollback(context, statement);
    case 'savepoint':
      return savepoint(context, statement);
    case 'releaseSavepoint':
      return releaseSavepoint(context, statement);
    case 'show':
      return show(context, statement);
    case 'describe':
      checkTable(context, statement.table, 'SELECT');
      return describe(context, statement);
    case 'explain':
      return explain(context, statement);
    case 'kill':
      return kill(context, statement);
    case 'createUser':
      return createUser(context, statement);
    case 'dropUser':
      return dropUser(context, statement);
    case 'alterUser':
      return alterUser(context, statement);
    case 'grant':
      return grant(context, statement);
    case 'revoke':
      return revoke(context, statement);
    case 'addLeaf':
      return addLeaf(context, statement);
    case 'removeLeaf':
      return removeLeaf(context, statement);
    case 'do':
      await evaluateConstants(context, statement.exprs);
      return ok(0);
    case 'prepare':
    case 'execute':
    case 'deallocatePrepare':
      // The session runs them (sql-prepared.ts); here only from inside a prepared statement.
      throw notPreparable();
    case 'flush':
    case 'lockTables':
    case 'unlockTables':
      // Accepted for mysqldump and migration tools; table locks are not needed because
      // transactions isolate writers (documented in the data plane's ARCHITECTURE).
      return ok(0);
    case 'analyzeTable':
    case 'optimizeTable':
    case 'checkTable':
    case 'repairTable':
      return textRows(
        ['Table', 'Op', 'Msg_type', 'Msg_text'],
        statement.tables.map((table) => [
          `${table.database ?? context.session.database ?? ''}.${table.name}`,
          statement.kind.replace('Table', ''),
          'status',
          'OK',
        ]),
      );
    case 'createView':
      checkViewPrivileges(context, statement);
      return createView(context, statement);
    case 'dropView':
      for (const view of statement.views) checkTable(context, view, 'DROP');
      return dropView(context, statement);
    case 'rebalancePartitions':
      throw sqlError(
        'NOT_SUPPORTED',
        `${statement.kind.replace(/([A-Z])/g, ' $1').toUpperCase()} is not supported yet`,
      );
  }
}

function withoutPlans(context: StatementContext): StatementContext {
  const { plans: _plans, ...rest } = context;
  return rest;
}

/** A single-table UPDATE assigning left to right (MySQL leaves a multi-table one's order open). */
function updateInOrder(statement: UpdateStatement): UpdateStatement {
  const [only] = statement.tables;
  if (statement.tables.length !== 1 || only?.kind !== 'table') return statement;
  const names = new Set([only.name.toLowerCase(), (only.alias ?? only.name).toLowerCase()]);
  const ordered = sequentialAssignments(statement.set, names);
  return ordered === statement.set ? statement : { ...statement, set: ordered };
}

/**
 * A SELECT … FOR UPDATE (or FOR SHARE) in a transaction locks what it reads until the
 * transaction ends, as InnoDB does: here each partition it reads, by the partition's write lock.
 */
function lockingReads(context: StatementContext, statement: Statement): StatementContext {
  if (statement.kind !== 'select' || statement.lock === undefined) return context;
  return context.transaction === undefined ? context : { ...context, lockReads: true };
}
