/**
 * ALTER TABLE changes the engines cannot make in place: adding or dropping a PRIMARY or
 * UNIQUE key. Neither SQLite nor DuckDB can add or drop a table constraint, so each partition
 * rebuilds the table: a new engine table with the new keys, the rows copied into it (a
 * duplicate fails with 1062), the old table dropped and the new one renamed. Every partition
 * does this inside one transaction, committed with two-phase commit, so the table changes on
 * all partitions or on none, and writers wait for the rebuild instead of being lost.
 */
import { keyPrefixes } from '../catalog/table-definition.js';
import type { AlterAction, IndexDef } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import {
  createFoldIndexStatements,
  createIndexStatement,
  createTableStatements,
  dropFoldIndexStatements,
  dropTableStatement,
  engineColumn,
  quoteEngineIdentifier,
  renameTableStatement,
} from '../catalog/engine-ddl.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { integerColumnRange } from '../catalog/coerce.js';
import { uniqueKeys } from '../catalog/folded-keys.js';
import type { StatementContext } from './context.js';
import { explainDuplicate } from './duplicate-keys.js';
import type { Transaction } from './coordinator.js';
import { execOptions } from './exec-options.js';

const REBUILD_SUFFIX = '__exo_rebuild';

function findColumn(table: TableDef, name: string): string {
  const found = table.columns.find((column) => column.name.toLowerCase() === name.toLowerCase());
  if (found === undefined)
    throw sqlError('KEY_COLUMN_DOES_NOT_EXIST', `Key column '${name}' doesn't exist in table`);
  return found.name;
}

/** Unique keys must contain the shard key, so each partition can enforce them alone. */
function checkUnique(table: TableDef, name: string, columns: readonly string[]): void {
  if (table.reference) return;
  const covered =
    table.shardKey.length > 0 && table.shardKey.every((column) => columns.includes(column));
  if (!covered) {
    throw sqlError(
      'UNIQUE_KEY_NEEDS_SHARD_KEY',
      `The unique key named '${name}' must contain all columns specified in the shard key ` +
        `(${table.shardKey.length > 0 ? table.shardKey.join(', ') : 'the table is keyless'}): ` +
        'uniqueness is enforced within one partition',
    );
  }
}

/** The table with a new PRIMARY KEY (its columns become NOT NULL, as in MySQL). */
export function withPrimaryKey(table: TableDef, index: IndexDef): TableDef {
  if (table.primaryKey.length > 0)
    throw sqlError('MULTIPLE_PRI_KEY', 'Multiple primary key defined');
  const columns = index.columns.map((column) => findColumn(table, column.name));
  checkUnique(table, 'PRIMARY', columns);
  return {
    ...table,
    primaryKey: columns,
    columns: table.columns.map((column) =>
      columns.includes(column.name) ? { ...column, nullable: false } : column,
    ),
  };
}

/** The table without one of its unique keys, or without its primary key for `PRIMARY`. */
export function withoutUniqueKey(table: TableDef, name: string): TableDef | undefined {
  if (name.toUpperCase() === 'PRIMARY') {
    if (table.primaryKey.length === 0) return undefined;
    return { ...table, primaryKey: [] };
  }
  const key = table.keys.find(
    (candidate) => candidate.unique && candidate.name.toLowerCase() === name.toLowerCase(),
  );
  if (key === undefined) return undefined;
  return { ...table, keys: table.keys.filter((candidate) => candidate !== key) };
}

/** The table with a new UNIQUE key (named after its first column when unnamed, as MySQL does). */
export function withUniqueKey(table: TableDef, index: IndexDef): TableDef {
  const columns = index.columns.map((column) => findColumn(table, column.name));
  const first = columns[0] ?? 'key';
  let name = index.name ?? first;
  for (let suffix = 2; index.name === undefined && hasKey(table, name); suffix += 1)
    name = `${first}_${suffix}`;
  if (hasKey(table, name)) throw sqlError('DUP_KEYNAME', `Duplicate key name '${name}'`);
  checkUnique(table, name, columns);
  return {
    ...table,
    keys: [...table.keys, { name, columns, unique: true, ...keyPrefixes(index.columns) }],
  };
}

