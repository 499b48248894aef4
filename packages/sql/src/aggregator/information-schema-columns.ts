/**
 * information_schema.COLUMNS rows and the column facts SHOW COLUMNS shares with them, as
 * MariaDB 10.11 answers: lengths of binary and ENUM/SET columns, integer precisions by type and
 * sign (MEDIUMINT 7 or 8, BIGINT 19 or 20), BIT(M) precision M, YEAR without a precision.
 *
 * COLUMN_DEFAULT keeps MySQL's form (a string default unquoted, no default NULL): MariaDB quotes
 * string defaults and writes 'NULL', but the ORMs that read it (Prisma, TypeORM) unquote only
 * when the server's version names MariaDB, and this server's says 8.0.35 (docs/sql-types.md).
 * Clock defaults are spelled as MariaDB spells them, `current_timestamp(n)`, which both read.
 */
import { columnKey } from '../catalog/column-key.js';
import { stringDefault } from '../catalog/default-literal.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';
import { isInformationSchema } from './information-schema-tables.js';
import { defaultText } from './show-create.js';

/** The type's name without its arguments and attributes: "bigint", "enum", "varbinary". */
export function dataType(column: ColumnDef): string {
  return column.mysqlType.replace(/\(.*$/s, '').replace(/ unsigned$/, '');
}

const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext']);
const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const INTEGER_PRECISION: Readonly<Record<string, readonly [number, number]>> = {
  tinyint: [3, 3],
  smallint: [5, 5],
  mediumint: [7, 8],
  int: [10, 10],
  bigint: [19, 20],
};

/** Characters of a CHAR/VARCHAR/TEXT/ENUM/SET column, bytes of a binary one; else NULL. */
function maximumLength(column: ColumnDef, type: string): number | null {
  if (type === 'enum') return Math.max(0, ...(column.values ?? []).map((value) => value.length));
  if (type === 'set') {
    const values = column.values ?? [];
    return values.reduce((sum, value) => sum + value.length, Math.max(values.length - 1, 0));
  }
  if (TEXT_TYPES.has(type) || BINARY_TYPES.has(type)) return column.length ?? null;
  return null;
}

/**
 * Bytes: a CHAR/VARCHAR/ENUM/SET holds 4 a character (utf8mb4; 3 in information_schema's
 * utf8mb3); TEXT and binary lengths are bytes.
 */
function octetLength(type: string, characters: number | null, bytes: number): number | null {
  if (characters === null) return null;
  return ['char', 'varchar', 'enum', 'set'].includes(type) ? characters * bytes : characters;
}

/**
 * The character set of a table's text columns and what a reader may do with its columns: user
 * tables are utf8mb4; information_schema's own are utf8mb3 and read-only.
 */
function tableFacts(table: TableDef): { charset: string; bytes: number; privileges: string } {
  return isInformationSchema(table.database)
    ? { charset: 'utf8mb3', bytes: 3, privileges: 'select' }
    : { charset: 'utf8mb4', bytes: 4, privileges: 'select,insert,update,references' };
}

/** PRIVILEGES and SHOW FULL COLUMNS' Privileges. */
export function columnPrivileges(table: TableDef): string {
  return tableFacts(table).privileges;
}

function numericPrecision(column: ColumnDef, type: string): number | null {
  const integer = INTEGER_PRECISION[type];
  if (integer !== undefined) return column.unsigned === true ? integer[1] : integer[0];
  if (type === 'decimal') return column.precision ?? 10;
  if (type === 'double') return column.precision ?? 22;
  if (type === 'float') return column.precision ?? 12;
  if (type === 'bit') return Number(/\((\d+)\)/.exec(column.mysqlType)?.[1] ?? 1);
  return null;
}

function numericScale(column: ColumnDef, type: string): number | null {
  if (type in INTEGER_PRECISION) return 0;
  if (type === 'decimal') return column.scale ?? 0;
  if (type === 'double' || type === 'float') return column.scale ?? null;
  return null;
}

function isTextual(type: string): boolean {
  return TEXT_TYPES.has(type) || type === 'enum' || type === 'set';
}

/** EXTRA and SHOW COLUMNS' Extra. */
export function columnExtra(column: ColumnDef): string {
  if (column.autoIncrement === true) return 'auto_increment';
  if (column.onUpdateCurrentTimestamp === true)
    return `on update current_timestamp(${column.scale ?? ''})`;
  return '';
}

/** COLUMN_DEFAULT and SHOW COLUMNS' Default: a string without its quotes, a clock as MariaDB's. */
export function columnDefault(column: ColumnDef): string | null {
  const sql = column.defaultSql;
  if (sql === undefined) return null;
  return stringDefault(sql) ?? defaultText(sql);
}

/** The collation of a column: text columns have the table's (utf8mb4_general_ci). */
export function columnCollation(table: TableDef, column: ColumnDef): string | null {
  return isTextual(dataType(column)) ? `${tableFacts(table).charset}_general_ci` : null;
}

/** One table's (or view's) information_schema.COLUMNS rows, in MariaDB's column order. */
export function columnRows(table: TableDef): SqlValue[][] {
  const facts = tableFacts(table);
  return table.columns.map((column, index) => {
    const type = dataType(column);
    const characters = maximumLength(column, type);
    const textual = isTextual(type);
    return [
      'def',
      table.database,
      table.name,
      column.name,
      index + 1,
      columnDefault(column),
      column.nullable ? 'YES' : 'NO',
      type,
      characters,
      octetLength(type, characters, facts.bytes),
      numericPrecision(column, type),
      numericScale(column, type),
      ['datetime', 'timestamp', 'time'].includes(type) ? (column.scale ?? 0) : null,
      textual ? facts.charset : null,
      textual ? `${facts.charset}_general_ci` : null,
      column.mysqlType,
      columnKey(table, column.name),
      columnExtra(column),
      facts.privileges,
      column.comment ?? '',
      'NEVER',
      null,
      // SRS_ID (MySQL 8).
      null,
    ];
  });
}
