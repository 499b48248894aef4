/**
 * ALTER TABLE. Supported actions: ADD/DROP/MODIFY/CHANGE/RENAME COLUMN, RENAME TABLE,
 * ADD/DROP INDEX, ADD/DROP UNIQUE and PRIMARY KEY (a rebuild, `ddl-rebuild.ts`), SET/DROP
 * DEFAULT, and table options (accepted). Shard-key and primary-key
 * columns cannot be dropped or changed, because every row's placement depends on them.
 * The actions are applied to every partition in one transaction, then the catalog is updated.
 */
import { checkTypeChange } from './ddl-type-change.js';
import { assertAutoIncrementKeyed, renamedIndex, withoutKeyColumn } from './ddl-key-names.js';
import { fitNotNull } from './ddl-not-null.js';
import { fitTextLength } from './ddl-text-fit.js';
import { checksWithoutColumn, guardCheckColumn, withCheck, withoutCheck } from './ddl-checks.js';
import type { AlterAction, AlterTableStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import { columnDefaultSql, columnDefinition, keyPrefixes } from '../catalog/table-definition.js';
import { checkExpressionDefaults } from './expression-defaults.js';
import {
  aroundFoldIndexes,
  createIndexStatement,
  dropColumnStatement,
  dropIndexStatement,
  engineColumnType,
  quoteEngineIdentifier,
  renameColumnStatement,
  renameTableStatement,
} from '../catalog/engine-ddl.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import type { ResultOk } from '../protocol/backend.js';
import type { StatementContext, Warning } from './context.js';
import { checkRefit, refitRows, refitsRows } from './ddl-double-fit.js';
import { currentDatabase } from './context.js';
import { runOnTable } from './ddl-table.js';
import type { Transaction } from './coordinator.js';
import { autoIncrementOption, moveAutoIncrement } from './ddl-auto-increment.js';
import { ok } from './results.js';
import { noteRenamed, renamedTemporary } from './ddl-temporary.js';
import { rejectReservedTarget } from './temporary-names.js';
import { shownName } from './temporary-tables.js';
import {
  followRenames,
  guardForeignKeyColumn,
  guardForeignKeyIndex,
  replacedKeys,
  withForeignKey,
  withoutForeignKey,
  withRenamedColumn,
} from './ddl-foreign-keys.js';
import { addColumnStatements } from './ddl-add-column.js';
import { positionOf, withColumnPosition } from './ddl-column-position.js';
import {
  needsRebuild,
  rebuildTable,
  rowstoreColumnChanged,
  withoutUniqueKey,
  withPrimaryKey,
  withUniqueKey,
} from './ddl-rebuild.js';

function findColumn(table: TableDef, name: string): ColumnDef {
  const found = table.columns.find((column) => column.name.toLowerCase() === name.toLowerCase());
  if (found === undefined)
    throw sqlError('BAD_FIELD', `Unknown column '${name}' in '${shownName(table)}'`);
  return found;
}

function guardKeyColumn(table: TableDef, name: string, what: string): void {
  if (table.shardKey.includes(name) || table.primaryKey.includes(name)) {
    throw sqlError(
      'NOT_SUPPORTED',
      `Cannot ${what} '${name}': it is part of the primary or shard key`,
    );
  }
}

async function apply(
  context: StatementContext,
  table: TableDef,
  action: AlterAction,
  warnings: Warning[],
  transaction: Transaction,
): Promise<TableDef> {
  switch (action.kind) {
    case 'addColumn': {
      let next = table;
      for (const definition of action.columns) {
        const column = columnDefinition(definition);
        if (
          next.columns.some((existing) => existing.name.toLowerCase() === column.name.toLowerCase())
        ) {
          throw sqlError('DUP_FIELDNAME', `Duplicate column name '${column.name}'`);
        }
        if (
          column.autoIncrement === true ||
          definition.primaryKey === true ||
          definition.unique === true
        ) {
          throw sqlError(
            'NOT_SUPPORTED',
            'Adding a key or AUTO_INCREMENT column to an existing table is not supported',
          );
        }
        await runOnTable(
          context,
          next,
          await addColumnStatements(context, next, column),
          transaction,
        );
        // Engines add columns at the end; FIRST/AFTER rebuild them (ddl-column-position.ts).
        next = { ...next, columns: [...next.columns, column] };
      }
      return next;
    }
    case 'dropColumn': {
      if (!table.columns.some((c) => c.name.toLowerCase() === action.name.toLowerCase()))
        throw sqlError(
          'CANT_DROP_FIELD_OR_KEY',
          `Can't DROP '${action.name}'; check that column/key exists`,
        );
      const column = findColumn(table, action.name);
      guardForeignKeyColumn(context.services.catalog, table, column.name);
      guardKeyColumn(table, column.name, 'drop column');
      // The checks that read only this column go with it; the engines take that as a rebuild.
      const checks = checksWithoutColumn(table, column.name);
      if (checks.length !== (table.checks ?? []).length) {
        const without = { ...table, checks };
        await rebuildTable(context, table, without, transaction);
        return apply(context, without, action, warnings, transaction);
      }
      if (table.columns.length === 1)
        throw sqlError(
          'CANT_REMOVE_ALL_FIELDS',
          "You can't delete all columns with ALTER TABLE; use DROP TABLE instead",
        );
      const keys = table.keys.filter((key) => key.columns.includes(column.name));
      const statements = [
        ...(table.storage === 'row'
          ? keys.filter((key) => !key.unique).map((key) => dropIndexStatement(table, key.name))
          : []),
        dropColumnStatement(table, column.name),
      ];
      if (keys.some((key) => key.unique))
        throw sqlError('NOT_SUPPORTED', `Column '${column.name}' is part of a unique key`);
      // A key keeps its other columns, as in MariaDB; one left without any goes.
      const next = {
        ...table,
        columns: table.columns.filter((candidate) => candidate !== column),
        keys: table.keys.flatMap((key) => {
          if (!keys.includes(key)) return [key];
          const kept = withoutKeyColumn(key, column.name);
          return kept === undefined ? [] : [kept];
        }),
      };
      if (table.storage === 'row')
        for (const key of next.keys.filter((candidate) =>
          keys.some((k) => k.name === candidate.name),
        ))
          statements.push(createIndexStatement(next, key.name, key.columns));
      await runOnTable(context, table, aroundFoldIndexes(table, next, statements), transaction);
      return next;
    }
    case 'modifyColumn':
    case 'changeColumn': {
      const oldName = action.kind === 'changeColumn' ? action.oldName : action.column.name;
      const old = findColumn(table, oldName);
      guardKeyColumn(table, old.name, 'change column');
      const column = columnDefinition(action.column);
      checkExpressionDefaults(context, [column]);
      if (column.name !== old.name) guardCheckColumn(table, old.name);
      const refit = refitsRows(column);
      const clamped = refit ? await checkRefit(context, table, old.name, column, transaction) : 0;
      warnings.push(...(await fitNotNull(context, table, old, column, transaction)));
      warnings.push(...(await fitTextLength(context, table, old, column, transaction)));
      const statements: string[] = [];
      if (column.name !== old.name)
        statements.push(renameColumnStatement(table, old.name, column.name));
      if (table.storage === 'row' && column.type !== old.type)
        await checkTypeChange(context, table, old.name, column, '', transaction);
      // The engine column takes a relaxed NOT NULL (a rowstore table is rebuilt instead:
      // `rowstoreColumnChanged`); a new NOT NULL is the aggregator's to enforce, as for ADD COLUMN.
      if (table.storage === 'column' && column.nullable && !old.nullable)
        statements.push(
          `ALTER TABLE ${quoteEngineIdentifier(table.name)} ALTER COLUMN ${quoteEngineIdentifier(column.name)} DROP NOT NULL`,
        );
      if (
        table.storage === 'column' &&
        engineColumnType('column', column) !== engineColumnType('column', old)
      ) {
        const type = engineColumnType('column', column).replace(' COLLATE NOCASE', '');
        await checkTypeChange(context, table, old.name, column, type, transaction);
        statements.push(
          `ALTER TABLE ${quoteEngineIdentifier(table.name)} ALTER COLUMN ${quoteEngineIdentifier(column.name)} TYPE ${type}`,
        );
      }
      const next = {
        ...withRenamedColumn(table, old.name, column.name),
        columns: table.columns.map((candidate) => (candidate === old ? column : candidate)),
        keys: table.keys.map((key) => ({
          ...key,
          columns: key.columns.map((name) => (name === old.name ? column.name : name)),
        })),
      };
      // Rowstore columns are dynamically typed in SQLite: the new type applies to new writes.
      if (statements.length > 0)
        await runOnTable(context, table, aroundFoldIndexes(table, next, statements), transaction);
      if (refit) warnings.push(...(await refitRows(context, next, column, clamped, transaction)));
      return next;
    }
    case 'renameColumn': {
      const old = findColumn(table, action.from);
      guardKeyColumn(table, old.name, 'rename column');
      guardCheckColumn(table, old.name);
      const next = {
        ...withRenamedColumn(table, old.name, action.to),
        columns: table.columns.map((candidate) =>
          candidate === old ? { ...old, name: action.to } : candidate,
        ),
        keys: table.keys.map((key) => ({
          ...key,
          columns: key.columns.map((name) => (name === old.name ? action.to : name)),
        })),
      };
      await runOnTable(
        context,
        table,
        aroundFoldIndexes(table, next, [renameColumnStatement(table, old.name, action.to)]),
        transaction,
      );
      return next;
    }
    case 'renameTable': {
      // A temporary table takes the new name in its session only (ddl-temporary.ts).
      if (table.temporary !== undefined) return renamedTemporary(context, table, action.to);
      rejectReservedTarget(action.to.name);
      if (context.services.catalog.table(table.database, action.to.name) !== undefined) {
        throw sqlError('TABLE_EXISTS', `Table '${action.to.name}' already exists`);
      }
      const next = { ...table, name: action.to.name };
      await runOnTable(
        context,
        table,
        aroundFoldIndexes(table, next, [renameTableStatement(table.name, action.to.name)]),
        transaction,
      );
      return next;
    }
    case 'addIndex': {
      if (action.type === 'primary') return withPrimaryKey(table, action.index);
      if (action.type === 'unique') return withUniqueKey(table, action.index);
      if (action.type !== 'index')
        throw sqlError(
          'NOT_SUPPORTED',
          `Adding a ${action.type} key to an existing table is not supported`,
        );
      const columns = action.index.columns.map((column) => findColumn(table, column.name).name);
      const name = action.index.name ?? columns[0] ?? 'key';
      if (table.keys.some((key) => key.name.toLowerCase() === name.toLowerCase()))
        throw sqlError('DUP_KEYNAME', `Duplicate key name '${name}'`);
      const replaced = replacedKeys(table, columns);
      if (table.storage === 'row')
        await runOnTable(
          context,
          table,
          [
            ...replaced.map((key) => dropIndexStatement(table, key.name)),
            createIndexStatement(table, name, columns),
          ],
          transaction,
        );
      const keys = table.keys.filter((key) => !replaced.includes(key));
      return {
        ...table,
        keys: [...keys, { name, columns, unique: false, ...keyPrefixes(action.index.columns) }],
      };
    }
    case 'dropPrimaryKey':
    case 'dropIndex': {
      guardForeignKeyIndex(table, action.kind === 'dropIndex' ? action.name : 'PRIMARY');
      const unique = withoutUniqueKey(table, action.kind === 'dropIndex' ? action.name : 'PRIMARY');
      if (unique !== undefined) {
        assertAutoIncrementKeyed(unique);
        return unique;
      }
      if (action.kind === 'dropPrimaryKey')
        throw sqlError(
          'CANT_DROP_FIELD_OR_KEY',
          "Can't DROP 'PRIMARY'; check that column/key exists",
        );
      const key = table.keys.find(
        (candidate) => candidate.name.toLowerCase() === action.name.toLowerCase(),
      );
      if (key === undefined)
        throw sqlError(
          'CANT_DROP_FIELD_OR_KEY',
          `Can't DROP '${action.name}'; check that column/key exists`,
        );
      const next = { ...table, keys: table.keys.filter((candidate) => candidate !== key) };
      assertAutoIncrementKeyed(next);
      if (table.storage === 'row')
        await runOnTable(context, table, [dropIndexStatement(table, key.name)], transaction);
      return next;
    }
    case 'renameIndex': {
      const { next, statements } = renamedIndex(table, action.from, action.to);
      await runOnTable(context, table, statements, transaction);
      return next;
    }
    case 'setDefault': {
      const column = findColumn(table, action.column);
      const { defaultSql: _old, ...rest } = column;
      void _old;
      const defaultSql = columnDefaultSql(column, action.value);
      const changed = defaultSql === undefined ? rest : { ...rest, defaultSql };
      checkExpressionDefaults(context, [changed]);
      return {
        ...table,
        columns: table.columns.map((candidate) => (candidate === column ? changed : candidate)),
      };
    }
    case 'dropDefault': {
      const column = findColumn(table, action.column);
      const { defaultSql: _dropped, ...rest } = column;
      void _dropped;
      return {
        ...table,
        columns: table.columns.map((candidate) => (candidate === column ? rest : candidate)),
      };
    }
    case 'addCheck':
      // The engine tables are rebuilt with it (ddl-rebuild.ts): rows that break it refuse (4025).
      return withCheck(context, table, action.check);
    case 'dropCheck': {
      const next = withoutCheck(table, action.name);
      if (next !== undefined) return next;
      if (
        action.any === true &&
        table.keys.some((key) => key.name.toLowerCase() === action.name.toLowerCase())
      )
        return apply(
          context,
          table,
          { kind: 'dropIndex', name: action.name },
          warnings,
          transaction,
        );
      throw sqlError(
        'CANT_DROP_FIELD_OR_KEY',
        `Can't DROP ${action.any === true ? 'CONSTRAINT' : 'CHECK'} \`${action.name}\`; check that it exists`,
      );
    }
    case 'option':
    case 'convertCharset':
      return table;
    case 'addForeignKey': {
      // Kept, not enforced (docs/sql-types.md, "Foreign keys"); with MariaDB's index for it.
      const added = withForeignKey(table, action.foreignKey);
      if (added.index === undefined) return added.table;
      const index = { kind: 'addIndex', type: 'index', index: added.index } as const;
      const next = await apply(context, added.table, index, warnings, transaction);
      return {
        ...next,
        keys: next.keys.map((key) =>
          key.name === added.index?.name ? { ...key, forForeignKey: true as const } : key,
        ),
      };
    }
    case 'dropForeignKey':
      return withoutForeignKey(table, action.name);
  }
}

export async function alterTable(
  context: StatementContext,
  statement: AlterTableStatement,
): Promise<ResultOk> {
  const { catalog } = context.services;
  const original = catalog.requireTable(
    currentDatabase(context, statement.table.database),
    statement.table.name,
  );
  let table = original;
  let keysChanged = false;
  const warnings: Warning[] = [];
  // Foreign keys are added after the statement's indexes, which may then serve them (MariaDB
  // makes an index for one only when no key starts with its columns).
  const actions = [
    ...statement.actions.filter((action) => action.kind !== 'addForeignKey'),
    ...statement.actions.filter((action) => action.kind === 'addForeignKey'),
  ];
  // Every partition takes the whole statement or none does: a leaf that is down (or fails an
  // action) rolls the others back, and the catalog keeps the table as it was, so the same ALTER
  // can run again once the leaf is back. (ALTER commits the session's transaction first.)
  const { coordinator } = context.services;
  const transaction = coordinator.begin();
  try {
    for (const action of actions) {
      const next = withColumnPosition(
        await apply(context, table, action, warnings, transaction),
        action,
      );
      // A column placed FIRST or AFTER another rebuilds the engine tables in the new order.
      keysChanged ||=
        needsRebuild(table, next) ||
        positionOf(action) !== undefined ||
        rowstoreColumnChanged(table, next, action);
      table = next;
    }
    // Key changes apply last, to the engine tables the other actions left.
    if (keysChanged) await rebuildTable(context, original, table, transaction);
  } catch (error) {
    await coordinator.rollback(transaction);
    throw error;
  }
  await coordinator.commit(transaction);
  catalog.putTable(table, original);
  if (table.temporary === undefined) followRenames(catalog, original, table, statement.actions);
  noteRenamed(context.session.temporaryTables, original, table);
  for (const action of statement.actions)
    if (action.kind === 'option' && action.name === 'AUTO_INCREMENT') {
      const value = autoIncrementOption({ AUTO_INCREMENT: action.value });
      if (value !== undefined) await moveAutoIncrement(context, table, value);
    }
  // MariaDB's line for an ALTER done in place (the engine copies no rows through the server);
  // a rename alone has none.
  if (statement.actions.every((action) => action.kind === 'renameTable')) return ok(0);
  const info = `Records: 0  Duplicates: 0  Warnings: ${warnings.length}`;
  if (warnings.length === 0) return ok(0, { info });
  context.session.warnings = warnings;
  return ok(0, { info, warnings: warnings.length });
}
