/**
 * The checks a LOAD DATA fast-path chunk runs on the leaf (DuckDB SQL over the raw VARCHAR
 * fields `c0`…): per target column, the value (a cast to the column's engine type) and an
 * acceptance test that holds only where that cast gives exactly what the aggregator's strict
 * MySQL coercion (`catalog/coerce.ts`) would store — canonical numbers, dates and times, strings
 * within the column's length. Lines failing any test come back and take the exact path, which
 * stores them or raises MySQL's error (1366, 1264, 1406, 1292, 1048) with its message.
 */
import { duckdbType } from '../catalog/column-type.js';
import type { ColumnDef } from '../catalog/types.js';
import {
  doubleLimit,
  doubleSqlText,
  duckdbDoubleRound,
  hasFixedDecimals,
} from '../catalog/double-fit.js';
import { TIMESTAMP_FIRST, TIMESTAMP_PAST_LAST } from './timestamp-range.js';

export interface FieldCheck {
  readonly value: string;
  readonly accept: string;
}

const TEXT_BYTES_MAX: Record<string, number> = {
  tinytext: 255,
  text: 65535,
  mediumtext: 16777215,
};

const INTEGER = "'-?[0-9]+'";
const DECIMAL = "'-?[0-9]+(\\.[0-9]+)?'";
const DOUBLE = "'-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]{1,3})?'";
const DATE = "'[0-9]{4}-[0-9]{2}-[0-9]{2}'";

/** The check of one column's field `field`, or undefined when the type has no fast path. */
export function fieldCheck(column: ColumnDef, field: string): FieldCheck | undefined {
  const type = duckdbType(column);
  const cast = `TRY_CAST(${field} AS ${type})`;
  const matches = (pattern: string): string => `regexp_full_match(${field}, ${pattern})`;
  let value = cast;
  let accept: string;
  switch (column.type) {
    case 'tinyint':
    case 'bool':
    case 'smallint':
    case 'int':
    case 'bigint':
      accept = `${matches(INTEGER)} AND ${cast} IS NOT NULL`;
      break;
    case 'decimal':
      accept = `${matches(DECIMAL)} AND ${cast} IS NOT NULL`;
      if (column.unsigned === true) accept += ` AND NOT starts_with(${field}, '-')`;
      break;
    case 'double':
    case 'float': {
      // DOUBLE(M,D) rounds to D decimals and holds M−D integer digits; UNSIGNED refuses a
      // sign (`catalog/double-fit.ts`). Lines outside take the exact path, which clamps or fails.
      const number = `TRY_CAST(${field} AS DOUBLE)`;
      const stored = hasFixedDecimals(column)
        ? duckdbDoubleRound(number, column.scale ?? 0)
        : number;
      value = `TRY_CAST(${stored} AS ${type})`;
      accept = `${matches(DOUBLE)} AND isfinite(${value})`;
      if (hasFixedDecimals(column))
        accept += ` AND abs(${stored}) <= ${doubleSqlText(doubleLimit(column))}`;
      if (column.unsigned === true) accept += ` AND NOT starts_with(${field}, '-')`;
      break;
    }
    case 'char':
    case 'varchar':
    case 'text': {
      if (column.values !== undefined && column.values.length > 0) return undefined;
      value = column.type === 'char' ? `rtrim(${field}, ' ')` : field;
      const bytesMax = TEXT_BYTES_MAX[column.mysqlType];
      if (bytesMax !== undefined) accept = `strlen(${field}) <= ${bytesMax}`;
      else if (column.length !== undefined) accept = `length(${field}) <= ${column.length}`;
      else accept = 'true';
      break;
    }
    case 'date':
      accept = `${matches(DATE)} AND ${cast} IS NOT NULL`;
      break;
    case 'datetime':
    case 'timestamp': {
      const fraction = (column.scale ?? 0) > 0 ? `(\\.[0-9]{1,${column.scale ?? 0}})?` : '';
      const pattern = `'[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}${fraction}'`;
      accept = `${matches(pattern)} AND ${cast} IS NOT NULL`;
      // Past TIMESTAMP's range the exact path stores the zero date with 1264 (the field is the
      // UTC value here: outside UTC such columns take the exact path).
      if (column.type === 'timestamp')
        accept += ` AND ${field} >= '${TIMESTAMP_FIRST}' AND ${field} < '${TIMESTAMP_PAST_LAST}'`;
      break;
    }
    default:
      return undefined;
  }
  const nullable = column.nullable ? `${field} IS NULL OR ` : '';
  return { value, accept: `(${nullable}(${field} IS NOT NULL AND ${accept}))` };
}
