/**
 * CREATE TABLE … [AS] SELECT: each result column becomes a table column of the type MySQL
 * derives from it ("CREATE TABLE ... SELECT Statement"): the result's type, length, precision
 * and scale, NOT NULL when the result column cannot be NULL, and BINARY(0) for a column that is
 * always NULL — unless the statement declares a column of its name (`selectColumns`).
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

/**
 * The columns of CREATE TABLE (declared) … SELECT, in MariaDB's order: the declared columns the
 * result does not name, then one per result column — the declared definition of its name, else
 * the derived one — and, for each result column, the table column its values go to.
 */
export function selectColumns(
  declared: readonly AstColumnDef[],
  derived: readonly AstColumnDef[],
): { readonly table: AstColumnDef[]; readonly inserted: string[] } {
  const byName = new Map(declared.map((column) => [column.name.toLowerCase(), column]));
  const named = new Set(derived.map((column) => column.name.toLowerCase()));
  const fromResult = derived.map((column) => byName.get(column.name.toLowerCase()) ?? column);
  return {
    table: [...declared.filter((column) => !named.has(column.name.toLowerCase())), ...fromResult],
    inserted: fromResult.map((column) => column.name),
  };
}
