/**
 * Line shapes for the LOAD DATA fast path: a regular expression (RE2 syntax) that a chunk's
 * lines match only when every field is in a canonical form that DuckDB's typed CSV reader turns
 * into exactly the value the checked path (`load-checks.ts`) stores — integers with too few
 * digits to overflow, decimals with no more integer digits or decimals than the column holds,
 * calendar dates, strings within the column's length. A chunk whose every line matches skips
 * the per-field checks: the leaf reads it with typed columns (half the engine's work), and any
 * other chunk takes the checked path. So each shape must accept a subset of what its column's
 * `accept` test accepts, and only values the typed reader parses without error.
 */
import { duckdbType } from '../catalog/column-type.js';
import type { ColumnDef } from '../catalog/types.js';

export interface LineShape {
  /** Matches one line, without its `\n`. */
  readonly pattern: string;
  /** The DuckDB type each field is read as. */
  readonly types: readonly string[];
}

/** RE2 counted repetitions stop at 1000. */
const REPEAT_MAX = 1000;
/** UTF-8 takes at most 4 bytes per character. */
const UTF8_BYTES_MAX = 4;

/** Digits an integer type holds whatever they are (one fewer than its largest value has). */
const INTEGER_DIGITS: Record<string, number> = {
  TINYINT: 2,
  UTINYINT: 2,
  SMALLINT: 4,
  USMALLINT: 4,
  INTEGER: 9,
  UINTEGER: 9,
  BIGINT: 18,
  UBIGINT: 19,
};

const TEXT_BYTES_MAX: Record<string, number> = {
  tinytext: 255,
  text: 65535,
  mediumtext: 16777215,
};

const MONTH_DAY =
  '(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)';
/** February 29th of the leap years 1000–9999 (divisible by 4, centuries only by 400). */
const LEAP_DAY =
  '(?:[1-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29';
const DATE = `(?:[1-9][0-9]{3}-${MONTH_DAY}|${LEAP_DAY})`;

function hexByte(code: number): string {
  return `\\x${code.toString(16).padStart(2, '0')}`;
}

/** A field's shape and typed-read type, or undefined when its type has none. */
export function fieldShape(
  column: ColumnDef,
  delimiter: number,
): { pattern: string; type: string } | undefined {
  if (column.values !== undefined && column.values.length > 0) return undefined;
  const type = duckdbType(column);
  let pattern: string;
  let readType = type;
  switch (column.type) {
    case 'tinyint':
    case 'bool':
    case 'smallint':
    case 'int':
    case 'bigint': {
      const digits = INTEGER_DIGITS[type];
      if (digits === undefined) return undefined;
      pattern = `${type.startsWith('U') ? '' : '-?'}[0-9]{1,${digits}}`;
      break;
    }
    case 'decimal': {
      const precision = column.precision ?? 10;
      const scale = column.scale ?? 0;
      if (precision - scale < 1) return undefined;
      const sign = column.unsigned === true ? '' : '-?';
      const fraction = scale > 0 ? `(?:\\.[0-9]{1,${scale}})?` : '';
      pattern = `${sign}[0-9]{1,${precision - scale}}${fraction}`;
      break;
    }
    case 'date':
      pattern = DATE;
      break;
    case 'char':
    case 'varchar':
    case 'text': {
      const bytesMax = TEXT_BYTES_MAX[column.mysqlType];
      const limit = bytesMax !== undefined ? Math.floor(bytesMax / UTF8_BYTES_MAX) : column.length;
      // No backslash: the only one a fast-path chunk holds is a `\N` field, which is NULL.
      const character = `[^${hexByte(delimiter)}\\n\\\\]`;
      pattern =
        limit === undefined ? `${character}*` : `${character}{0,${Math.min(limit, REPEAT_MAX)}}`;
      readType = 'VARCHAR';
      break;
    }
    default:
      return undefined;
  }
  return { pattern: column.nullable ? `(?:\\\\N|${pattern})` : pattern, type: readType };
}

/** The shape of a line holding `columns` in file order, or undefined when one has none. */
export function lineShape(columns: readonly ColumnDef[], delimiter: number): LineShape | undefined {
  const patterns: string[] = [];
  const types: string[] = [];
  for (const column of columns) {
    const shape = fieldShape(column, delimiter);
    if (shape === undefined) return undefined;
    patterns.push(`(?:${shape.pattern})`);
    types.push(shape.type);
  }
  return { pattern: patterns.join(hexByte(delimiter)), types };
}
