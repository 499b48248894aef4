/**
 * Table DDL. The catalog is the source of truth: a table exists once its catalog entry is
 * written, which happens after every partition created its engine table (CREATE), or before
 * partitions drop it (DROP). Engine statements are idempotent (IF [NOT] EXISTS), so a retried
 * or half-failed DDL converges.
 */
import type {
  CreateIndexStatement,
  CreateTableStatement,
  DropIndexStatement,
  DropTableStatement,
  Query,
  RenameTableStatement,
  TruncateTableStatement,
} from '../parser/ast.js';
import { sqlError } from '../errors.js';
import { keyPrefixes, tableDefinition } from '../catalog/table-definition.js';
import { statementChecks, tableChecks } from './ddl-checks.js';
import {
  aroundFoldIndexes,
  createIndexStatement,
  createTableStatements,
  dropIndexStatement,
  dropTableStatement,
  renameTableStatement,
  truncateTableStatement,
} from '../catalog/engine-ddl.js';
import type { TableDef } from '../catalog/types.js';
import type { Transaction } from './coordinator.js';
import type { ResultOk } from '../protocol/backend.js';
import type { StatementContext } from './context.js';
import { currentDatabase } from './context.js';
import { ok, okWithNotes } from './results.js';
import { executeQuery } from './select.js';
import { startAutoIncrement } from './ddl-auto-increment.js';
import { checkFullGroupBy } from './full-group-by.js';
import { insertRows } from './insert.js';
import { columnsFromResult, selectColumns } from './create-select-columns.js';
import { rebuildTable, withoutUniqueKey, withUniqueKey } from './ddl-rebuild.js';
import { checkZeroDateDefaults } from './zero-date-defaults.js';
import { checkExpressionDefaults } from './expression-defaults.js';
import { inWriteTransaction } from './write-transaction.js';
import {
  followRenames,
  foreignKeyChecks,
  guardForeignKeyIndex,
  guardReferencedDrop,
  replacedKeys,
  withCreateForeignKeys,
} from './ddl-foreign-keys.js';
import { execOptions } from './exec-options.js';

/**
 * Runs engine statements on every partition holding the table, in order on each; inside
 * `transaction` when one is given (its engine transactions then see the result).
 */
export async function runOnTable(
  context: StatementContext,
  table: TableDef,
  statements: readonly string[],
  transaction?: Transaction,
): Promise<void> {
  const targets = context.services.cluster.tableTargets(table);
  const options = execOptions(context, true, transaction);
  for (const sql of statements) {
    await context.services.cluster.exec(targets, table.storage, () => ({ sql }), options);
  }
}

/**
 * `runOnTable` in a transaction of its own when the statements reach several partitions:
 * every partition takes them or none does (a leaf that is down fails them all, and they can
 * run again once it is back), for engine DDL that cannot simply be run again (CREATE/DROP INDEX, RENAME TABLE).
 */
export async function runOnTableAtomically(
  context: StatementContext,
  table: TableDef,
  statements: readonly string[],
): Promise<void> {
  const { cluster, coordinator } = context.services;
  if (cluster.tableTargets(table).length <= 1) return runOnTable(context, table, statements);
  const transaction = coordinator.begin();
  try {
    await runOnTable(context, table, statements, transaction);
  } catch (error) {
    await coordinator.rollback(transaction);
    throw error;
  }
  await coordinator.commit(transaction);
}

/**
 * The engine statements of a new table. A DROP TABLE or DROP DATABASE that could not reach a
 * leaf left its engine table there, rows included; the catalog has no such table, so nothing
 * in it is live, and CREATE TABLE IF NOT EXISTS would bring its rows back: it is dropped first.
 */
function newTableStatements(definition: TableDef): string[] {
  return [dropTableStatement(definition), ...createTableStatements(definition)];
}

/**
 * Where CREATE TABLE puts the table: under its own name, or (a session's temporary table,
 * `ddl-temporary.ts`) under a reserved `physical` name, the written one kept as `temporary`,
 * with its engine statements inside `transaction` (the session's open one, which must see it).
 */
export interface TablePlacement {
  readonly physical?: string;
  readonly transaction?: Transaction;
}

function placed(definition: TableDef, placement: TablePlacement): TableDef {
  if (placement.physical === undefined) return definition;
  return { ...definition, name: placement.physical, temporary: definition.name };
}

