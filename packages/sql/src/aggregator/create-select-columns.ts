/**
 * CREATE TABLE … [AS] SELECT without a column list: each result column becomes a table column
 * of the type MySQL derives from it ("CREATE TABLE ... SELECT Statement"): the result's type,
 * length, precision and scale, NOT NULL when the result column cannot be NULL, and BINARY(0)
 * for a column that is always NULL.
 */
import type { ColumnDef as AstColumnDef, DataType } from '../parser/ast.js';
import type { ColumnMeta } from '../values.js';

/** VARCHAR above this many characters becomes TEXT, as MySQL does for long string results. */
const VARCHAR_LENGTH_MAX = 16_383;

function dataType(meta: ColumnMeta): DataType {
  const unsigned = meta.unsigned === true ? { unsigned: true } : {};
  switch (meta.type) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return {
        name: meta.type.toUpperCase(),
        ...(meta.length !== undefined && meta.length > 0 ? { length: meta.length } : {}),
        ...unsigned,
      };
    case 'bool':
      return { name: 'TINYINT', length: 1 };
    case 'decimal':
      return {
        name: 'DECIMAL',
        precision: Math.max(1, meta.precision ?? 10),
        scale: meta.scale ?? 0,
        ...unsigned,
      };
    case 'double':
    case 'float':
      return { name: meta.type.toUpperCase() };
    case 'char':
    case 'varchar': {
      const length = meta.length ?? 255;
      if (length > VARCHAR_LENGTH_MAX) return { name: 'LONGTEXT' };
      return { name: meta.type.toUpperCase(), length };
    }
    case 'text':
      return { name: 'LONGTEXT' };
    case 'blob':
      return { name: 'LONGBLOB' };
    case 'datetime':
    case 'timestamp':
    case 'time':
      return {
        name: meta.type.toUpperCase(),
        ...(meta.scale !== undefined && meta.scale > 0 ? { scale: meta.scale } : {}),
      };
    case 'date':
      return { name: 'DATE' };
    case 'json':
      return { name: 'JSON' };
    case 'null':
      return { name: 'BINARY', length: 0 };
  }
}

export function columnsFromResult(columns: readonly ColumnMeta[]): AstColumnDef[] {
  return columns.map((meta) => ({
    name: meta.name,
    type: dataType(meta),
    ...(meta.nullable === false && meta.type !== 'null' ? { notNull: true } : {}),
  }));
}
