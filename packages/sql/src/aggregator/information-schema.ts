/**
 * information_schema as virtual tables, generated from the catalog when a query reads them and
 * queried with full SQL on the merge engine. Columns follow MySQL 8 closely enough for ORM
 * introspection (Prisma, SQLAlchemy, TypeORM read SCHEMATA, TABLES, COLUMNS, STATISTICS,
 * KEY_COLUMN_USAGE, TABLE_CONSTRAINTS and REFERENTIAL_CONSTRAINTS).
 */
import { sqlError } from '../errors.js';
import type { ColumnMeta, SqlType, SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { viewRows } from './view-show.js';
import { SPECS } from './information-schema-specs.js';
import { generate } from './information-schema-rows.js';

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
