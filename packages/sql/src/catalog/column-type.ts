/**
 * MySQL column types: how a declared type maps to the data plane's value types, how SHOW
 * prints it, and which type each engine stores it as.
 *
 * Engine choices:
 * - Text is declared `COLLATE NOCASE` in both engines, because MySQL's default collation
 *   (utf8mb4_general_ci) compares, groups and sorts case-insensitively.
 * - SQLite keeps DECIMAL as REAL, so comparisons and arithmetic in SQLite are numeric; values
 *   are exact to about 15 significant digits there and are printed at the column's scale.
 *   Columnstore (DuckDB) decimals are exact.
 * - Dates and times are canonical TEXT in SQLite ("YYYY-MM-DD HH:MM:SS"), which compares in
 *   time order; DuckDB keeps them native. TIME is the exception: DuckDB keeps it as an INTERVAL
 *   of microseconds (MySQL's TIME is a signed duration up to 838:59:59.999999), and SQLite's
 *   TIME text ("-01:02:03", "100:00:00") is compared and sorted through exo_time_key().
 */
import type { DataType } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import type { SqlType } from '../values.js';
import { checkScaleFits, resolveFloatType } from './float-type.js';

export interface ResolvedType {
  readonly type: SqlType;
  readonly mysqlType: string;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly unsigned?: boolean;
  readonly binary?: boolean;
  readonly values?: readonly string[];
  /** Kept as a DuckDB TIME (see ColumnDef.legacyTime). */
  readonly legacyTime?: boolean;
}

const INTEGER_WIDTH: Record<string, [number, number]> = {
  TINYINT: [4, 3],
  SMALLINT: [6, 5],
  MEDIUMINT: [9, 8],
  INT: [11, 10],
  BIGINT: [20, 20],
};

const DECIMAL_PRECISION_MAX = 38;

/** MySQL's DECIMAL limit; the engines hold 38 digits (a wider column is 1235). */
const MYSQL_DECIMAL_PRECISION_MAX = 65;
/** A row holds 65,535 bytes; a utf8mb4 character takes up to 4. */
const VARCHAR_CHARACTERS_MAX = 16_383;

/** VARCHAR(n) past a row's bytes is 1074, as in MySQL's strict mode. */
function checkVarcharLength(column: string, length: number): void {
  if (length <= VARCHAR_CHARACTERS_MAX) return;
  throw sqlError(
    'TOO_BIG_FIELDLENGTH',
    `Column length too big for column '${column}' (max = ${VARCHAR_CHARACTERS_MAX}); use BLOB or TEXT instead`,
  );
}

export function resolveColumnType(declared: DataType, column: string): ResolvedType {
  const name = declared.name;
  const unsigned = declared.unsigned === true;
  const sign = unsigned ? ' unsigned' : '';
  const width = INTEGER_WIDTH[name];
  if (width !== undefined) {
    const display = declared.length ?? (unsigned ? width[1] : width[0]);
    const type: SqlType =
      name === 'TINYINT'
        ? 'tinyint'
        : name === 'SMALLINT'
          ? 'smallint'
          : name === 'BIGINT'
            ? 'bigint'
            : 'int';
    return {
      type,
      mysqlType: `${name.toLowerCase()}(${display})${sign}`,
      length: display,
      unsigned,
    };
  }
  switch (name) {
    case 'BOOL':
      return { type: 'bool', mysqlType: 'tinyint(1)', length: 1 };
    case 'BIT':
      return { type: 'bigint', mysqlType: `bit(${declared.length ?? 1})`, unsigned: true };
    case 'YEAR':
      return { type: 'smallint', mysqlType: 'year(4)', length: 4, unsigned: true };
    case 'DECIMAL': {
      const precision = declared.precision ?? declared.length ?? 10;
      const scale = declared.scale ?? 0;
      checkScaleFits(column, precision, scale);
      if (precision > MYSQL_DECIMAL_PRECISION_MAX)
        throw sqlError(
          'TOO_BIG_PRECISION',
          `Too big precision specified for '${column}'. Maximum is ${MYSQL_DECIMAL_PRECISION_MAX}`,
        );
      if (precision > DECIMAL_PRECISION_MAX) {
        throw sqlError(
          'NOT_SUPPORTED',
          `DECIMAL precision ${precision} is larger than the supported maximum of ${DECIMAL_PRECISION_MAX}`,
        );
      }
      return {
        type: 'decimal',
        mysqlType: `decimal(${precision},${scale})${sign}`,
        precision,
        scale,
        unsigned,
      };
    }
    case 'DOUBLE':
    case 'FLOAT':
      return resolveFloatType(declared, column);
    case 'CHAR':
      return {
        type: 'char',
        mysqlType: `char(${declared.length ?? 1})`,
        length: declared.length ?? 1,
      };
    case 'VARCHAR':
      checkVarcharLength(column, declared.length ?? 255);
      return {
        type: 'varchar',
        mysqlType: `varchar(${declared.length ?? 255})`,
        length: declared.length ?? 255,
      };
    case 'BINARY':
      return {
        type: 'blob',
        mysqlType: `binary(${declared.length ?? 1})`,
        length: declared.length ?? 1,
        binary: true,
      };
    case 'VARBINARY':
      return {
        type: 'blob',
        mysqlType: `varbinary(${declared.length ?? 255})`,
        length: declared.length ?? 255,
        binary: true,
      };
    case 'TINYTEXT':
      return { type: 'text', mysqlType: 'tinytext', length: 255 };
    case 'TEXT':
      return { type: 'text', mysqlType: 'text', length: 65535 };
    case 'MEDIUMTEXT':
      return { type: 'text', mysqlType: 'mediumtext', length: 16777215 };
    case 'LONGTEXT':
      return { type: 'text', mysqlType: 'longtext', length: 4294967295 };
    case 'TINYBLOB':
      return { type: 'blob', mysqlType: 'tinyblob', length: 255, binary: true };
    case 'BLOB':
      return { type: 'blob', mysqlType: 'blob', length: 65535, binary: true };
    case 'MEDIUMBLOB':
      return { type: 'blob', mysqlType: 'mediumblob', length: 16777215, binary: true };
    case 'LONGBLOB':
      return { type: 'blob', mysqlType: 'longblob', length: 4294967295, binary: true };
    case 'DATE':
      return { type: 'date', mysqlType: 'date' };
    case 'DATETIME':
      return fractional('datetime', declared.scale);
    case 'TIMESTAMP':
      return fractional('timestamp', declared.scale);
    case 'TIME':
      return fractional('time', declared.scale);
    case 'JSON':
      return { type: 'json', mysqlType: 'json' };
    case 'ENUM':
    case 'SET': {
      const values = declared.values ?? [];
      const longest = values.reduce((max, value) => Math.max(max, value.length), 1);
      const list = values.map((value) => `'${value.replace(/'/g, "''")}'`).join(',');
      return {
        type: 'varchar',
        mysqlType: `${name.toLowerCase()}(${list})`,
        // A SET holds its members joined by commas: 'a,b' for set('a','b').
        length:
          name === 'SET'
            ? Math.max(
                1,
                values.reduce((sum, value) => sum + value.length, values.length - 1),
              )
            : longest,
        values,
      };
    }
    default:
      throw sqlError('NOT_SUPPORTED', `The column type ${name} is not supported`);
  }
}

