/**
 * The columns of each information_schema table, declared as MariaDB 10.11 declares them
 * (`DESCRIBE information_schema.COLUMNS` there), in its order: clients see MariaDB's names,
 * types, lengths and NOT NULL flags. A few MySQL 8 columns that tools read when they take the
 * server for MySQL 8 (its version says 8.0.35) follow MariaDB's, marked below.
 */
import type { ColumnMeta, SqlType } from '../values.js';

const DECLARATIONS: Record<string, string> = {
  SCHEMATA: `
    CATALOG_NAME varchar(512) NOT NULL, SCHEMA_NAME varchar(64) NOT NULL,
    DEFAULT_CHARACTER_SET_NAME varchar(32) NOT NULL, DEFAULT_COLLATION_NAME varchar(64) NOT NULL,
    SQL_PATH varchar(512), SCHEMA_COMMENT varchar(1024) NOT NULL,
    -- MySQL 8's, after MariaDB's columns
    DEFAULT_ENCRYPTION varchar(3) NOT NULL`,
  TABLES: `
    TABLE_CATALOG varchar(512) NOT NULL, TABLE_SCHEMA varchar(64) NOT NULL,
    TABLE_NAME varchar(64) NOT NULL, TABLE_TYPE varchar(64) NOT NULL, ENGINE varchar(64),
    VERSION bigint(21) unsigned, ROW_FORMAT varchar(10), TABLE_ROWS bigint(21) unsigned,
    AVG_ROW_LENGTH bigint(21) unsigned, DATA_LENGTH bigint(21) unsigned,
    MAX_DATA_LENGTH bigint(21) unsigned, INDEX_LENGTH bigint(21) unsigned,
    DATA_FREE bigint(21) unsigned, AUTO_INCREMENT bigint(21) unsigned, CREATE_TIME datetime,
    UPDATE_TIME datetime, CHECK_TIME datetime, TABLE_COLLATION varchar(64),
    CHECKSUM bigint(21) unsigned, CREATE_OPTIONS varchar(2048),
    TABLE_COMMENT varchar(2048) NOT NULL, MAX_INDEX_LENGTH bigint(21) unsigned,
    TEMPORARY varchar(1)`,
  COLUMNS: `
    TABLE_CATALOG varchar(512) NOT NULL, TABLE_SCHEMA varchar(64) NOT NULL,
    TABLE_NAME varchar(64) NOT NULL, COLUMN_NAME varchar(64) NOT NULL,
    ORDINAL_POSITION bigint(21) unsigned NOT NULL, COLUMN_DEFAULT longtext(196596),
    IS_NULLABLE varchar(3) NOT NULL, DATA_TYPE varchar(64) NOT NULL,
    CHARACTER_MAXIMUM_LENGTH bigint(21) unsigned, CHARACTER_OCTET_LENGTH bigint(21) unsigned,
    NUMERIC_PRECISION bigint(21) unsigned, NUMERIC_SCALE bigint(21) unsigned,
    DATETIME_PRECISION bigint(21) unsigned, CHARACTER_SET_NAME varchar(32),
    COLLATION_NAME varchar(64), COLUMN_TYPE longtext NOT NULL, COLUMN_KEY varchar(3) NOT NULL,
    EXTRA varchar(80) NOT NULL, PRIVILEGES varchar(80) NOT NULL,
    COLUMN_COMMENT varchar(1024) NOT NULL, IS_GENERATED varchar(6) NOT NULL,
    GENERATION_EXPRESSION longtext(196596),
    -- MySQL 8's, after MariaDB's columns
    SRS_ID int(10) unsigned`,
  STATISTICS: `
    TABLE_CATALOG varchar(512) NOT NULL, TABLE_SCHEMA varchar(64) NOT NULL,
    TABLE_NAME varchar(64) NOT NULL, NON_UNIQUE bigint(1) NOT NULL,
    INDEX_SCHEMA varchar(64) NOT NULL, INDEX_NAME varchar(64) NOT NULL,
    SEQ_IN_INDEX int(2) unsigned NOT NULL, COLUMN_NAME varchar(64) NOT NULL, COLLATION varchar(1),
    CARDINALITY bigint(21), SUB_PART bigint(3), PACKED varchar(10), NULLABLE varchar(3) NOT NULL,
    INDEX_TYPE varchar(16) NOT NULL, COMMENT varchar(16), INDEX_COMMENT varchar(1024) NOT NULL,
    IGNORED varchar(3) NOT NULL,
    -- MySQL 8's, after MariaDB's columns
    IS_VISIBLE varchar(3) NOT NULL, EXPRESSION longtext`,
  KEY_COLUMN_USAGE: `
    CONSTRAINT_CATALOG varchar(512) NOT NULL, CONSTRAINT_SCHEMA varchar(64) NOT NULL,
    CONSTRAINT_NAME varchar(64) NOT NULL, TABLE_CATALOG varchar(512) NOT NULL,
    TABLE_SCHEMA varchar(64) NOT NULL, TABLE_NAME varchar(64) NOT NULL,
    COLUMN_NAME varchar(64) NOT NULL, ORDINAL_POSITION bigint(10) NOT NULL,
    POSITION_IN_UNIQUE_CONSTRAINT bigint(10), REFERENCED_TABLE_SCHEMA varchar(64),
    REFERENCED_TABLE_NAME varchar(64), REFERENCED_COLUMN_NAME varchar(64)`,
  TABLE_CONSTRAINTS: `
    CONSTRAINT_CATALOG varchar(512) NOT NULL, CONSTRAINT_SCHEMA varchar(64) NOT NULL,
    CONSTRAINT_NAME varchar(64) NOT NULL, TABLE_SCHEMA varchar(64) NOT NULL,
    TABLE_NAME varchar(64) NOT NULL, CONSTRAINT_TYPE varchar(64) NOT NULL,
    -- MySQL 8's, after MariaDB's columns
    ENFORCED varchar(3) NOT NULL`,
  REFERENTIAL_CONSTRAINTS: `
    CONSTRAINT_CATALOG varchar(512) NOT NULL, CONSTRAINT_SCHEMA varchar(64) NOT NULL,
    CONSTRAINT_NAME varchar(64) NOT NULL, UNIQUE_CONSTRAINT_CATALOG varchar(512) NOT NULL,
    UNIQUE_CONSTRAINT_SCHEMA varchar(64) NOT NULL, UNIQUE_CONSTRAINT_NAME varchar(64),
    MATCH_OPTION varchar(64) NOT NULL, UPDATE_RULE varchar(64) NOT NULL,
    DELETE_RULE varchar(64) NOT NULL, TABLE_NAME varchar(64) NOT NULL,
    REFERENCED_TABLE_NAME varchar(64)`,
  CHECK_CONSTRAINTS: `
    CONSTRAINT_CATALOG varchar(512) NOT NULL, CONSTRAINT_SCHEMA varchar(64) NOT NULL,
    TABLE_NAME varchar(64) NOT NULL, CONSTRAINT_NAME varchar(64) NOT NULL,
    LEVEL varchar(6) NOT NULL, CHECK_CLAUSE longtext(196596) NOT NULL`,
  VIEWS: `
    TABLE_CATALOG varchar(512) NOT NULL, TABLE_SCHEMA varchar(64) NOT NULL,
    TABLE_NAME varchar(64) NOT NULL, VIEW_DEFINITION longtext NOT NULL,
    CHECK_OPTION varchar(8) NOT NULL, IS_UPDATABLE varchar(3) NOT NULL,
    DEFINER varchar(384) NOT NULL, SECURITY_TYPE varchar(7) NOT NULL,
    CHARACTER_SET_CLIENT varchar(32) NOT NULL, COLLATION_CONNECTION varchar(64) NOT NULL,
    ALGORITHM varchar(10) NOT NULL`,
  ROUTINES: `
    SPECIFIC_NAME varchar(64) NOT NULL, ROUTINE_CATALOG varchar(512) NOT NULL,
    ROUTINE_SCHEMA varchar(64) NOT NULL, ROUTINE_NAME varchar(64) NOT NULL,
    ROUTINE_TYPE varchar(13) NOT NULL, DATA_TYPE varchar(64) NOT NULL,
    CHARACTER_MAXIMUM_LENGTH int(21), CHARACTER_OCTET_LENGTH int(21), NUMERIC_PRECISION int(21),
    NUMERIC_SCALE int(21), DATETIME_PRECISION bigint(21) unsigned, CHARACTER_SET_NAME varchar(64),
    COLLATION_NAME varchar(64), DTD_IDENTIFIER longtext, ROUTINE_BODY varchar(8) NOT NULL,
    ROUTINE_DEFINITION longtext, EXTERNAL_NAME varchar(64), EXTERNAL_LANGUAGE varchar(64),
    PARAMETER_STYLE varchar(8) NOT NULL, IS_DETERMINISTIC varchar(3) NOT NULL,
    SQL_DATA_ACCESS varchar(64) NOT NULL, SQL_PATH varchar(64), SECURITY_TYPE varchar(7) NOT NULL,
    CREATED datetime NOT NULL, LAST_ALTERED datetime NOT NULL, SQL_MODE varchar(8192) NOT NULL,
    ROUTINE_COMMENT longtext NOT NULL, DEFINER varchar(384) NOT NULL,
    CHARACTER_SET_CLIENT varchar(32) NOT NULL, COLLATION_CONNECTION varchar(64) NOT NULL,
    DATABASE_COLLATION varchar(64) NOT NULL`,
  PARAMETERS: `
    SPECIFIC_CATALOG varchar(512) NOT NULL, SPECIFIC_SCHEMA varchar(64) NOT NULL,
    SPECIFIC_NAME varchar(64) NOT NULL, ORDINAL_POSITION int(21) NOT NULL,
    PARAMETER_MODE varchar(5), PARAMETER_NAME varchar(64), DATA_TYPE varchar(64) NOT NULL,
    CHARACTER_MAXIMUM_LENGTH int(21), CHARACTER_OCTET_LENGTH int(21), NUMERIC_PRECISION int(21),
    NUMERIC_SCALE int(21), DATETIME_PRECISION bigint(21) unsigned, CHARACTER_SET_NAME varchar(64),
    COLLATION_NAME varchar(64), DTD_IDENTIFIER longtext NOT NULL, ROUTINE_TYPE varchar(9) NOT NULL`,
  TRIGGERS: `
    TRIGGER_CATALOG varchar(512) NOT NULL, TRIGGER_SCHEMA varchar(64) NOT NULL,
    TRIGGER_NAME varchar(64) NOT NULL, EVENT_MANIPULATION varchar(6) NOT NULL,
    EVENT_OBJECT_CATALOG varchar(512) NOT NULL, EVENT_OBJECT_SCHEMA varchar(64) NOT NULL,
    EVENT_OBJECT_TABLE varchar(64) NOT NULL, ACTION_ORDER bigint(4) NOT NULL,
    ACTION_CONDITION longtext, ACTION_STATEMENT longtext, ACTION_ORIENTATION varchar(9) NOT NULL,
    ACTION_TIMING varchar(6) NOT NULL, ACTION_REFERENCE_OLD_TABLE varchar(64),
    ACTION_REFERENCE_NEW_TABLE varchar(64), ACTION_REFERENCE_OLD_ROW varchar(3) NOT NULL,
    ACTION_REFERENCE_NEW_ROW varchar(3) NOT NULL, CREATED datetime(2),
    SQL_MODE varchar(8192) NOT NULL, DEFINER varchar(384),
    CHARACTER_SET_CLIENT varchar(32) NOT NULL, COLLATION_CONNECTION varchar(64) NOT NULL,
    DATABASE_COLLATION varchar(64) NOT NULL`,
  EVENTS: `
    EVENT_CATALOG varchar(64) NOT NULL, EVENT_SCHEMA varchar(64) NOT NULL,
    EVENT_NAME varchar(64) NOT NULL, DEFINER varchar(384) NOT NULL, TIME_ZONE varchar(64) NOT NULL,
    EVENT_BODY varchar(8) NOT NULL, EVENT_DEFINITION longtext NOT NULL,
    EVENT_TYPE varchar(9) NOT NULL, EXECUTE_AT datetime, INTERVAL_VALUE varchar(256),
    INTERVAL_FIELD varchar(18), SQL_MODE varchar(8192) NOT NULL, STARTS datetime, ENDS datetime,
    STATUS varchar(18) NOT NULL, ON_COMPLETION varchar(12) NOT NULL, CREATED datetime NOT NULL,
    LAST_ALTERED datetime NOT NULL, LAST_EXECUTED datetime, EVENT_COMMENT varchar(64) NOT NULL,
    ORIGINATOR bigint(10) NOT NULL, CHARACTER_SET_CLIENT varchar(32) NOT NULL,
    COLLATION_CONNECTION varchar(64) NOT NULL, DATABASE_COLLATION varchar(64) NOT NULL`,
  PARTITIONS: `
    TABLE_CATALOG varchar(512) NOT NULL, TABLE_SCHEMA varchar(64) NOT NULL,
    TABLE_NAME varchar(64) NOT NULL, PARTITION_NAME varchar(64), SUBPARTITION_NAME varchar(64),
    PARTITION_ORDINAL_POSITION bigint(21) unsigned,
    SUBPARTITION_ORDINAL_POSITION bigint(21) unsigned, PARTITION_METHOD varchar(18),
    SUBPARTITION_METHOD varchar(12), PARTITION_EXPRESSION longtext,
    SUBPARTITION_EXPRESSION longtext, PARTITION_DESCRIPTION longtext,
    TABLE_ROWS bigint(21) unsigned NOT NULL, AVG_ROW_LENGTH bigint(21) unsigned NOT NULL,
    DATA_LENGTH bigint(21) unsigned NOT NULL, MAX_DATA_LENGTH bigint(21) unsigned,
    INDEX_LENGTH bigint(21) unsigned NOT NULL, DATA_FREE bigint(21) unsigned NOT NULL,
    CREATE_TIME datetime, UPDATE_TIME datetime, CHECK_TIME datetime, CHECKSUM bigint(21) unsigned,
    PARTITION_COMMENT varchar(80) NOT NULL, NODEGROUP varchar(12) NOT NULL,
    TABLESPACE_NAME varchar(64)`,
  FILES: `
    FILE_ID bigint(4) NOT NULL, FILE_NAME varchar(512), FILE_TYPE varchar(20) NOT NULL,
    TABLESPACE_NAME varchar(64), TABLE_CATALOG varchar(64) NOT NULL, TABLE_SCHEMA varchar(64),
    TABLE_NAME varchar(64), LOGFILE_GROUP_NAME varchar(64), LOGFILE_GROUP_NUMBER bigint(4),
    ENGINE varchar(64) NOT NULL, FULLTEXT_KEYS varchar(64), DELETED_ROWS bigint(4),
    UPDATE_COUNT bigint(4), FREE_EXTENTS bigint(4), TOTAL_EXTENTS bigint(4),
    EXTENT_SIZE bigint(4) NOT NULL, INITIAL_SIZE bigint(21) unsigned,
    MAXIMUM_SIZE bigint(21) unsigned, AUTOEXTEND_SIZE bigint(21) unsigned, CREATION_TIME datetime,
    LAST_UPDATE_TIME datetime, LAST_ACCESS_TIME datetime, RECOVER_TIME bigint(4),
    TRANSACTION_COUNTER bigint(4), VERSION bigint(21) unsigned, ROW_FORMAT varchar(10),
    TABLE_ROWS bigint(21) unsigned, AVG_ROW_LENGTH bigint(21) unsigned,
    DATA_LENGTH bigint(21) unsigned, MAX_DATA_LENGTH bigint(21) unsigned,
    INDEX_LENGTH bigint(21) unsigned, DATA_FREE bigint(21) unsigned, CREATE_TIME datetime,
    UPDATE_TIME datetime, CHECK_TIME datetime, CHECKSUM bigint(21) unsigned,
    STATUS varchar(20) NOT NULL, EXTRA varchar(255)`,
  PROCESSLIST: `
    ID bigint(4) NOT NULL, USER varchar(128) NOT NULL, HOST varchar(64) NOT NULL, DB varchar(64),
    COMMAND varchar(16) NOT NULL, TIME int(7) NOT NULL, STATE varchar(64), INFO longtext,
    TIME_MS decimal(22,3) NOT NULL, STAGE tinyint(2) NOT NULL, MAX_STAGE tinyint(2) NOT NULL,
    PROGRESS decimal(7,3) NOT NULL, MEMORY_USED bigint(7) NOT NULL,
    MAX_MEMORY_USED bigint(7) NOT NULL, EXAMINED_ROWS int(7) NOT NULL, QUERY_ID bigint(4) NOT NULL,
    INFO_BINARY blob, TID bigint(4) NOT NULL`,
  ENGINES: `
    ENGINE varchar(64) NOT NULL, SUPPORT varchar(8) NOT NULL, COMMENT varchar(160) NOT NULL,
    TRANSACTIONS varchar(3), XA varchar(3), SAVEPOINTS varchar(3)`,
  CHARACTER_SETS: `
    CHARACTER_SET_NAME varchar(32) NOT NULL, DEFAULT_COLLATE_NAME varchar(64) NOT NULL,
    DESCRIPTION varchar(60) NOT NULL, MAXLEN bigint(3) NOT NULL`,
  COLLATIONS: `
    COLLATION_NAME varchar(64) NOT NULL, CHARACTER_SET_NAME varchar(32), ID bigint(11),
    IS_DEFAULT varchar(3), IS_COMPILED varchar(3) NOT NULL, SORTLEN bigint(3) NOT NULL,
    -- MySQL 8's, after MariaDB's columns
    PAD_ATTRIBUTE varchar(9) NOT NULL`,
  USER_PRIVILEGES: `
    GRANTEE varchar(385) NOT NULL, TABLE_CATALOG varchar(512) NOT NULL,
    PRIVILEGE_TYPE varchar(64) NOT NULL, IS_GRANTABLE varchar(3) NOT NULL`,
  SCHEMA_PRIVILEGES: `
    GRANTEE varchar(385) NOT NULL, TABLE_CATALOG varchar(512) NOT NULL,
    TABLE_SCHEMA varchar(64) NOT NULL, PRIVILEGE_TYPE varchar(64) NOT NULL,
    IS_GRANTABLE varchar(3) NOT NULL`,
  TABLE_PRIVILEGES: `
    GRANTEE varchar(385) NOT NULL, TABLE_CATALOG varchar(512) NOT NULL,
    TABLE_SCHEMA varchar(64) NOT NULL, TABLE_NAME varchar(64) NOT NULL,
    PRIVILEGE_TYPE varchar(64) NOT NULL, IS_GRANTABLE varchar(3) NOT NULL`,
  COLUMN_PRIVILEGES: `
    GRANTEE varchar(385) NOT NULL, TABLE_CATALOG varchar(512) NOT NULL,
    TABLE_SCHEMA varchar(64) NOT NULL, TABLE_NAME varchar(64) NOT NULL,
    COLUMN_NAME varchar(64) NOT NULL, PRIVILEGE_TYPE varchar(64) NOT NULL,
    IS_GRANTABLE varchar(3) NOT NULL`,
  SESSION_VARIABLES: `
    VARIABLE_NAME varchar(64) NOT NULL, VARIABLE_VALUE varchar(4096) NOT NULL`,
  GLOBAL_VARIABLES: `
    VARIABLE_NAME varchar(64) NOT NULL, VARIABLE_VALUE varchar(4096) NOT NULL`,
  SESSION_STATUS: `
    VARIABLE_NAME varchar(64) NOT NULL, VARIABLE_VALUE varchar(4096) NOT NULL`,
  GLOBAL_STATUS: `
    VARIABLE_NAME varchar(64) NOT NULL, VARIABLE_VALUE varchar(4096) NOT NULL`,
};

