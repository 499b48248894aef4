/**
 * MariaDB's zero date: DATE '0000-00-00' and DATETIME/TIMESTAMP '0000-00-00 00:00:00', which
 * sql_mode without NO_ZERO_DATE accepts (MariaDB 10.11's default mode). SQLite keeps it as its
 * text; DuckDB, whose dates have no month 0, keeps it as '-infinity', which sorts before every
 * date and is turned back into the zero text where values leave the engine.
 */
import type { SqlValue } from './values.js';

export const ZERO_DATE = '0000-00-00';
export const ZERO_DATETIME = '0000-00-00 00:00:00';
/** How DuckDB holds the zero date in DATE and TIMESTAMP columns. */
export const DUCK_ZERO = '-infinity';

/** The zero date's spellings: 0, zeros packed (YYYYMMDD[hhmmss]) or with any punctuation. */
const ZERO_TEXT =
  /^\s*(?:0+(?:\.0*)?|0{4}[^\d\s]0{1,2}[^\d\s]0{1,2}(?:[ T]0{1,2}[^\d\s]0{1,2}[^\d\s]0{1,2}(?:\.0*)?)?)\s*$/;

/** Whether a value written for a DATE/DATETIME/TIMESTAMP column is the zero date. */
export function isZeroDateValue(value: SqlValue): boolean {
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'bigint') return value === 0n;
  if (typeof value !== 'string') return false;
  // Most dates start with a digit other than 0: one comparison keeps them out.
  return value.length > 0 && value.trimStart().charCodeAt(0) === 48 && ZERO_TEXT.test(value);
}

const ZERO_CONSTANT =
  /^\s*0{4}[^\d\s]0{2}[^\d\s]0{2}(?:([ T])0{2}[^\d\s]0{2}[^\d\s]0{2}(?:\.0*)?)?\s*$/;

/**
 * A string constant that is the zero date ('0000-00-00', '0000-00-00 00:00:00'), as its canonical
 * text; undefined for any other text.
 */
export function zeroDateConstant(text: string): string | undefined {
  if (text.length === 0 || text.trimStart().charCodeAt(0) !== 48) return undefined;
  const match = ZERO_CONSTANT.exec(text);
  if (match === null) return undefined;
  return match[1] === undefined ? ZERO_DATE : ZERO_DATETIME;
}

/** A DuckDB DATE or TIMESTAMP literal of canonical date text, the zero date as '-infinity'. */
export function duckDateLiteral(kind: 'DATE' | 'TIMESTAMP', text: string): string {
  return `${kind} '${text.startsWith(ZERO_DATE) ? DUCK_ZERO : text}'`;
}

/** The zero date as a column of `type` (with `scale` fraction digits) holds it. */
export function zeroDateText(type: string, scale = 0): string {
  if (type === 'date') return ZERO_DATE;
  return scale > 0 ? `${ZERO_DATETIME}.${'0'.repeat(scale)}` : ZERO_DATETIME;
}

/** Whether a column of this type holds the zero date: DATE, DATETIME and TIMESTAMP. */
export function holdsZeroDates(type: string): boolean {
  return type === 'date' || type === 'datetime' || type === 'timestamp';
}

/** Whether sql_mode lets zero dates be stored: it has no NO_ZERO_DATE (nor TRADITIONAL). */
export function zeroDatesAllowed(sqlMode: unknown): boolean {
  return typeof sqlMode === 'string' && !/(^|,)(NO_ZERO_DATE|TRADITIONAL)(,|$)/i.test(sqlMode);
}
