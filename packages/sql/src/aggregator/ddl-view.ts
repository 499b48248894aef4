/**
 * View DDL: CREATE [OR REPLACE] / ALTER / DROP VIEW, and the rules that keep tables and views
 * in one namespace. A view is only catalog data (no partition holds anything), so each
 * statement is one catalog write: all or nothing, durable when it returns. Errors follow
 * MariaDB 10.11 (checked against a real server; see test/aggregator/views-errors.test.ts).
 */
import type {
  CreateTableStatement,
  CreateViewStatement,
  DropTableStatement,
  DropViewStatement,
  TableName,
} from '../parser/ast.js';
import { formatQuery } from '../parser/index.js';
import { sqlError, type SqlError } from '../errors.js';
import { checkIdentifier } from '../catalog/table-definition.js';
import type { ViewDef } from '../catalog/types.js';
import { collectTableUses } from '../planner/tables.js';
import type { ResultOk } from '../protocol/backend.js';
import { checkPrivilege, hasPrivilege } from './accounts.js';
import { currentDatabase, type StatementContext } from './context.js';
import { ok, okWithNotes } from './results.js';
import { planQuery } from './select.js';
import { checkFullGroupBy } from './full-group-by.js';
import { dropTable } from './ddl-table.js';
import { expandDefinition } from './view-expand.js';

/** CREATE VIEW needs CREATE VIEW (or CREATE) on its database, DROP too when it replaces one. */
export function checkViewPrivileges(context: StatementContext, stmt: CreateViewStatement): void {
  const database = currentDatabase(context, stmt.view.database);
  const view = { name: stmt.view.name };
  if (!hasPrivilege(context, database, 'CREATE'))
    checkPrivilege(context, database, 'CREATE VIEW', view);
  if (stmt.orReplace || stmt.alter === true) checkPrivilege(context, database, 'DROP', view);
  // Creating a view reads its tables, as MySQL requires SELECT on them.
  for (const use of collectTableUses(stmt.query)) {
    const read = use.ref.database ?? context.session.database;
    // MariaDB's text names no privilege here: "ANY command denied".
    if (read !== undefined)
      checkPrivilege(context, read, 'SELECT', { name: use.ref.name, named: 'ANY' });
  }
}

export function createView(context: StatementContext, stmt: CreateViewStatement): ResultOk {
  const { catalog } = context.services;
  const database = catalog.requireDatabase(currentDatabase(context, stmt.view.database)).name;
  const name = stmt.view.name;
  checkIdentifier(name, 'table');
  const existing = catalog.view(database, name);
  if (catalog.table(database, name) !== undefined) {
    if (stmt.orReplace || stmt.alter === true) throw notView(database, name, 'VIEW');
    if (stmt.ifNotExists === true)
      return okWithNotes(context, [{ code: 'TABLE_EXISTS', message: tableExists(name) }]);
    throw sqlError('TABLE_EXISTS', tableExists(name));
  }
  if (stmt.alter === true && existing === undefined)
    throw sqlError('NO_SUCH_TABLE', `Table '${database}.${name}' doesn't exist`);
  if (existing !== undefined && stmt.alter !== true && !stmt.orReplace) {
    if (stmt.ifNotExists === true)
      return okWithNotes(context, [{ code: 'TABLE_EXISTS', message: tableExists(name) }]);
    throw sqlError('TABLE_EXISTS', tableExists(name));
  }
  const view = definition(context, stmt, { database, existing });
  validate(context, view);
  catalog.putView(view);
  return ok(0);
}

function definition(
  context: StatementContext,
  stmt: CreateViewStatement,
  target: { readonly database: string; readonly existing: ViewDef | undefined },
): ViewDef {
  const { session } = context;
  // ALTER VIEW keeps the clauses it does not repeat (MariaDB does the same).
  const kept = stmt.alter === true ? target.existing : undefined;
  const unqualified = collectTableUses(stmt.query).some((use) => use.ref.database === undefined);
  if (unqualified && session.database === undefined)
    throw sqlError('NO_DB', 'No database selected');
  const definer =
    stmt.definer === undefined || stmt.definer.current === true
      ? (kept?.definer ?? { user: session.user, host: session.host })
      : { user: stmt.definer.user, host: stmt.definer.host };
  return {
    database: target.database,
    name: stmt.view.name,
    definition: stmt.text ?? formatQuery(stmt.query),
    ...(stmt.columns === undefined ? {} : { columns: stmt.columns }),
    resolveDatabase: session.database ?? target.database,
    algorithm: stmt.algorithm ?? kept?.algorithm ?? 'UNDEFINED',
    definer,
    security: stmt.security ?? kept?.security ?? 'DEFINER',
    checkOption: stmt.checkOption ?? 'NONE',
    characterSetClient: String(session.variables.get('character_set_client') ?? 'utf8mb4'),
    collationConnection: String(
      session.variables.get('collation_connection') ?? 'utf8mb4_general_ci',
    ),
    createdAtMs: context.nowMs,
  };
}

