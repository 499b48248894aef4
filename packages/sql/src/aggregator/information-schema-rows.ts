/** The rows of each information_schema table, generated from the catalog, in MariaDB's order. */
import { tableStats, type TableStats } from './table-stats.js';
import { sortedKeys } from '../catalog/column-key.js';
import type { TableDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { visibleDatabases } from './accounts.js';
import { columnRows } from './information-schema-columns.js';
import { checkConstraintRows, checkTableConstraintRows } from './information-schema-checks.js';
import { informationSchemaTableRow, informationSchemaTables } from './information-schema-tables.js';
import { statusValues } from './show-status.js';
import { shownValue } from './system-variables.js';
import { viewTables } from './view-show.js';
import { shownName } from './temporary-tables.js';
import { schemaPrivilegeRows, userPrivilegeRows } from './privilege-tables.js';
import {
  foreignKeyColumnUsage,
  foreignKeyTableConstraints,
  referentialConstraintRows,
} from './show-foreign-keys.js';

function visibleTables(context: StatementContext): TableDef[] {
  const catalog = context.services.catalog;
  return visibleDatabases(context).flatMap((database) => catalog.tables(database.name));
}

/** The storage engine a table shows (ENGINE, SHOW TABLE STATUS). */
export function engineName(table: TableDef): string {
  return table.storage === 'column' ? 'Columnstore' : 'Rowstore';
}

export function generate(
  context: StatementContext,
  name: string,
): SqlValue[][] | Promise<SqlValue[][]> {
  const catalog = context.services.catalog;
  switch (name) {
    case 'USER_PRIVILEGES':
      return userPrivilegeRows(context);
    case 'SCHEMA_PRIVILEGES':
      return schemaPrivilegeRows(context);
    case 'SCHEMATA':
      return [
        ['def', 'information_schema', 'utf8mb3', 'utf8mb3_general_ci', null, '', 'NO'],
        ...visibleDatabases(context).map((db) => [
          'def',
          db.name,
          'utf8mb4',
          'utf8mb4_general_ci',
          null,
          '',
          'NO',
        ]),
      ];
    case 'TABLES':
      return tablesRows(context);
    case 'COLUMNS':
      return [
        ...informationSchemaTables(),
        ...visibleTables(context),
        ...viewTables(context),
      ].flatMap(columnRows);
    case 'STATISTICS':
      return visibleTables(context).flatMap(statisticsRows);
    case 'KEY_COLUMN_USAGE':
      return visibleTables(context).flatMap((table) => [
        ...uniqueKeys(table).flatMap(([key, columns]) => keyColumnUsage(table, key, columns)),
        ...foreignKeyColumnUsage(table),
      ]);
    case 'REFERENTIAL_CONSTRAINTS':
      return visibleTables(context).flatMap((table) => referentialConstraintRows(catalog, table));
    case 'TABLE_CONSTRAINTS':
      return visibleTables(context).flatMap((table) => [
        ...uniqueKeys(table).map(([key]) => [
          'def',
          table.database,
          key,
          table.database,
          table.name,
          key === 'PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE',
          // ENFORCED (MySQL 8).
          'YES',
        ]),
        ...checkTableConstraintRows(table),
        ...foreignKeyTableConstraints(table),
      ]);
    case 'CHECK_CONSTRAINTS':
      return visibleTables(context).flatMap(checkConstraintRows);
    case 'PARTITIONS':
      // One row per table, its partition columns NULL, as MariaDB lists a table it does not
      // partition (this server's partitions are its own: SHOW PARTITIONS lists them).
      return visibleTables(context).map((table) => [
        'def',
        table.database,
        table.name,
        ...new Array<SqlValue>(9).fill(null),
        0,
        0,
        0,
        null,
        0,
        0,
        isoDateTime(table.createdAtMs),
        null,
        null,
        null,
        '',
        '',
        null,
      ]);
    case 'PROCESSLIST':
      return [...context.services.sessions.values()].map((session) => {
        const timeMs = Math.max(0, context.nowMs - session.statementStartMs);
        return [
          session.connectionId,
          session.user,
          session.host,
          session.database ?? null,
          session.killed ? 'Killed' : session.currentSql === undefined ? 'Sleep' : 'Query',
          Math.floor(timeMs / 1000),
          session.currentSql === undefined ? '' : 'executing',
          session.currentSql ?? null,
          timeMs.toFixed(3),
          0,
          0,
          '0.000',
          0,
          0,
          0,
          0,
          session.currentSql === undefined ? null : new TextEncoder().encode(session.currentSql),
          0,
        ];
      });
    case 'ENGINES':
      return [
        [
          'Columnstore',
          'DEFAULT',
          'Column-oriented storage for analytics (DuckDB)',
          'YES',
          'YES',
          'NO',
        ],
        ['Rowstore', 'YES', 'Row-oriented storage for transactions (SQLite)', 'YES', 'YES', 'NO'],
      ];
    case 'CHARACTER_SETS':
      return [
        ['utf8mb3', 'utf8mb3_general_ci', 'UTF-8 Unicode', 3],
        ['utf8mb4', 'utf8mb4_general_ci', 'UTF-8 Unicode', 4],
        ['binary', 'binary', 'Binary pseudo charset', 1],
      ];
    case 'COLLATIONS':
      return [
        ['utf8mb3_general_ci', 'utf8mb3', 33, 'Yes', 'Yes', 1, 'PAD SPACE'],
        ['utf8mb3_bin', 'utf8mb3', 83, '', 'Yes', 1, 'PAD SPACE'],
        ['utf8mb4_general_ci', 'utf8mb4', 45, 'Yes', 'Yes', 1, 'PAD SPACE'],
        ['utf8mb4_bin', 'utf8mb4', 46, '', 'Yes', 1, 'PAD SPACE'],
        ['binary', 'binary', 63, 'Yes', 'Yes', 1, 'NO PAD'],
      ];
    case 'SESSION_VARIABLES':
      return variableRows(context.session.variables);
    case 'GLOBAL_VARIABLES':
      return variableRows(context.services.variables);
    case 'SESSION_STATUS':
    case 'GLOBAL_STATUS':
      return statusValues(context, name === 'GLOBAL_STATUS').map(([variable, value]) => [
        variable.toUpperCase(),
        String(value),
      ]);
    default:
      return [];
  }
}

async function tablesRows(context: StatementContext): Promise<SqlValue[][]> {
  const tables = visibleTables(context);
  const stats = await tableStats(context, tables);
  return [
    ...informationSchemaTables().map((table) =>
      informationSchemaTableRow(table.name, context.nowMs),
    ),
    ...tables.map((table) => tableRow(context, table, stats.get(table))),
  ];
}

/**
 * A table's information_schema.TABLES row (SHOW TABLE STATUS shows the same facts): TABLE_ROWS
 * counted (`table-stats.ts`), AVG_ROW_LENGTH and DATA_LENGTH from the columns' declared widths.
 */
export function tableRow(
  context: StatementContext,
  table: TableDef,
  stats: TableStats | undefined,
): SqlValue[] {
  const { catalog } = context.services;
  const increments = table.columns.some((column) => column.autoIncrement === true);
  const rows = stats?.rows ?? null;
  return [
    'def',
    table.database,
    table.name,
    'BASE TABLE',
    engineName(table),
    10,
    'Dynamic',
    rows,
    rows === null ? null : rows > 0 ? stats!.rowLength : 0,
    rows === null ? null : rows * stats!.rowLength,
    0,
    // INDEX_LENGTH is not kept either.
    null,
    0,
    increments ? catalog.peekAutoIncrement(table.database, table.name) : null,
    isoDateTime(table.createdAtMs),
    null,
    null,
    'utf8mb4_general_ci',
    null,
    table.reference ? 'reference' : '',
    table.comment ?? '',
    0,
    'N',
  ];
}

/** VARIABLE_NAME in upper case, as MariaDB's SESSION_VARIABLES and GLOBAL_VARIABLES show it. */
function variableRows(variables: ReadonlyMap<string, SqlValue>): SqlValue[][] {
  return [...variables.entries()].map(([name, value]) => [
    name.toUpperCase(),
    shownValue(name, value),
  ]);
}

/** The primary key (when there is one) and the unique keys, each with its columns. */
function uniqueKeys(table: TableDef): [string, readonly string[]][] {
  return [
    ...(table.primaryKey.length > 0
      ? [['PRIMARY', table.primaryKey] as [string, readonly string[]]]
      : []),
    ...sortedKeys(table)
      .filter((key) => key.unique)
      .map((key): [string, readonly string[]] => [key.name, key.columns]),
  ];
}

/** KEY_COLUMN_USAGE rows of one unique key (or the primary key) of a table. */
function keyColumnUsage(table: TableDef, name: string, columns: readonly string[]): SqlValue[][] {
  return columns.map((column, index) => [
    'def',
    table.database,
    name,
    'def',
    table.database,
    table.name,
    column,
    index + 1,
    null,
    null,
    null,
    null,
  ]);
}

/**
 * The STATISTICS rows of a table: one per column of its primary key, then of each key in
 * MariaDB's order (`sortedKeys`). SHOW INDEX answers the same rows with fewer columns.
 */
export function statisticsRows(table: TableDef): SqlValue[][] {
  return [
    ...table.primaryKey.map((column, index) =>
      statisticsRow(table, 'PRIMARY', false, index, column),
    ),
    ...sortedKeys(table).flatMap((key) =>
      key.columns.map((column, index) =>
        statisticsRow(table, key.name, key.unique, index, column, key.prefixes?.[index] ?? null),
      ),
    ),
  ];
}

function statisticsRow(
  table: TableDef,
  index: string,
  unique: boolean,
  position: number,
  column: string,
  prefix: number | null = null,
): SqlValue[] {
  const nullable = table.columns.find((candidate) => candidate.name === column)?.nullable === true;
  return [
    'def',
    table.database,
    // SHOW INDEX of a temporary table names it as its session does.
    shownName(table),
    unique || index === 'PRIMARY' ? 0 : 1,
    table.database,
    index,
    position + 1,
    column,
    'A',
    // Cardinality is an estimate; 0 as MariaDB answers for a table it has not analysed.
    0,
    prefix,
    null,
    nullable ? 'YES' : '',
    'BTREE',
    '',
    '',
    // IGNORED; then IS_VISIBLE and EXPRESSION (MySQL 8).
    'NO',
    'YES',
    null,
  ];
}

function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
