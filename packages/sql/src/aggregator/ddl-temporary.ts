/**
 * DDL of temporary tables, as MariaDB 10.11 does it (docs/sql-temporary-tables.md): CREATE
 * TEMPORARY TABLE makes a table only its session sees (1050 only when the session has a
 * temporary table of that name), DROP TEMPORARY TABLE drops only those, DROP TABLE drops the
 * session's temporary table of a name before any other, and RENAME renames within the session.
 * None of them commits the open transaction. The tables are ordinary catalog tables under
 * reserved names (`temporary-tables.ts`), created by the ordinary CREATE TABLE; they are dropped
 * when the session ends, and what a crash left is dropped when the aggregator starts.
 */
import type {
  CreateTableStatement,
  DropTableStatement,
  RenameTableStatement,
  TableName,
} from '../parser/ast.js';
import { ER, sqlError } from '../errors.js';
import { checkIdentifier } from '../catalog/table-definition.js';
import { createTableStatements, dropTableStatement } from '../catalog/engine-ddl.js';
import type { TableDef } from '../catalog/types.js';
import type { ResultOk } from '../protocol/backend.js';
import { currentDatabase, type StatementContext } from './context.js';
import type { Transaction } from './coordinator.js';
import { createTable, renameTables, runOnTable } from './ddl-table.js';
import { dropTableOrView } from './ddl-view.js';
import { ok, okWithNotes } from './results.js';
import { rejectReservedTarget } from './temporary-names.js';
import { raiseWarnings } from './warnings-statement.js';
import { temporaryTable, type TemporaryTable, type TemporaryTables } from './temporary-tables.js';

export async function createTemporaryTable(
  context: StatementContext,
  statement: CreateTableStatement,
): Promise<ResultOk> {
  const { catalog } = context.services;
  const tables = context.session.temporaryTables;
  const database = catalog.requireDatabase(currentDatabase(context, statement.database)).name;
  checkIdentifier(statement.name, 'table');
  if (temporaryTable(catalog, tables, database, statement.name) !== undefined) {
    const message = `Table '${statement.name}' already exists`;
    if (statement.ifNotExists) return okWithNotes(context, [{ code: 'TABLE_EXISTS', message }]);
    throw sqlError('TABLE_EXISTS', message);
  }
  const physical = tables.nextPhysicalName();
  // Inside a transaction its engine tables are made in it: the transaction's engine snapshots
  // see them, and the write locks it holds do not stand in the way.
  const transaction = context.session.transaction;
  const inside = transaction === undefined ? {} : { transaction };
  const writes = transaction?.writeCount ?? 0;
  try {
    const result = await createTable(context, statement, { physical, ...inside });
    tables.add({
      database,
      name: statement.name,
      physical,
      ...(transaction === undefined ? {} : { createdIn: { transaction, writes } }),
    });
    return result;
  } catch (error) {
    // A CREATE … SELECT whose rows failed leaves nothing behind.
    const left = catalog.table(database, physical);
    if (left !== undefined) await dropSoon(context, left).catch(() => undefined);
    throw error;
  }
}

/**
 * DROP [TEMPORARY] TABLE: the session's temporary tables named go first; DROP TEMPORARY counts
 * any other name as unknown (1051), DROP TABLE drops it as a table or a view would be.
 */
export async function dropTables(
  context: StatementContext,
  statement: DropTableStatement,
): Promise<ResultOk> {
  const { catalog } = context.services;
  const found: TemporaryTable[] = [];
  const others: TableName[] = [];
  for (const name of statement.tables) {
    const database = currentDatabase(context, name.database);
    const temporary = temporaryTable(catalog, context.session.temporaryTables, database, name.name);
    if (temporary === undefined) others.push(name);
    else if (!found.includes(temporary.entry)) found.push(temporary.entry);
  }
  for (const entry of found) await dropTemporary(context, entry);
  if (!statement.temporary && others.length > 0)
    return dropTableOrView(context, { ...statement, tables: others });
  if (others.length === 0) return ok(0);
  const message = `Unknown table '${others
    .map((name) => `${currentDatabase(context, name.database)}.${name.name}`)
    .join(',')}'`;
  if (!statement.ifExists) throw sqlError('BAD_TABLE', message);
  return okWithNotes(context, [{ code: 'BAD_TABLE', message }]);
}

/**
 * RENAME TABLE, one rename after the other (so `a TO b, b TO a` swaps): a temporary table
 * takes its new name in the session only; other tables are renamed as usual.
 */
export async function renameTablesOrTemporary(
  context: StatementContext,
  statement: RenameTableStatement,
): Promise<ResultOk> {
  const { catalog } = context.services;
  for (const rename of statement.renames) {
    const database = currentDatabase(context, rename.from.database);
    const found = temporaryTable(
      catalog,
      context.session.temporaryTables,
      database,
      rename.from.name,
    );
    if (found === undefined) {
      rejectReservedTarget(rename.to.name);
      await renameTables(context, { ...statement, renames: [rename] });
      continue;
    }
    const next = renamedTemporary(context, found.table, rename.to);
    catalog.putTable(next, found.table);
    noteRenamed(context.session.temporaryTables, found.table, next);
  }
  return ok(0);
}

