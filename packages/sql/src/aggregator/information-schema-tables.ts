/**
 * information_schema's own tables as table definitions, so that they can be introspected as
 * MariaDB lets them be: SHOW [FULL] TABLES FROM information_schema (SYSTEM VIEW), SHOW COLUMNS
 * and DESCRIBE of one, and their rows in information_schema.TABLES and COLUMNS (utf8mb3 text,
 * the `select` privilege).
 */
import type { ColumnDef, TableDef } from '../catalog/types.js';
import type { ColumnMeta, SqlValue } from '../values.js';
import { COLUMN_TYPES, SPECS } from './information-schema-specs.js';

export const INFORMATION_SCHEMA = 'information_schema';

export function isInformationSchema(database: string | undefined): boolean {
  return database?.toLowerCase() === INFORMATION_SCHEMA;
}

/** LONGTEXT holds up to 4 GiB: its CHARACTER_MAXIMUM_LENGTH. */
const LONGTEXT_LENGTH = 4_294_967_295;

function columnDef(meta: ColumnMeta, mysqlType: string): ColumnDef {
  return {
    name: meta.name,
    type: meta.type,
    mysqlType,
    ...(meta.type === 'text'
      ? { length: LONGTEXT_LENGTH }
      : meta.length === undefined
        ? {}
        : { length: meta.length }),
    ...(meta.precision === undefined ? {} : { precision: meta.precision }),
    ...(meta.scale === undefined ? {} : { scale: meta.scale }),
    ...(meta.unsigned === true ? { unsigned: true } : {}),
    ...(meta.type === 'blob' ? { binary: true } : {}),
    nullable: meta.nullable !== false,
  };
}

function tableDef(name: string, columns: readonly ColumnMeta[]): TableDef {
  const types = COLUMN_TYPES[name] ?? [];
  return {
    database: INFORMATION_SCHEMA,
    name,
    storage: 'row',
    reference: false,
    columns: columns.map((meta, index) => columnDef(meta, types[index] ?? meta.type)),
    primaryKey: [],
    keys: [],
    shardKey: [],
    sortKey: [],
    id: 0,
    createdAtMs: 0,
  };
}

/** Every information_schema table, in name order. */
export function informationSchemaTables(): TableDef[] {
  return Object.entries(SPECS)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, columns]) => tableDef(name, columns));
}

/** One information_schema table, by any case of its name. */
export function informationSchemaTable(name: string): TableDef | undefined {
  const columns = SPECS[name.toUpperCase()];
  return columns === undefined ? undefined : tableDef(name.toUpperCase(), columns);
}

/**
 * An information_schema table's row in information_schema.TABLES: a SYSTEM VIEW, temporary,
 * created when read, in utf8mb3 (MariaDB keeps some in Aria rather than MEMORY, with sizes).
 */
export function informationSchemaTableRow(name: string, nowMs: number): SqlValue[] {
  return [
    'def',
    INFORMATION_SCHEMA,
    name,
    'SYSTEM VIEW',
    'MEMORY',
    11,
    'Fixed',
    null,
    null,
    null,
    null,
    null,
    0,
    null,
    new Date(nowMs).toISOString().slice(0, 19).replace('T', ' '),
    null,
    null,
    'utf8mb3_general_ci',
    null,
    '',
    '',
    0,
    'Y',
  ];
}

/** SHOW CREATE TABLE of an information_schema table, in MariaDB's words. */
export function showCreateInformationSchema(table: TableDef): string {
  const lines = table.columns.map(
    (column) => `  \`${column.name}\` ${column.mysqlType}${column.nullable ? '' : ' NOT NULL'}`,
  );
  return `CREATE TEMPORARY TABLE \`${table.name}\` (\n${lines.join(',\n')}\n) ENGINE=MEMORY DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci`;
}
