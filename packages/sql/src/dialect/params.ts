/**
 * Placeholders in engine SQL. A MySQL `?` may appear more than once in the engine's text (a
 * translation such as CAST(x AS SIGNED) or ROUND(x, d) reads its operand twice), and the engines
 * bind `?` by position. So a `?` translates to a marker naming its MySQL parameter, and each
 * finished statement turns the markers into `?` in text order, listing the parameter of each.
 */
import type { Dialect, MyType } from './types.js';

// Private-use characters: no SQL text or identifier the translator writes contains them.
const MARKER = /\uE000(\d+)\uE001/g;

export function paramMarker(index: number): string {
  return `\uE000${index}\uE001`;
}

/** Whether translated SQL is one parameter alone (its type is unknown until it is bound). */
export function isParamMarker(sql: string): boolean {
  return /^\uE000\d+\uE001$/.test(sql);
}

/**
 * Whether translated SQL reads parameters and no column (columns are written quoted, `"t"."c"`):
 * MariaDB knows its value when the statement runs, as a constant's.
 */
export function isParamExpression(sql: string): boolean {
  return /\uE000\d+\uE001/.test(sql) && !sql.includes('"');
}

export function bindMarkers(sql: string): { readonly sql: string; readonly params: number[] } {
  const params: number[] = [];
  const bound = sql.replace(MARKER, (_marker, index: string) => {
    params.push(Number(index));
    return '?';
  });
  return { sql: bound, params };
}

/**
 * A bound parameter's engine SQL for its known type (`TranslateOptions.paramTypes`): the engine
 * reads the value as MariaDB does (text stays text beside a number, a DOUBLE stays a DOUBLE).
 */
export function typedParamSql(index: number, type: MyType, dialect: Dialect): string {
  const marker = paramMarker(index);
  const duck = dialect === 'duckdb';
  switch (type.type) {
    case 'tinyint':
    case 'bigint':
      if (!duck) return `CAST(${marker} AS INTEGER)`;
      return `CAST(${marker} AS ${type.type === 'tinyint' ? 'TINYINT' : type.unsigned === true ? 'UBIGINT' : 'BIGINT'})`;
    case 'double':
      return `CAST(${marker} AS ${duck ? 'DOUBLE' : 'REAL'})`;
    case 'decimal':
      return duck ? `CAST(${marker} AS DECIMAL(38,${type.scale ?? 0}))` : marker;
    case 'date':
      return duck ? `CAST(${marker} AS DATE)` : marker;
    case 'datetime':
      return duck ? `CAST(${marker} AS TIMESTAMP)` : marker;
    case 'time':
      return duck ? `CAST(${marker} AS INTERVAL)` : marker;
    case 'blob':
      return `CAST(${marker} AS BLOB)`;
    default:
      return duck ? `CAST(${marker} AS VARCHAR)` : `CAST(${marker} AS TEXT)`;
  }
}

const NUMERIC_PARAM =
  /^CAST\((\uE000\d+\uE001) AS (?:TINYINT|BIGINT|UBIGINT|INTEGER|DOUBLE|REAL)\)$/;

/**
 * The plain marker of a parameter typed as a number. A comparison with a column uses it: the
 * engine then reads the value as the column's type and keeps the column's zone maps and
 * indexes (`id = CAST(? AS DOUBLE)` would compare every row as a DOUBLE).
 */
export function bareNumericParam(sql: string): string | undefined {
  return NUMERIC_PARAM.exec(sql)?.[1];
}