function hasKey(table: TableDef, name: string): boolean {
  return (
    name.toUpperCase() === 'PRIMARY' ||
    table.keys.some((key) => key.name.toLowerCase() === name.toLowerCase())
  );
}

/**
 * Whether an ALTER action changed what a rowstore engine column enforces — NOT NULL, an
 * integer type's range check, or the name its range check reports — which SQLite changes only
 * by rebuilding the table (a relaxed NOT NULL or a widened INT otherwise kept refusing values).
 */
export function rowstoreColumnChanged(
  before: TableDef,
  after: TableDef,
  action: AlterAction,
): boolean {
  if (before.storage !== 'row') return false;
  const names =
    action.kind === 'modifyColumn'
      ? [action.column.name, action.column.name]
      : action.kind === 'changeColumn'
        ? [action.oldName, action.column.name]
        : action.kind === 'renameColumn'
          ? [action.from, action.to]
          : undefined;
  if (names === undefined) return false;
  const find = (table: TableDef, name: string): ColumnDef | undefined =>
    table.columns.find((column) => column.name.toLowerCase() === name.toLowerCase());
  const old = find(before, names[0] ?? '');
  const column = find(after, names[1] ?? '');
  if (old === undefined || column === undefined) return false;
  const renamedCheck = old.name !== column.name && integerColumnRange(old) !== undefined;
  return (
    renamedCheck ||
    engineColumn('row', { ...old, name: column.name }) !== engineColumn('row', column)
  );
}

/** Whether going from `before` to `after` changes a table constraint (needs a rebuild). */
export function needsRebuild(before: TableDef, after: TableDef): boolean {
  // The engines take unique keys and CHECK constraints only when a table is created.
  const uniques = (table: TableDef): string =>
    JSON.stringify([
      table.primaryKey,
      table.keys.filter((key) => key.unique),
      (table.checks ?? []).map((check) => check.engineSql),
    ]);
  return uniques(before) !== uniques(after);
}

/**
 * Rebuilds the table's engine tables on every partition as `next` (same name) describes; the
 * rows of `before` must fit its keys (a key it adds is named in a 1062).
 */
export async function rebuildTable(
  context: StatementContext,
  before: TableDef,
  next: TableDef,
  /** The statement's transaction, which commits or rolls back the rebuild with it. */
  outer?: Transaction,
): Promise<void> {
  const table = next;
  const { cluster, coordinator } = context.services;
  const targets = cluster.tableTargets(table);
  const temporary: TableDef = { ...next, name: `${table.name}${REBUILD_SUFFIX}` };
  const [createTemporary] = createTableStatements(temporary);
  const columns = next.columns.map((column) => quoteEngineIdentifier(column.name)).join(', ');
  const statements = [
    dropTableStatement(temporary),
    createTemporary ?? '',
    // The fold indexes check the copied rows (DuckDB does not check a unique index made over
    // rows its own transaction wrote), and go before the rename, which DuckDB refuses under them.
    ...createFoldIndexStatements(temporary),
    `INSERT INTO ${quoteEngineIdentifier(temporary.name)} (${columns}) SELECT ${columns} FROM ${quoteEngineIdentifier(table.name)}`,
    ...dropFoldIndexStatements(temporary),
    dropTableStatement(table),
    renameTableStatement(temporary.name, table.name),
    ...createFoldIndexStatements(next),
    ...(next.storage === 'row'
      ? next.keys
          .filter((key) => !key.unique)
          .map((key) => createIndexStatement(next, key.name, key.columns))
      : []),
  ];
  const transaction = outer ?? coordinator.begin();
  try {
    for (const sql of statements) {
      await cluster.exec(
        targets,
        table.storage,
        () => ({ sql }),
        execOptions(context, true, transaction),
      );
    }
  } catch (error) {
    if (outer === undefined) await coordinator.rollback(transaction);
    const kept = new Set(uniqueKeys(before).map((key) => key.name));
    const added = uniqueKeys(next)
      .map((key) => key.name)
      .filter((name) => !kept.has(name));
    throw explainDuplicate(error, next, { suspects: added });
  }
  if (outer === undefined) await coordinator.commit(transaction);
}