function fractional(
  type: 'datetime' | 'timestamp' | 'time',
  scale: number | undefined,
): ResolvedType {
  const digits = scale ?? 0;
  return {
    type,
    mysqlType: digits > 0 ? `${type}(${digits})` : type,
    ...(digits > 0 ? { scale: digits } : {}),
  };
}

/** The DuckDB type a column is stored as (columnstore tables and the aggregator's merge engine). */
export function duckdbType(column: ResolvedType): string {
  const u = column.unsigned === true;
  switch (column.type) {
    case 'tinyint':
      return u ? 'UTINYINT' : 'TINYINT';
    case 'bool':
      return 'TINYINT';
    case 'smallint':
      return u ? 'USMALLINT' : 'SMALLINT';
    case 'int':
      return u ? 'UINTEGER' : 'INTEGER';
    case 'bigint':
      return u ? 'UBIGINT' : 'BIGINT';
    case 'decimal':
      return `DECIMAL(${column.precision ?? 10},${column.scale ?? 0})`;
    case 'double':
      return 'DOUBLE';
    case 'float':
      return 'FLOAT';
    case 'char':
    case 'varchar':
    case 'text':
      return 'VARCHAR COLLATE NOCASE';
    case 'blob':
      return 'BLOB';
    case 'date':
      return 'DATE';
    case 'datetime':
    case 'timestamp':
      return 'TIMESTAMP';
    case 'time':
      // MySQL's TIME spans ±838:59:59.999999, beyond DuckDB's TIME (a time of day).
      return column.legacyTime === true ? 'TIME' : 'INTERVAL';
    case 'json':
      // Text, as MariaDB keeps JSON (a LONGTEXT): DuckDB's JSON type would refuse what
      // MariaDB's JSON functions write (a YEAR's 0000) and compare unlike VARCHAR.
      return 'VARCHAR';
    case 'null':
      return 'INTEGER';
  }
}

/** The SQLite type a rowstore column is declared with (its affinity decides the storage). */
export function sqliteType(column: ResolvedType): string {
  switch (column.type) {
    case 'tinyint':
    case 'bool':
    case 'smallint':
    case 'int':
    case 'bigint':
      return 'INTEGER';
    case 'double':
    case 'float':
    case 'decimal':
      return 'REAL';
    case 'char':
    case 'varchar':
    case 'text':
      return 'TEXT COLLATE NOCASE';
    case 'blob':
      return 'BLOB';
    case 'json':
    case 'date':
    case 'datetime':
    case 'timestamp':
    case 'time':
      return 'TEXT';
    case 'null':
      return 'INTEGER';
  }
}
