/**
 * SHOW DATABASES, SHOW [FULL] TABLES and SHOW TABLE STATUS as MariaDB answers them: rows in
 * name order (views among the tables), columns defined as the information_schema columns they
 * come from (SCHEMATA, TABLES, and the TABLE_NAMES table MariaDB keeps for SHOW TABLES).
 */
import { tableStats } from './table-stats.js';
import type { ShowStatement } from '../parser/ast.js';
import type { ResultRows } from '../protocol/backend.js';
import type { ColumnMeta, SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { currentDatabase } from './context.js';
import { checkVisible, visibleDatabases } from './accounts.js';
import { tableRow } from './information-schema-rows.js';
import {
  informationSchemaTableRow,
  informationSchemaTables,
  isInformationSchema,
} from './information-schema-tables.js';
import { infoColumn, SPECS } from './information-schema-specs.js';
import { rows } from './results.js';
import { viewNames } from './view-show.js';

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function showDatabases(
  context: StatementContext,
  statement: ShowStatement,
  like: (name: string) => boolean,
): ResultRows {
  // An account sees the databases it holds a privilege on (MariaDB without SHOW DATABASES).
  const names = ['information_schema', ...visibleDatabases(context).map((db) => db.name)]
    .filter(like)
    .sort(byName);
  const header = statement.like === undefined ? 'Database' : `Database (${statement.like})`;
  return rows(
    [infoColumn('SCHEMATA', 'SCHEMA_NAME', header)],
    names.map((name) => [name]),
  );
}

/** A column of TABLE_NAMES, the hidden information_schema table behind SHOW TABLES. */
function tableNamesColumn(name: string, orgName: string, characters: number): ColumnMeta {
  return {
    name,
    type: 'varchar',
    length: characters,
    nullable: false,
    noDefaultValue: true,
    database: 'information_schema',
    table: 'TABLE_NAMES',
    orgTable: 'TABLE_NAMES',
    orgName,
  };
}

export function showTables(
  context: StatementContext,
  statement: ShowStatement,
  like: (name: string) => boolean,
): ResultRows {
  const { catalog } = context.services;
  const database = currentDatabase(context, statement.database);
  const system = isInformationSchema(database);
  if (!system) checkVisible(context, database);
  if (!system) catalog.requireDatabase(database);
  const header = `Tables_in_${database}${statement.like === undefined ? '' : ` (${statement.like})`}`;
  const entries = (
    system
      ? informationSchemaTables().map((table) => [table.name, 'SYSTEM VIEW'])
      : [
          ...catalog.tables(database).map((table) => [table.name, 'BASE TABLE']),
          ...viewNames(context, database).map((name) => [name, 'VIEW']),
        ]
  )
    .filter(([name]) => like(name ?? ''))
    .sort(([a], [b]) => byName(a ?? '', b ?? ''));
  const full = statement.full === true;
  return rows(
    [
      tableNamesColumn(header, 'TABLE_NAME', 73),
      ...(full ? [tableNamesColumn('Table_type', 'TABLE_TYPE', 64)] : []),
    ],
    entries.map((entry) => (full ? entry : entry.slice(0, 1))),
  );
}

/** information_schema.TABLES columns as SHOW TABLE STATUS names them (all but 0, 1 and 3). */
const STATUS_NAMES: Readonly<Record<string, string>> = {
  TABLE_NAME: 'Name',
  TABLE_ROWS: 'Rows',
  TABLE_COLLATION: 'Collation',
  TABLE_COMMENT: 'Comment',
};

export async function showTableStatus(
  context: StatementContext,
  statement: ShowStatement,
  like: (name: string) => boolean,
): Promise<ResultRows> {
  const { catalog } = context.services;
  const database = currentDatabase(context, statement.database);
  const system = isInformationSchema(database);
  if (!system) checkVisible(context, database);
  if (!system) catalog.requireDatabase(database);
  const skipped = new Set([0, 1, 3]);
  const keep = (row: readonly SqlValue[]): SqlValue[] =>
    row.filter((_, index) => !skipped.has(index));
  const listed = system ? [] : catalog.tables(database).filter((table) => like(table.name));
  const stats = await tableStats(context, listed);
  const tables = system
    ? informationSchemaTables()
        .filter((table) => like(table.name))
        .map((table) => keep(informationSchemaTableRow(table.name, context.nowMs)))
    : listed.map((table) => keep(tableRow(context, table, stats.get(table))));
  // A view: every column NULL but its name and Comment VIEW, as MariaDB shows it.
  const width = tables[0]?.length ?? 20;
  const views = (system ? [] : viewNames(context, database)).filter(like).map((name) => {
    const row = new Array<SqlValue>(width).fill(null);
    row[0] = name;
    row[17] = 'VIEW';
    return row;
  });
  const columns = (SPECS.TABLES ?? [])
    .filter((_, index) => !skipped.has(index))
    .map((column) => {
      const name = STATUS_NAMES[column.name] ?? showName(column.name);
      return infoColumn('TABLES', column.name, name);
    });
  return rows(
    columns,
    [...tables, ...views].sort((a, b) => byName(String(a[0]), String(b[0]))),
  );
}

/** `AVG_ROW_LENGTH` → `Avg_row_length`. */
function showName(name: string): string {
  return name.charAt(0) + name.slice(1).toLowerCase();
}