/**
 * A temporary table under a new name (ALTER TABLE … RENAME, RENAME TABLE): 1050 when the
 * session has a temporary table of that name; a permanent one of that name is no obstacle.
 */
export function renamedTemporary(
  context: StatementContext,
  table: TableDef,
  to: TableName,
): TableDef {
  const database = currentDatabase(context, to.database);
  if (database.toLowerCase() !== table.database.toLowerCase())
    throw sqlError('NOT_SUPPORTED', 'Moving a table to another database is not supported');
  checkIdentifier(to.name, 'table');
  const { catalog } = context.services;
  const taken = temporaryTable(catalog, context.session.temporaryTables, database, to.name);
  if (taken !== undefined && taken.table.name !== table.name)
    throw sqlError('TABLE_EXISTS', `Table '${to.name}' already exists`);
  return { ...table, temporary: to.name };
}

/** Records the new name of a temporary table the catalog now keeps under it. */
export function noteRenamed(tables: TemporaryTables, before: TableDef, after: TableDef): void {
  if (before.temporary === undefined || after.temporary === before.temporary) return;
  const entry = tables.find(before.database, before.temporary);
  if (entry === undefined) return;
  tables.remove(entry);
  tables.add({ ...entry, name: after.temporary ?? entry.name });
}

/**
 * Drops one of the session's temporary tables: the session stops seeing it at once; its
 * engine tables go now, or when the open transaction ends (`dropSoon`).
 */
async function dropTemporary(context: StatementContext, entry: TemporaryTable): Promise<void> {
  context.session.temporaryTables.remove(entry);
  const table = context.services.catalog.table(entry.database, entry.physical);
  if (table !== undefined) await dropSoon(context, table);
}

/**
 * Drops a temporary table's engine tables and catalog entry now, or — inside a transaction,
 * which may hold their partitions' write locks and goes on, as in MariaDB — when it ends.
 */
async function dropSoon(context: StatementContext, table: TableDef): Promise<void> {
  const transaction = context.session.transaction;
  if (transaction === undefined) await dropPhysical(context, table);
  else context.session.temporaryTables.dropLater(table, transaction);
}

/**
 * `ended` committed or rolled back: the temporary tables created in it are made again where
 * a rollback undid them (MariaDB keeps them: their DDL is no part of the transaction), and the
 * ones dropped in it go.
 */
export async function settleTemporaries(
  context: StatementContext,
  ended: Transaction,
): Promise<void> {
  const tables = context.session.temporaryTables;
  for (const entry of tables.list()) {
    if (entry.createdIn?.transaction !== ended) continue;
    tables.remove(entry);
    tables.add({ database: entry.database, name: entry.name, physical: entry.physical });
    const table = context.services.catalog.table(entry.database, entry.physical);
    if (table !== undefined)
      await runOnTable(context, table, createTableStatements(table)).catch(() => undefined);
  }
  for (const table of tables.takeLaterDrops(ended))
    await dropPhysical(context, table).catch(() => undefined);
}

/**
 * ROLLBACK TO SAVEPOINT undid what the transaction did after its first `writes` writes, the
 * engine tables of temporary tables created since included: they are made again, in the
 * transaction, and MariaDB's warning says that their creation was not rolled back.
 */
export async function restoreTemporaries(
  context: StatementContext,
  transaction: Transaction,
  writes: number,
): Promise<void> {
  let restored = 0;
  for (const entry of context.session.temporaryTables.list()) {
    const created = entry.createdIn;
    if (created?.transaction !== transaction || created.writes < writes) continue;
    const table = context.services.catalog.table(entry.database, entry.physical);
    if (table === undefined) continue;
    await runOnTable(context, table, createTableStatements(table), transaction);
    restored += 1;
  }
  if (restored === 0) return;
  raiseWarnings(context.session, [
    {
      level: 'Warning',
      code: ER.WARNING_NOT_COMPLETE_ROLLBACK[0],
      message: "Some non-transactional changed tables couldn't be rolled back",
    },
  ]);
}

/** The session ends (also on a lost connection or KILL): its temporary tables go. */
export async function dropSessionTemporaries(context: StatementContext): Promise<void> {
  const tables = context.session.temporaryTables;
  const dropped = tables.takeLaterDrops();
  for (const entry of tables.list()) {
    tables.remove(entry);
    const table = context.services.catalog.table(entry.database, entry.physical);
    if (table !== undefined) dropped.push(table);
  }
  for (const table of dropped) await dropPhysical(context, table).catch(() => undefined);
}

/**
 * Drops what earlier runs left (a crash, a leaf that could not be reached): no session of
 * theirs is left. Returns how many were dropped; the rest are tried again at the next start.
 */
export async function dropLeftTemporaries(context: StatementContext): Promise<number> {
  let dropped = 0;
  for (const table of context.services.catalog.temporaryTables()) {
    try {
      await dropPhysical(context, table);
      dropped += 1;
    } catch {
      // Listed nowhere and reachable by no session: it waits for the next start.
    }
  }
  return dropped;
}

/**
 * The engine tables first, then the catalog entry: a drop that fails on a leaf keeps the entry,
 * so the next start drops it again (no session reaches it meanwhile).
 */
async function dropPhysical(context: StatementContext, table: TableDef): Promise<void> {
  await runOnTable(context, table, [dropTableStatement(table)]);
  context.services.catalog.dropTable(table.database, table.name);
}