export async function createTable(
  context: StatementContext,
  statement: CreateTableStatement,
  placement: TablePlacement = {},
): Promise<ResultOk> {
  const { catalog } = context.services;
  const databaseName = currentDatabase(context, statement.database);
  const database = catalog.requireDatabase(databaseName);
  if (catalog.table(database.name, placement.physical ?? statement.name) !== undefined) {
    const message = `Table '${statement.name}' already exists`;
    if (statement.ifNotExists) return okWithNotes(context, [{ code: 'TABLE_EXISTS', message }]);
    throw sqlError('TABLE_EXISTS', message);
  }
  let definition: TableDef;
  if (statement.like !== undefined) {
    // A temporary table's copy is whatever the new statement makes it.
    const { temporary: _temporary, ...source } = catalog.requireTable(
      statement.like.database ?? database.name,
      statement.like.name,
    );
    // A new table: its keys compare as the collation does even when the source's compare bytes.
    // As in MariaDB, LIKE copies no foreign keys (their indexes stay).
    const { binaryKeys: _binaryKeys, foreignKeys: _foreignKeys, ...like } = source;
    void _binaryKeys;
    void _foreignKeys;
    definition = {
      ...like,
      database: database.name,
      name: statement.name,
      id: catalog.allocateTableId(),
      createdAtMs: context.nowMs,
    };
  } else {
    if (statement.asSelect !== undefined)
      return createTableFromSelect(context, statement, statement.asSelect, placement);
    definition = tableDefinition(statement, {
      database: database.name,
      id: catalog.allocateTableId(),
      nowMs: context.nowMs,
    });
    checkZeroDateDefaults(context, definition);
    checkExpressionDefaults(context, definition.columns);
    const checks = tableChecks(context, statementChecks(statement), definition);
    if (checks.length > 0) definition = { ...definition, checks };
    definition = withCreateForeignKeys(definition, statement);
  }
  definition = placed(definition, placement);
  await runOnTable(context, definition, newTableStatements(definition), placement.transaction);
  catalog.putTable(definition);
  startAutoIncrement(context, definition, statement.options);
  return ok(0);
}

/**
 * CREATE TABLE [(columns)] … SELECT: the query runs first; its result columns give the table's
 * columns (`selectColumns`: as MariaDB makes them, a declared column of a result column's name
 * keeps its definition), then the rows are inserted into them by name. A failing insert drops
 * the new table, so the statement leaves nothing behind.
 */
async function createTableFromSelect(
  context: StatementContext,
  statement: CreateTableStatement,
  query: Query,
  placement: TablePlacement,
): Promise<ResultOk> {
  const { catalog } = context.services;
  checkFullGroupBy(context, query);
  const result = await executeQuery(context, query);
  const columns = selectColumns(statement.columns, columnsFromResult(result.columns));
  let definition = tableDefinition(
    { ...statement, columns: columns.table },
    {
      database: currentDatabase(context, statement.database),
      id: catalog.allocateTableId(),
      nowMs: context.nowMs,
    },
  );
  const checks = tableChecks(context, statementChecks(statement), definition);
  if (checks.length > 0) definition = { ...definition, checks };
  definition = placed(definition, placement);
  await runOnTable(context, definition, newTableStatements(definition), placement.transaction);
  catalog.putTable(definition);
  try {
    const inserted = await insertRows(context, definition, columns.inserted, result.rows, 'error');
    const count = inserted.affectedRows;
    return ok(count, { info: `Records: ${count}  Duplicates: 0  Warnings: 0` });
  } catch (error) {
    catalog.dropTable(definition.database, definition.name);
    const drop = [dropTableStatement(definition)];
    await runOnTable(context, definition, drop, placement.transaction);
    throw error;
  }
}

export async function dropTable(
  context: StatementContext,
  statement: DropTableStatement,
): Promise<ResultOk> {
  const { catalog } = context.services;
  const found: TableDef[] = [];
  const missing: string[] = [];
  for (const name of statement.tables) {
    const database = currentDatabase(context, name.database);
    const table = catalog.table(database, name.name);
    // A temporary table is dropped by its session's name only (ddl-temporary.ts).
    if (table === undefined || table.temporary !== undefined)
      missing.push(`${database}.${name.name}`);
    else found.push(table);
  }
  guardReferencedDrop(catalog, found, foreignKeyChecks(context));
  // As MariaDB: the tables found are dropped, then one error or note names every unknown one.
  for (const table of found) {
    catalog.dropTable(table.database, table.name);
    await runOnTable(context, table, [dropTableStatement(table)]);
  }
  if (missing.length === 0) return ok(0);
  const message = `Unknown table '${missing.join(',')}'`;
  if (!statement.ifExists) throw sqlError('BAD_TABLE', message);
  return okWithNotes(context, [{ code: 'BAD_TABLE', message }]);
}

