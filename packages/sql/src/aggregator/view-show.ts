/**
 * Views in SHOW, DESCRIBE and information_schema, in MariaDB's layout: SHOW CREATE VIEW (also
 * the answer to SHOW CREATE TABLE on a view), columns typed from the view's result columns
 * (planned, never run), and the rows of TABLES, VIEWS and COLUMNS.
 */
import type { Query, TableName, TableRef } from '../parser/ast.js';
import { SqlError, sqlError } from '../errors.js';
import { columnDefinition } from '../catalog/table-definition.js';
import type { TableDef, ViewDef } from '../catalog/types.js';
import type { ResultRows } from '../protocol/backend.js';
import type { SqlValue } from '../values.js';
import { currentDatabase, type StatementContext } from './context.js';
import { columnsFromResult } from './create-select-columns.js';
import { computedText, rows } from './results.js';
import { visibleDatabases } from './accounts.js';
import { planQuery } from './select.js';

const quote = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/** The tables a write names directly (through joins, not in derived tables or subqueries). */
export function viewTargets(refs: readonly (TableRef | TableName)[]): TableName[] {
  return refs.flatMap((ref): TableName[] => {
    if (!('kind' in ref)) return [ref];
    if (ref.kind === 'join') return viewTargets([ref.left, ref.right]);
    return ref.kind === 'table' ? [ref] : [];
  });
}

/** The view a SHOW or DESCRIBE names, if it names one. */
export function shownView(
  context: StatementContext,
  table: TableName,
  database?: string,
): ViewDef | undefined {
  const name = currentDatabase(context, database ?? table.database);
  return context.services.catalog.view(name, table.name);
}

/** SHOW CREATE VIEW's text: MariaDB's clauses around the SELECT as it was written. */
export function showCreateView(view: ViewDef): string {
  const columns =
    view.columns === undefined ? '' : `(${view.columns.map((name) => quote(name)).join(',')}) `;
  const check = view.checkOption === 'NONE' ? '' : ` WITH ${view.checkOption} CHECK OPTION`;
  return `CREATE ALGORITHM=${view.algorithm} DEFINER=${quote(view.definer.user)}@${quote(view.definer.host)} SQL SECURITY ${view.security} VIEW ${quote(view.name)} ${columns}AS ${view.definition}${check}`;
}

export function showCreateViewRows(view: ViewDef): ResultRows {
  return rows(
    [
      computedText('View', 64),
      computedText('Create View', 1024),
      computedText('character_set_client', 32),
      computedText('collation_connection', 64),
    ],
    [[view.name, showCreateView(view), view.characterSetClient, view.collationConnection]],
  );
}

/** SHOW CREATE VIEW on a base table: 1347, as MariaDB answers. */
export function requireView(
  context: StatementContext,
  table: TableName,
  database?: string,
): ViewDef {
  const view = shownView(context, table, database);
  if (view !== undefined) return view;
  const name = currentDatabase(context, database ?? table.database);
  if (context.services.catalog.table(name, table.name) !== undefined)
    throw sqlError('WRONG_OBJECT', `'${name}.${table.name}' is not of type 'VIEW'`);
  throw sqlError('NO_SUCH_TABLE', `Table '${name}.${table.name}' doesn't exist`);
}

/**
 * The view as a keyless table whose columns carry the types of its result columns, for SHOW
 * COLUMNS, DESCRIBE and information_schema.COLUMNS. Planning reads the catalog only; an
 * invalid view throws 1356.
 */
export function viewAsTable(context: StatementContext, view: ViewDef): TableDef {
  const query: Query = {
    kind: 'select',
    distinct: false,
    columns: [{ expr: { kind: 'star' } }],
    from: [{ kind: 'table', database: view.database, name: view.name }],
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  };
  const { plans: _plans, ...plain } = context;
  const metas = planQuery(plain, query).translated.columns;
  return {
    database: view.database,
    name: view.name,
    storage: 'column',
    reference: false,
    columns: columnsFromResult(metas).map((column) => columnDefinition(column)),
    primaryKey: [],
    keys: [],
    shardKey: [],
    sortKey: [],
    id: 0,
    createdAtMs: view.createdAtMs,
  };
}

/** The views of the databases the account may see (`accounts.ts`), database by database. */
function visibleViews(context: StatementContext): ViewDef[] {
  const { catalog } = context.services;
  return visibleDatabases(context).flatMap((database) => catalog.views(database.name));
}

/** Every view's columns for information_schema.COLUMNS; invalid views are left out. */
export function viewTables(context: StatementContext): TableDef[] {
  return visibleViews(context).flatMap((view) => {
    try {
      return [viewAsTable(context, view)];
    } catch (error) {
      if (error instanceof SqlError) return [];
      throw error;
    }
  });
}

/** The rows views add to an information_schema table (TABLES and VIEWS; none elsewhere). */
export function viewRows(context: StatementContext, table: string): SqlValue[][] {
  if (table === 'TABLES') return viewTableRows(context);
  if (table === 'VIEWS') return viewDefinitionRows(context);
  return [];
}

/**
 * information_schema.TABLES rows for views (MariaDB: every storage column NULL, TABLE_COMMENT
 * VIEW, MAX_INDEX_LENGTH and TEMPORARY NULL).
 */
function viewTableRows(context: StatementContext): SqlValue[][] {
  return visibleViews(context).map((view) => [
    'def',
    view.database,
    view.name,
    'VIEW',
    ...new Array<SqlValue>(16).fill(null),
    'VIEW',
    null,
    null,
  ]);
}

/**
 * information_schema.VIEWS rows. IS_UPDATABLE is NO: writes through views are refused here
 * (1288/1471), whatever their shape.
 */
function viewDefinitionRows(context: StatementContext): SqlValue[][] {
  return visibleViews(context).map((view) => [
    'def',
    view.database,
    view.name,
    view.definition,
    view.checkOption,
    'NO',
    `${view.definer.user}@${view.definer.host}`,
    view.security,
    view.characterSetClient,
    view.collationConnection,
    view.algorithm,
  ]);
}

/** The names of a database's views (SHOW [FULL] TABLES, SHOW TABLE STATUS). */
export function viewNames(context: StatementContext, database: string): string[] {
  return context.services.catalog.views(database).map((view) => view.name);
}
