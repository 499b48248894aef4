/**
 * information_schema as virtual tables, generated from the catalog when a query reads them and
 * queried with full SQL on the merge engine. Columns follow MySQL 8 closely enough for ORM
 * introspection (Prisma, SQLAlchemy, TypeORM read SCHEMATA, TABLES, COLUMNS, STATISTICS,
 * KEY_COLUMN_USAGE, TABLE_CONSTRAINTS and REFERENTIAL_CONSTRAINTS).
 */
import { sqlError } from '../errors.js';
import { columnKey } from '../catalog/column-key.js';
import type { TableDef } from '../catalog/types.js';
import type { ColumnMeta, SqlType, SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { viewRows, viewTables } from './view-show.js';

export function isVirtualDatabase(name: string | undefined): boolean {
  return (
    name !== undefined &&
    ['information_schema', 'performance_schema', 'mysql', 'sys'].includes(name.toLowerCase())
  );
}

export interface VirtualTable {
  readonly columns: ColumnMeta[];
  readonly engineColumns: { name: string; engineType: string }[];
  readonly rows: SqlValue[][];
}

type Spec = readonly (readonly [string, SqlType])[];

const S = 'varchar' as const;
const N = 'bigint' as const;

const SPECS: Record<string, Spec> = {
  SCHEMATA: [
    ['CATALOG_NAME', S],
    ['SCHEMA_NAME', S],
    ['DEFAULT_CHARACTER_SET_NAME', S],
    ['DEFAULT_COLLATION_NAME', S],
    ['SQL_PATH', S],
    ['DEFAULT_ENCRYPTION', S],
  ],
  TABLES: [
    ['TABLE_CATALOG', S],
    ['TABLE_SCHEMA', S],
    ['TABLE_NAME', S],
    ['TABLE_TYPE', S],
    ['ENGINE', S],
    ['VERSION', N],
    ['ROW_FORMAT', S],
    ['TABLE_ROWS', N],
    ['AVG_ROW_LENGTH', N],
    ['DATA_LENGTH', N],
    ['MAX_DATA_LENGTH', N],
    ['INDEX_LENGTH', N],
    ['DATA_FREE', N],
    ['AUTO_INCREMENT', N],
    ['CREATE_TIME', 'datetime'],
    ['UPDATE_TIME', 'datetime'],
    ['CHECK_TIME', 'datetime'],
    ['TABLE_COLLATION', S],
    ['CHECKSUM', N],
    ['CREATE_OPTIONS', S],
    ['TABLE_COMMENT', S],
  ],
  COLUMNS: [
    ['TABLE_CATALOG', S],
    ['TABLE_SCHEMA', S],
    ['TABLE_NAME', S],
    ['COLUMN_NAME', S],
    ['ORDINAL_POSITION', N],
    ['COLUMN_DEFAULT', 'text'],
    ['IS_NULLABLE', S],
    ['DATA_TYPE', S],
    ['CHARACTER_MAXIMUM_LENGTH', N],
    ['CHARACTER_OCTET_LENGTH', N],
    ['NUMERIC_PRECISION', N],
    ['NUMERIC_SCALE', N],
    ['DATETIME_PRECISION', N],
    ['CHARACTER_SET_NAME', S],
    ['COLLATION_NAME', S],
    ['COLUMN_TYPE', 'text'],
    ['COLUMN_KEY', S],
    ['EXTRA', S],
    ['PRIVILEGES', S],
    ['COLUMN_COMMENT', 'text'],
    ['GENERATION_EXPRESSION', 'text'],
    ['SRS_ID', N],
  ],
  STATISTICS: [
    ['TABLE_CATALOG', S],
    ['TABLE_SCHEMA', S],
    ['TABLE_NAME', S],
    ['NON_UNIQUE', N],
    ['INDEX_SCHEMA', S],
    ['INDEX_NAME', S],
    ['SEQ_IN_INDEX', 'int'],
    ['COLUMN_NAME', S],
    ['COLLATION', S],
    ['CARDINALITY', N],
    ['SUB_PART', N],
    ['PACKED', S],
    ['NULLABLE', S],
    ['INDEX_TYPE', S],
    ['COMMENT', S],
    ['INDEX_COMMENT', S],
    ['IS_VISIBLE', S],
    ['EXPRESSION', 'text'],
  ],
  KEY_COLUMN_USAGE: [
    ['CONSTRAINT_CATALOG', S],
    ['CONSTRAINT_SCHEMA', S],
    ['CONSTRAINT_NAME', S],
    ['TABLE_CATALOG', S],
    ['TABLE_SCHEMA', S],
    ['TABLE_NAME', S],
    ['COLUMN_NAME', S],
    ['ORDINAL_POSITION', N],
    ['POSITION_IN_UNIQUE_CONSTRAINT', N],
    ['REFERENCED_TABLE_SCHEMA', S],
    ['REFERENCED_TABLE_NAME', S],
    ['REFERENCED_COLUMN_NAME', S],
  ],
  TABLE_CONSTRAINTS: [
    ['CONSTRAINT_CATALOG', S],
    ['CONSTRAINT_SCHEMA', S],
    ['CONSTRAINT_NAME', S],
    ['TABLE_SCHEMA', S],
    ['TABLE_NAME', S],
    ['CONSTRAINT_TYPE', S],
    ['ENFORCED', S],
  ],
  REFERENTIAL_CONSTRAINTS: [
    ['CONSTRAINT_CATALOG', S],
    ['CONSTRAINT_SCHEMA', S],
    ['CONSTRAINT_NAME', S],
    ['UNIQUE_CONSTRAINT_CATALOG', S],
    ['UNIQUE_CONSTRAINT_SCHEMA', S],
    ['UNIQUE_CONSTRAINT_NAME', S],
    ['MATCH_OPTION', S],
    ['UPDATE_RULE', S],
    ['DELETE_RULE', S],
    ['TABLE_NAME', S],
    ['REFERENCED_TABLE_NAME', S],
  ],
  VIEWS: [
    ['TABLE_CATALOG', S],
    ['TABLE_SCHEMA', S],
    ['TABLE_NAME', S],
    ['VIEW_DEFINITION', 'text'],
    ['CHECK_OPTION', S],
    ['IS_UPDATABLE', S],
    ['DEFINER', S],
    ['SECURITY_TYPE', S],
    ['CHARACTER_SET_CLIENT', S],
    ['COLLATION_CONNECTION', S],
    // MariaDB's addition to MySQL's layout.
    ['ALGORITHM', S],
  ],
  ROUTINES: [
    ['SPECIFIC_NAME', S],
    ['ROUTINE_CATALOG', S],
    ['ROUTINE_SCHEMA', S],
    ['ROUTINE_NAME', S],
    ['ROUTINE_TYPE', S],
    ['DATA_TYPE', S],
    ['ROUTINE_DEFINITION', 'text'],
  ],
  TRIGGERS: [
    ['TRIGGER_CATALOG', S],
    ['TRIGGER_SCHEMA', S],
    ['TRIGGER_NAME', S],
    ['EVENT_MANIPULATION', S],
    ['EVENT_OBJECT_SCHEMA', S],
    ['EVENT_OBJECT_TABLE', S],
    ['ACTION_STATEMENT', 'text'],
    ['ACTION_TIMING', S],
  ],
  EVENTS: [
    ['EVENT_CATALOG', S],
    ['EVENT_SCHEMA', S],
    ['EVENT_NAME', S],
  ],
  PARAMETERS: [
    ['SPECIFIC_CATALOG', S],
    ['SPECIFIC_SCHEMA', S],
    ['SPECIFIC_NAME', S],
    ['PARAMETER_NAME', S],
  ],
  PARTITIONS: [
    ['TABLE_CATALOG', S],
    ['TABLE_SCHEMA', S],
    ['TABLE_NAME', S],
    ['PARTITION_NAME', S],
    ['TABLESPACE_NAME', S],
  ],
  // No tablespaces: always empty, but present, since mariadb-dump and mysqldump read it.
  FILES: [
    ['FILE_ID', N],
    ['FILE_NAME', S],
    ['FILE_TYPE', S],
    ['TABLESPACE_NAME', S],
    ['TABLE_SCHEMA', S],
    ['TABLE_NAME', S],
    ['LOGFILE_GROUP_NAME', S],
    ['LOGFILE_GROUP_NUMBER', N],
    ['ENGINE', S],
    ['TOTAL_EXTENTS', N],
    ['EXTENT_SIZE', N],
    ['INITIAL_SIZE', N],
    ['STATUS', S],
    ['EXTRA', S],
  ],
  CHECK_CONSTRAINTS: [
    ['CONSTRAINT_CATALOG', S],
    ['CONSTRAINT_SCHEMA', S],
    ['CONSTRAINT_NAME', S],
    ['CHECK_CLAUSE', 'text'],
  ],
  PROCESSLIST: [
    ['ID', N],
    ['USER', S],
    ['HOST', S],
    ['DB', S],
    ['COMMAND', S],
    ['TIME', N],
    ['STATE', S],
    ['INFO', 'text'],
  ],
  ENGINES: [
    ['ENGINE', S],
    ['SUPPORT', S],
    ['COMMENT', S],
    ['TRANSACTIONS', S],
    ['XA', S],
    ['SAVEPOINTS', S],
  ],
  CHARACTER_SETS: [
    ['CHARACTER_SET_NAME', S],
    ['DEFAULT_COLLATE_NAME', S],
    ['DESCRIPTION', S],
    ['MAXLEN', N],
  ],
  COLLATIONS: [
    ['COLLATION_NAME', S],
    ['CHARACTER_SET_NAME', S],
    ['ID', N],
    ['IS_DEFAULT', S],
    ['IS_COMPILED', S],
    ['SORTLEN', N],
    ['PAD_ATTRIBUTE', S],
  ],
};

/** The columns of an information_schema table (1146 when there is no such table). */
export function virtualColumns(name: string): ColumnMeta[] {
  const upper = name.toUpperCase();
  const spec = SPECS[upper];
  if (spec === undefined)
    throw sqlError('NO_SUCH_TABLE', `Table 'information_schema.${name}' doesn't exist`);
  return spec.map(([column, type]) => ({
    name: column,
    type,
    ...(type === 'varchar' ? { length: 64 } : {}),
    database: 'information_schema',
    table: upper,
    orgTable: upper,
    orgName: column,
  }));
}

export async function virtualTable(context: StatementContext, name: string): Promise<VirtualTable> {
  const upper = name.toUpperCase();
  const spec = SPECS[upper];
  if (spec === undefined)
    throw sqlError('NO_SUCH_TABLE', `Table 'information_schema.${name}' doesn't exist`);
  const columns: ColumnMeta[] = spec.map(([column, type]) => ({
    name: column,
    type,
    ...(type === 'varchar' ? { length: 64 } : {}),
    database: 'information_schema',
    table: upper,
    orgTable: upper,
    orgName: column,
  }));
  const engineColumns = spec.map(([column, type]) => ({
    name: column,
    engineType: engineTypeFor(type),
  }));
  const rows = [...(await Promise.resolve(generate(context, upper))), ...viewRows(context, upper)];
  return { columns, engineColumns, rows };
}

function engineTypeFor(type: SqlType): string {
  switch (type) {
    case 'bigint':
      return 'BIGINT';
    case 'datetime':
      return 'TIMESTAMP';
    default:
      return 'VARCHAR COLLATE NOCASE';
  }
}

function visibleTables(context: StatementContext): TableDef[] {
  const catalog = context.services.catalog;
  return catalog.databases().flatMap((database) => catalog.tables(database.name));
}

function generate(context: StatementContext, name: string): SqlValue[][] {
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
            numeric
              ? column.type === 'decimal'
                ? (column.scale ?? 0)
                : ['double', 'float'].includes(column.type)
                  ? null
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
      return visibleTables(context).flatMap((table) => [
        ...table.primaryKey.map((column, index) =>
          statisticsRow(table, 'PRIMARY', false, index, column),
        ),
        ...table.keys.flatMap((key) =>
          key.columns.map((column, index) =>
            statisticsRow(table, key.name, key.unique, index, column),
          ),
        ),
      ]);
    case 'KEY_COLUMN_USAGE':
      return visibleTables(context).flatMap((table) => [
        ...table.primaryKey.map((column, index) => [
          'def',
          table.database,
          'PRIMARY',
          'def',
          table.database,
          table.name,
          column,
          index + 1,
          null,
          null,
          null,
          null,
        ]),
        ...table.keys
          .filter((key) => key.unique)
          .flatMap((key) =>
            key.columns.map((column, index) => [
              'def',
              table.database,
              key.name,
              'def',
              table.database,
              table.name,
              column,
              index + 1,
              null,
              null,
              null,
              null,
            ]),
          ),
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
      return 22;
    case 'float':
      return 12;
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