/** Longtext columns are 196,605 characters long in MariaDB's information_schema. */
const LONGTEXT_CHARS = 196_605;

/** One declaration (`NAME type[(n[,d])][ unsigned][ NOT NULL]`) as a column of the table. */
export function parseColumn(
  table: string,
  text: string,
  database = 'information_schema',
): ColumnMeta {
  const match = /^(\w+) (\w+)(?:\((\d+)(?:,(\d+))?\))?( unsigned)?( NOT NULL)?$/.exec(text);
  if (match === null) throw new Error(`bad information_schema declaration: ${text}`);
  const [, name = '', kind = '', first, second, unsigned, notNull] = match;
  const size = first === undefined ? undefined : Number(first);
  const shapes: Record<string, { type: SqlType } & Partial<ColumnMeta>> = {
    varchar: { type: 'varchar', length: size ?? 1 },
    longtext: { type: 'text', length: size ?? LONGTEXT_CHARS },
    blob: { type: 'blob', length: 65_535 },
    tinyint: { type: 'tinyint', length: size ?? 4 },
    int: { type: 'int', length: size ?? 11 },
    bigint: { type: 'bigint', length: size ?? 20 },
    decimal: { type: 'decimal', precision: size ?? 10, scale: Number(second ?? 0) },
    datetime: { type: 'datetime', ...(size === undefined ? {} : { scale: size }) },
  };
  const shape = shapes[kind];
  if (shape === undefined) throw new Error(`bad information_schema type: ${text}`);
  return {
    ...shape,
    name,
    ...(unsigned === undefined ? {} : { unsigned: true }),
    nullable: notNull === undefined,
    noDefaultValue: true,
    database,
    table,
    orgTable: table,
    orgName: name,
  };
}