export async function truncateTable(
  context: StatementContext,
  statement: TruncateTableStatement,
): Promise<ResultOk> {
  const table = context.services.catalog.requireTable(
    currentDatabase(context, statement.table.database),
    statement.table.name,
  );
  // Every partition empties, or none does (a leaf that is down fails the whole statement).
  const targets = context.services.cluster.tableTargets(table).length;
  await inWriteTransaction(context, targets, (transaction) =>
    runOnTable(context, table, [truncateTableStatement(table)], transaction),
  );
  context.services.catalog.resetAutoIncrement(table.database, table.name);
  return ok(0);
}

export async function createIndex(
  context: StatementContext,
  statement: CreateIndexStatement,
): Promise<ResultOk> {
  const { catalog } = context.services;
  const table = catalog.requireTable(
    currentDatabase(context, statement.table.database),
    statement.table.name,
  );
  const columns = statement.columns.map((column) => {
    const found = table.columns.find(
      (candidate) => candidate.name.toLowerCase() === column.name.toLowerCase(),
    );
    if (found === undefined)
      throw sqlError(
        'KEY_COLUMN_DOES_NOT_EXIST',
        `Key column '${column.name}' doesn't exist in table`,
      );
    return found.name;
  });
  if (table.keys.some((key) => key.name.toLowerCase() === statement.name.toLowerCase())) {
    throw sqlError('DUP_KEYNAME', `Duplicate key name '${statement.name}'`);
  }
  if (statement.unique) {
    const unique = withUniqueKey(table, { name: statement.name, columns: statement.columns });
    await rebuildTable(context, table, unique);
    catalog.putTable(unique, table);
    return ok(0, { info: INDEX_INFO });
  }
  const replaced = replacedKeys(table, columns);
  const next: TableDef = {
    ...table,
    keys: [
      ...table.keys.filter((key) => !replaced.includes(key)),
      { name: statement.name, columns, unique: false, ...keyPrefixes(statement.columns) },
    ],
  };
  if (table.storage === 'row')
    await runOnTableAtomically(context, table, [
      ...replaced.map((key) => dropIndexStatement(table, key.name)),
      createIndexStatement(table, statement.name, columns),
    ]);
  catalog.putTable(next, table);
  return ok(0, { info: INDEX_INFO });
}

export async function dropIndex(
  context: StatementContext,
  statement: DropIndexStatement,
): Promise<ResultOk> {
  const { catalog } = context.services;
  const table = catalog.requireTable(
    currentDatabase(context, statement.table.database),
    statement.table.name,
  );
  guardForeignKeyIndex(table, statement.name);
  const unique = withoutUniqueKey(table, statement.name);
  if (unique !== undefined) {
    await rebuildTable(context, table, unique);
    catalog.putTable(unique, table);
    return ok(0, { info: INDEX_INFO });
  }
  const key = table.keys.find(
    (candidate) => candidate.name.toLowerCase() === statement.name.toLowerCase(),
  );
  if (key === undefined) {
    throw sqlError(
      'CANT_DROP_FIELD_OR_KEY',
      `Can't DROP '${statement.name}'; check that column/key exists`,
    );
  }
  if (table.storage === 'row')
    await runOnTableAtomically(context, table, [dropIndexStatement(table, key.name)]);
  catalog.putTable({ ...table, keys: table.keys.filter((candidate) => candidate !== key) }, table);
  return ok(0, { info: INDEX_INFO });
}

/** CREATE and DROP INDEX answer as MariaDB's ALTER TABLE does, with a Records line. */
const INDEX_INFO = 'Records: 0  Duplicates: 0  Warnings: 0';

export async function renameTables(
  context: StatementContext,
  statement: RenameTableStatement,
): Promise<ResultOk> {
  const { catalog } = context.services;
  for (const rename of statement.renames) {
    const table = catalog.requireTable(
      currentDatabase(context, rename.from.database),
      rename.from.name,
    );
    const targetDatabase = currentDatabase(context, rename.to.database);
    if (targetDatabase.toLowerCase() !== table.database.toLowerCase()) {
      throw sqlError('NOT_SUPPORTED', 'Moving a table to another database is not supported');
    }
    if (catalog.table(targetDatabase, rename.to.name) !== undefined) {
      throw sqlError('TABLE_EXISTS', `Table '${rename.to.name}' already exists`);
    }
    const renamed = { ...table, name: rename.to.name };
    await runOnTableAtomically(
      context,
      table,
      aroundFoldIndexes(table, renamed, [renameTableStatement(table.name, rename.to.name)]),
    );
    catalog.putTable(renamed, table);
    followRenames(catalog, table, renamed);
  }
  return ok(0);
}
