/**
 * DATE_FORMAT and STR_TO_DATE formats (MySQL reference, DATE_FORMAT specifier table) compiled
 * to DuckDB: runs of specifiers strftime knows become one strftime call, the rest (%D, %u,
 * %V, %X) become expressions. SQLite evaluates the MySQL format itself through exo_date_format.
 */
import { notSupported } from '../context.js';
import type { Context } from '../context.js';
import { quoteString } from '../context.js';

const strftimeEquivalent: Readonly<Record<string, string>> = {
  a: '%a',
  b: '%b',
  c: '%-m',
  d: '%d',
  e: '%-d',
  f: '%f',
  H: '%H',
  h: '%I',
  I: '%I',
  i: '%M',
  j: '%j',
  k: '%-H',
  l: '%-I',
  M: '%B',
  m: '%m',
  p: '%p',
  r: '%I:%M:%S %p',
  S: '%S',
  s: '%S',
  T: '%H:%M:%S',
  U: '%U',
  v: '%V',
  W: '%A',
  w: '%w',
  x: '%G',
  Y: '%Y',
  y: '%y',
};

function twoDigits(sql: string): string {
  return `lpad(CAST(${sql} AS VARCHAR), 2, '0')`;
}

function expressionFor(letter: string, x: string): string | undefined {
  const week0 = `CAST(strftime(${x}, '%U') AS INTEGER)`;
  switch (letter) {
    case 'D':
      return `(CAST(day(${x}) AS VARCHAR) || (CASE WHEN day(${x}) IN (11, 12, 13) THEN 'th' WHEN day(${x}) % 10 = 1 THEN 'st' WHEN day(${x}) % 10 = 2 THEN 'nd' WHEN day(${x}) % 10 = 3 THEN 'rd' ELSE 'th' END))`;
    case 'u':
      return twoDigits(
        `(CASE WHEN isoyear(${x}) < year(${x}) THEN 0 WHEN isoyear(${x}) > year(${x}) THEN week(${x} - INTERVAL 7 DAY) + 1 ELSE week(${x}) END)`,
      );
    case 'V':
      return twoDigits(
        `(CASE WHEN ${week0} = 0 THEN CAST(strftime(make_date(year(${x}) - 1, 12, 31), '%U') AS INTEGER) ELSE ${week0} END)`,
      );
    case 'X':
      return `CAST((CASE WHEN ${week0} = 0 THEN year(${x}) - 1 ELSE year(${x}) END) AS VARCHAR)`;
    default:
      return undefined;
  }
}

/** DATE_FORMAT(x, format) for DuckDB, `x` being a TIMESTAMP expression. */
export function duckDateFormat(x: string, format: string): string {
  const pieces: string[] = [];
  let run = '';
  const flush = (): void => {
    if (run !== '') pieces.push(`strftime(${x}, ${quoteString(run)})`);
    run = '';
  };
  for (let i = 0; i < format.length; i += 1) {
    const c = format[i] ?? '';
    if (c !== '%' || i + 1 >= format.length) {
      run += c === '%' ? '%%' : c;
      continue;
    }
    i += 1;
    const letter = format[i] ?? '';
    const mapped = strftimeEquivalent[letter];
    if (mapped !== undefined) {
      run += mapped;
      continue;
    }
    const expression = expressionFor(letter, x);
    if (expression !== undefined) {
      flush();
      pieces.push(expression);
      continue;
    }
    // MySQL prints any other character after % as itself.
    run += letter === '%' ? '%%' : letter;
  }
  flush();
  if (pieces.length === 0) return `(CASE WHEN ${x} IS NULL THEN NULL ELSE '' END)`;
  return pieces.length === 1 ? (pieces[0] ?? "''") : `(${pieces.join(' || ')})`;
}

const parseEquivalent: Readonly<Record<string, string>> = {
  b: '%b',
  c: '%m',
  d: '%d',
  e: '%d',
  f: '%f',
  H: '%H',
  h: '%I',
  I: '%I',
  i: '%M',
  j: '%j',
  k: '%H',
  l: '%I',
  M: '%B',
  m: '%m',
  p: '%p',
  r: '%I:%M:%S %p',
  S: '%S',
  s: '%S',
  T: '%H:%M:%S',
  Y: '%Y',
  y: '%y',
  a: '%a',
  W: '%A',
  '%': '%%',
};

export interface ParsedFormat {
  readonly format: string;
  readonly hasDate: boolean;
  readonly hasTime: boolean;
}

/** STR_TO_DATE's format as a DuckDB strptime format, with what parts it sets. */
export function duckParseFormat(context: Context, format: string): ParsedFormat {
  let out = '';
  let hasDate = false;
  let hasTime = false;
  for (let i = 0; i < format.length; i += 1) {
    const c = format[i] ?? '';
    if (c !== '%' || i + 1 >= format.length) {
      out += c === '%' ? '%%' : c;
      continue;
    }
    i += 1;
    const letter = format[i] ?? '';
    const mapped = parseEquivalent[letter];
    if (mapped === undefined)
      return notSupported(`STR_TO_DATE specifier %${letter}`, context.dialect);
    if ('bcdejMmYyaW'.includes(letter)) hasDate = true;
    if ('fHhIiklprSsT'.includes(letter)) hasTime = true;
    out += mapped;
  }
  return { format: out, hasDate, hasTime };
}

/** Which parts a MySQL format sets (for STR_TO_DATE's result type in SQLite). */
export function formatParts(format: string): { hasDate: boolean; hasTime: boolean } {
  let hasDate = false;
  let hasTime = false;
  for (let i = 0; i + 1 < format.length; i += 1) {
    if (format[i] !== '%') continue;
    const letter = format[i + 1] ?? '';
    if ('bcdejMmYyaWDUuVvXxw'.includes(letter)) hasDate = true;
    if ('fHhIiklprSsT'.includes(letter)) hasTime = true;
    i += 1;
  }
  return { hasDate, hasTime };
}