/** A table's declarations, one a column: `NAME type[ unsigned][ NOT NULL]`. */
function declarationsOf(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join(' ')
    .split(/,\s+(?=[A-Z_]+ [a-z])/)
    .map((declaration) => declaration.trim().replace(/,$/, ''));
}

/** The columns of each information_schema table, by upper-case name. */
export const SPECS: Readonly<Record<string, readonly ColumnMeta[]>> = Object.fromEntries(
  Object.entries(DECLARATIONS).map(([table, text]) => [
    table,
    declarationsOf(text).map((declaration) => parseColumn(table, declaration)),
  ]),
);

/**
 * The type of each column as SHOW COLUMNS prints it (`varchar(64)`, `bigint(21) unsigned`,
 * `longtext`), by upper-case table name.
 */
export const COLUMN_TYPES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(DECLARATIONS).map(([table, text]) => [
    table,
    declarationsOf(text).map((declaration) =>
      declaration
        .replace(/^\w+ /, '')
        .replace(/ NOT NULL$/, '')
        .replace(/^longtext\(\d+\)$/, 'longtext'),
    ),
  ]),
);

/** A column of an information_schema table, renamed as a SHOW statement shows it. */
export function infoColumn(table: string, column: string, name = column): ColumnMeta {
  const found = SPECS[table]?.find((candidate) => candidate.name === column);
  if (found === undefined) throw new Error(`no information_schema column ${table}.${column}`);
  return name === column ? found : { ...found, name };
}
