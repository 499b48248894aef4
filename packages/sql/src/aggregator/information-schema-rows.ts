/** The rows of each information_schema table, generated from the catalog. */
import { columnKey } from '../catalog/column-key.js';
import type { TableDef } from '../catalog/types.js';
import type { SqlType, SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { viewTables } from './view-show.js';

function visibleTables(context: StatementContext): TableDef[] {
  const catalog = context.services.catalog;
  return catalog.databases().flatMap((database) => catalog.tables(database.name));
}

export function generate(context: StatementContext, name: string): SqlValue[][] {
  const catalog = context.services.catalog;
  switch (name) {
    case 'SCHEMATA':
      return [
        ['def', 'information_schema', 'utf8mb3', 'utf8mb3_general_ci', null, 'NO'],
        ...catalog
          .databases()
          .map((db) => ['def', db.name, 'utf8mb4', 'utf8mb4_general_ci', null, 'NO']),
      ];
    case 'TABLES':
      return visibleTables(context).map((table) => [
        'def',
        table.database,
        table.name,
        'BASE TABLE',
        table.storage === 'column' ? 'Columnstore' : 'Rowstore',
        10,
        'Dynamic',
        null,
        null,
        null,
        null,
        null,
        null,
        table.columns.some((column) => column.autoIncrement === true)
          ? catalog.peekAutoIncrement(table.database, table.name)
          : null,
        isoDateTime(table.createdAtMs),
        null,
        null,
        'utf8mb4_general_ci',
        null,
        table.reference ? 'reference' : '',
        table.comment ?? '',
      ]);
    case 'COLUMNS':
      return [...visibleTables(context), ...viewTables(context)].flatMap((table) =>
        table.columns.map((column, index) => {
          const textual = ['char', 'varchar', 'text'].includes(column.type);
          const numeric = [
            'tinyint',
            'smallint',
            'int',
            'bigint',
            'decimal',
            'double',
            'float',
            'bool',
          ].includes(column.type);
          const dataType = column.mysqlType.replace(/\(.*$/, '').replace(/ unsigned$/, '');
          return [
            'def',
            table.database,
            table.name,
            column.name,
            index + 1,
            column.defaultSql === undefined ? null : unquoteDefault(column.defaultSql),
            column.nullable ? 'YES' : 'NO',
            dataType,
            textual ? (column.length ?? null) : null,
            // TEXT and BLOB lengths are bytes already; a VARCHAR holds 4 bytes a character.
            textual && column.length !== undefined
              ? column.type === 'text' || column.type === 'blob'
                ? column.length
                : column.length * 4
              : null,
            numeric ? numericPrecision(column.type, column.precision) : null,
            // DECIMAL(M,D), DOUBLE(M,D) and FLOAT(M,D) show D; a plain DOUBLE or FLOAT NULL.
            numeric
              ? column.type === 'decimal'
                ? (column.scale ?? 0)
                : ['double', 'float'].includes(column.type)
                  ? (column.scale ?? null)
                  : 0
              : null,
            ['datetime', 'timestamp', 'time'].includes(column.type) ? (column.scale ?? 0) : null,
            textual ? 'utf8mb4' : null,
            textual ? 'utf8mb4_general_ci' : null,
            column.mysqlType,
            columnKey(table, column.name),
            column.autoIncrement === true
              ? 'auto_increment'
              : column.onUpdateCurrentTimestamp === true
                ? `on update current_timestamp(${column.scale ?? ''})`
                : '',
            'select,insert,update,references',
            column.comment ?? '',
            '',
            null,
          ];
        }),
      );
    case 'STATISTICS':
      return visibleTables(context).flatMap(statisticsRows);
    case 'KEY_COLUMN_USAGE':
      return visibleTables(context).flatMap((table) => [
        ...keyColumnUsage(table, 'PRIMARY', table.primaryKey),
        ...table.keys
          .filter((key) => key.unique)
          .flatMap((key) => keyColumnUsage(table, key.name, key.columns)),
      ]);
    case 'TABLE_CONSTRAINTS':
      return visibleTables(context).flatMap((table) => [
        ...(table.primaryKey.length > 0
          ? [['def', table.database, 'PRIMARY', table.database, table.name, 'PRIMARY KEY', 'YES']]
          : []),
        ...table.keys
          .filter((key) => key.unique)
          .map((key) => [
            'def',
            table.database,
            key.name,
            table.database,
            table.name,
            'UNIQUE',
            'YES',
          ]),
      ]);
    case 'PROCESSLIST':
      return [...context.services.sessions.values()].map((session) => [
        session.connectionId,
        session.user,
        session.host,
        session.database ?? null,
        session.killed ? 'Killed' : session.currentSql === undefined ? 'Sleep' : 'Query',
        Math.floor((context.nowMs - session.statementStartMs) / 1000),
        session.currentSql === undefined ? '' : 'executing',
        session.currentSql ?? null,
      ]);
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
        ['utf8mb4', 'utf8mb4_general_ci', 'UTF-8 Unicode', 4],
        ['binary', 'binary', 'Binary pseudo charset', 1],
      ];
    case 'COLLATIONS':
      return [
        ['utf8mb4_general_ci', 'utf8mb4', 45, 'Yes', 'Yes', 1, 'PAD SPACE'],
        ['utf8mb4_bin', 'utf8mb4', 46, '', 'Yes', 1, 'PAD SPACE'],
        ['binary', 'binary', 63, 'Yes', 'Yes', 1, 'NO PAD'],
      ];
    default:
      return [];
  }
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
 * The STATISTICS rows of a table: one per column of its primary key, then of each key. SHOW
 * INDEX answers the same rows with fewer columns (show.ts).
 */
export function statisticsRows(table: TableDef): SqlValue[][] {
  return [
    ...table.primaryKey.map((column, index) =>
      statisticsRow(table, 'PRIMARY', false, index, column),
    ),
    ...table.keys.flatMap((key) =>
      key.columns.map((column, index) => statisticsRow(table, key.name, key.unique, index, column)),
    ),
  ];
}

function statisticsRow(
  table: TableDef,
  index: string,
  unique: boolean,
  position: number,
  column: string,
): SqlValue[] {
  const nullable = table.columns.find((candidate) => candidate.name === column)?.nullable === true;
  return [
    'def',
    table.database,
    table.name,
    unique || index === 'PRIMARY' ? 0 : 1,
    table.database,
    index,
    position + 1,
    column,
    'A',
    // Cardinality is an estimate; 0 as MariaDB answers for a table it has not analysed.
    0,
    null,
    null,
    nullable ? 'YES' : '',
    'BTREE',
    '',
    '',
    'YES',
    null,
  ];
}

function numericPrecision(type: SqlType, precision: number | undefined): number | null {
  switch (type) {
    case 'tinyint':
    case 'bool':
      return 3;
    case 'smallint':
      return 5;
    case 'int':
      return 10;
    case 'bigint':
      return 19;
    case 'decimal':
      return precision ?? 10;
    case 'double':
      return precision ?? 22;
    case 'float':
      return precision ?? 12;
    default:
      return null;
  }
}

/** information_schema shows a string default without its quotes. */
export function unquoteDefault(sql: string): string {
  const match = /^'(.*)'$/s.exec(sql);
  return match === null ? sql : (match[1] ?? '').replace(/''/g, "'");
}

function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
