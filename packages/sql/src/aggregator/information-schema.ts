/**
 * information_schema as virtual tables, generated from the catalog when a query reads them and
 * queried with full SQL on the merge engine. Columns are MariaDB 10.11's
 * (`information-schema-specs.ts`), rows are enough for ORM introspection (Prisma, SQLAlchemy,
 * TypeORM, Sequelize and knex read SCHEMATA, TABLES, COLUMNS, STATISTICS, KEY_COLUMN_USAGE,
 * TABLE_CONSTRAINTS, REFERENTIAL_CONSTRAINTS, CHECK_CONSTRAINTS, VIEWS and ROUTINES; admin
 * tools USER_PRIVILEGES, SCHEMA_PRIVILEGES and mysql.user, `privilege-tables.ts`).
 */
import { sqlError } from '../errors.js';
import type { ColumnMeta, SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { viewRows } from './view-show.js';
import { SPECS } from './information-schema-specs.js';
import { generate } from './information-schema-rows.js';
import { MYSQL_USER_COLUMNS, mysqlUserRows } from './privilege-tables.js';

export function isVirtualDatabase(name: string | undefined): boolean {
  return (
    name !== undefined &&
    ['information_schema', 'performance_schema', 'mysql', 'sys'].includes(name.toLowerCase())
  );
}

export interface VirtualTable {
  readonly columns: readonly ColumnMeta[];
  readonly engineColumns: { name: string; engineType: string }[];
  readonly rows: SqlValue[][];
}

/**
 * The columns of an information_schema table: 1109 when information_schema has no such table,
 * as MariaDB answers; 1146 for the other system databases (mysql, sys, performance_schema),
 * whose tables this server does not have but mysql.user.
 */
export function virtualColumns(
  name: string,
  database = 'information_schema',
): readonly ColumnMeta[] {
  const spec =
    database.toLowerCase() === 'information_schema' ? SPECS[name.toUpperCase()] : undefined;
  if (spec !== undefined) return spec;
  if (isMysqlUser(name, database)) return MYSQL_USER_COLUMNS;
  if (database.toLowerCase() === 'information_schema')
    throw sqlError('UNKNOWN_TABLE', `Unknown table '${name}' in information_schema`);
  throw sqlError('NO_SUCH_TABLE', `Table '${database}.${name}' doesn't exist`);
}

export async function virtualTable(
  context: StatementContext,
  name: string,
  database = 'information_schema',
): Promise<VirtualTable> {
  if (isMysqlUser(name, database)) {
    const columns = MYSQL_USER_COLUMNS;
    return { columns, engineColumns: engineColumnsOf(columns), rows: mysqlUserRows(context) };
  }
  const upper = name.toUpperCase();
  const columns = virtualColumns(upper);
  const rows = [...(await Promise.resolve(generate(context, upper))), ...viewRows(context, upper)];
  return { columns, engineColumns: engineColumnsOf(columns), rows };
}

/** mysql.user, the one table of the mysql database here (`privilege-tables.ts`). */
function isMysqlUser(name: string, database: string): boolean {
  return database.toLowerCase() === 'mysql' && name.toLowerCase() === 'user';
}

function engineColumnsOf(columns: readonly ColumnMeta[]): VirtualTable['engineColumns'] {
  return columns.map((column) => ({ name: column.name, engineType: engineTypeFor(column) }));
}

/** The merge engine's type for a column (DuckDB). */
function engineTypeFor(column: ColumnMeta): string {
  switch (column.type) {
    case 'tinyint':
    case 'int':
    case 'bigint':
      return 'BIGINT';
    case 'decimal':
      return `DECIMAL(${column.precision ?? 10},${column.scale ?? 0})`;
    case 'datetime':
      return 'TIMESTAMP';
    case 'blob':
      return 'BLOB';
    default:
      return 'VARCHAR COLLATE NOCASE';
  }
}