/** The body must plan (1146/1054), name each column once (1060), and match the list (1353). */
function validate(context: StatementContext, view: ViewDef): void {
  const { plans: _plans, ...plain } = context;
  const query = expandDefinition(plain, view);
  checkFullGroupBy(plain, query);
  const columns = planQuery(plain, query).translated.columns;
  if (view.columns !== undefined && view.columns.length !== columns.length)
    throw sqlError(
      'VIEW_WRONG_LIST',
      "View's SELECT and view's field list have different column counts",
    );
  const names = new Set<string>();
  for (const column of view.columns ?? columns.map((meta) => meta.name)) {
    const folded = column.toLowerCase();
    if (names.has(folded)) throw sqlError('DUP_FIELDNAME', `Duplicate column name '${column}'`);
    names.add(folded);
  }
}

/** DROP VIEW: every named view goes in one catalog write; missing ones fail the whole statement. */
export function dropView(context: StatementContext, stmt: DropViewStatement): ResultOk {
  const { catalog } = context.services;
  const found: ViewDef[] = [];
  const missing: string[] = [];
  for (const name of stmt.views) {
    const database = currentDatabase(context, name.database);
    const view = catalog.view(database, name.name);
    if (view === undefined) missing.push(`${database}.${name.name}`);
    else if (!found.includes(view)) found.push(view);
  }
  const unknown = `Unknown VIEW: '${missing.join(',')}'`;
  if (missing.length > 0 && !stmt.ifExists) throw sqlError('UNKNOWN_VIEW', unknown);
  if (found.length > 0) catalog.dropViews(found);
  return missing.length > 0
    ? okWithNotes(context, [{ code: 'UNKNOWN_VIEW', message: unknown }])
    : ok(0);
}

/** CREATE TABLE over a view: 1050, or a note with IF NOT EXISTS. Undefined when no view. */
export function createTableOverView(
  context: StatementContext,
  stmt: CreateTableStatement,
): ResultOk | undefined {
  const database = currentDatabase(context, stmt.database);
  if (context.services.catalog.view(database, stmt.name) === undefined) return undefined;
  if (stmt.ifNotExists)
    return okWithNotes(context, [{ code: 'TABLE_EXISTS', message: tableExists(stmt.name) }]);
  throw sqlError('TABLE_EXISTS', tableExists(stmt.name));
}

/**
 * DROP TABLE: a named view is 1965 ('db.v' is a view); with IF EXISTS the view is kept, a note
 * says why, and the tables are dropped.
 */
export async function dropTableOrView(
  context: StatementContext,
  stmt: DropTableStatement,
): Promise<ResultOk> {
  const isView = (name: TableName): boolean => viewOf(context, name) !== undefined;
  const views = stmt.tables.filter(isView);
  if (views.length === 0) return dropTable(context, stmt);
  const named = views
    .map((name) => `${currentDatabase(context, name.database)}.${name.name}`)
    .join(',');
  if (!stmt.ifExists) throw sqlError('IT_IS_A_VIEW', `'${named}' is a view`);
  const tables = stmt.tables.filter((name) => !isView(name));
  const result = tables.length === 0 ? ok(0) : await dropTable(context, { ...stmt, tables });
  okWithNotes(context, [{ code: 'IT_IS_A_VIEW', message: `'${named}' is a view` }]);
  return { ...result, warnings: 1 };
}

/** ALTER TABLE on a view: 1347. */
export function rejectViewAlter(context: StatementContext, name: TableName): void {
  const view = viewOf(context, name);
  if (view !== undefined) throw notView(view.database, view.name, 'BASE TABLE');
}

function viewOf(context: StatementContext, name: TableName): ViewDef | undefined {
  const database = name.database ?? context.session.database;
  return database === undefined ? undefined : context.services.catalog.view(database, name.name);
}

/** Writes through views are not supported: MariaDB's errors for a view that is not updatable. */
export function rejectViewWrite(
  context: StatementContext,
  target: TableName,
  statement: 'INSERT' | 'UPDATE' | 'DELETE' | 'LOAD',
): void {
  if (viewOf(context, target) === undefined) return;
  if (statement === 'INSERT')
    throw sqlError(
      'NON_INSERTABLE_TABLE',
      `The target table ${target.name} of the INSERT is not insertable-into`,
    );
  throw sqlError(
    'NON_UPDATABLE_TABLE',
    `The target table ${target.name} of the ${statement} is not updatable`,
  );
}

/** ALTER TABLE, or SHOW CREATE VIEW, on the wrong kind of object (1347). */
export function notView(database: string, name: string, expected: 'VIEW' | 'BASE TABLE'): SqlError {
  return sqlError('WRONG_OBJECT', `'${database}.${name}' is not of type '${expected}'`);
}

function tableExists(name: string): string {
  return `Table '${name}' already exists`;
}
