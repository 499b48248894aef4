/**
 * SHOW [FULL] COLUMNS, DESCRIBE and SHOW INDEX|KEYS, as MariaDB answers them: the rows of
 * information_schema.COLUMNS and STATISTICS under their SHOW names, and those tables' column
 * definitions (MariaDB builds these statements on them).
 */
import { columnKey } from '../catalog/column-key.js';
import type { TableDef } from '../catalog/types.js';
import type { ResultRows } from '../protocol/backend.js';
import type { SqlValue } from '../values.js';
import {
  columnCollation,
  columnDefault,
  columnExtra,
  columnPrivileges,
} from './information-schema-columns.js';
import { statisticsRows } from './information-schema-rows.js';
import { infoColumn } from './information-schema-specs.js';
import { rows } from './results.js';

/** SHOW [FULL] COLUMNS / DESCRIBE rows of the columns `like` keeps. */
export function showColumns(
  table: TableDef,
  full: boolean,
  like: (text: string) => boolean,
): ResultRows {
  const values = table.columns
    .filter((meta) => like(meta.name))
    .map((meta): SqlValue[] => [
      meta.name,
      meta.mysqlType,
      ...(full ? [columnCollation(table, meta)] : []),
      meta.nullable ? 'YES' : 'NO',
      columnKey(table, meta.name),
      columnDefault(meta),
      columnExtra(meta),
      ...(full ? [columnPrivileges(table), meta.comment ?? ''] : []),
    ]);
  const column = (name: string, source: string): ReturnType<typeof infoColumn> =>
    infoColumn('COLUMNS', source, name);
  return rows(
    [
      column('Field', 'COLUMN_NAME'),
      column('Type', 'COLUMN_TYPE'),
      ...(full ? [column('Collation', 'COLLATION_NAME')] : []),
      column('Null', 'IS_NULLABLE'),
      column('Key', 'COLUMN_KEY'),
      column('Default', 'COLUMN_DEFAULT'),
      column('Extra', 'EXTRA'),
      ...(full ? [column('Privileges', 'PRIVILEGES'), column('Comment', 'COLUMN_COMMENT')] : []),
    ],
    values,
  );
}

/** STATISTICS columns as SHOW INDEX names them (catalog, schema and index schema left out). */
const INDEX_COLUMNS: readonly (readonly [string, string])[] = [
  ['Table', 'TABLE_NAME'],
  ['Non_unique', 'NON_UNIQUE'],
  ['Key_name', 'INDEX_NAME'],
  ['Seq_in_index', 'SEQ_IN_INDEX'],
  ['Column_name', 'COLUMN_NAME'],
  ['Collation', 'COLLATION'],
  ['Cardinality', 'CARDINALITY'],
  ['Sub_part', 'SUB_PART'],
  ['Packed', 'PACKED'],
  ['Null', 'NULLABLE'],
  ['Index_type', 'INDEX_TYPE'],
  ['Comment', 'COMMENT'],
  ['Index_comment', 'INDEX_COMMENT'],
  ['Ignored', 'IGNORED'],
];

/** SHOW INDEX: information_schema.STATISTICS rows, their positions 2, 3 and 5 to 16. */
export function showIndex(table: TableDef): ResultRows {
  const entries = statisticsRows(table).map((row) => [row[2]!, row[3]!, ...row.slice(5, 17)]);
  return rows(
    INDEX_COLUMNS.map(([name, source]) => infoColumn('STATISTICS', source, name)),
    entries,
  );
}
