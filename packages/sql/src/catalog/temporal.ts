/**
 * Parsing date and time text into the data plane's canonical forms ("YYYY-MM-DD",
 * "YYYY-MM-DD HH:MM:SS[.ffffff]", "[-]HH:MM:SS[.ffffff]"), accepting the spellings MySQL
 * accepts for literals: any punctuation between the parts ('2024/1/5', '2024.01.05 10.11.12'),
 * a `T` separator, packed digits (YYYYMMDD, YYMMDD, YYYYMMDDhhmmss, YYMMDDhhmmss), two-digit
 * years (70–99 in the 1900s, 00–69 in the 2000s) and a missing time part. Invalid dates
 * (month 13, February 30, zero dates under strict mode) are undefined.
 */
import { readTime, timeSeconds, TIME_SECONDS_LIMIT } from './time-reading.js';

const DATE_TIME =
  /^(\d{4}|\d{2})[!-/:-@[-`{-~](\d{1,2})[!-/:-@[-`{-~](\d{1,2})(?:(?:[ T]|\s+)(\d{1,2})[!-/:-@[-`{-~](\d{1,2})(?:[!-/:-@[-`{-~](\d{1,2})(?:\.(\d{0,9}))?)?)?$/;
/** Packed digits: [date length, time length] by the number of digits. */
const PACKED = /^(\d+)(?:\.(\d{0,9}))?$/;
const PACKED_SHAPES: Readonly<Record<number, number>> = { 6: 2, 8: 4, 12: 2, 14: 4 };

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string;
}

/** A year written with two digits: 70–99 in the 1900s, 00–69 in the 2000s. */
function fullYear(digits: string): number {
  const year = Number(digits);
  if (digits.length !== 2) return year;
  return year < 70 ? 2000 + year : 1900 + year;
}

/** The fields of delimited or packed date/datetime text, before range checks. */
function fields(text: string): (string | undefined)[] | undefined {
  const delimited = DATE_TIME.exec(text);
  if (delimited !== null) return delimited.slice(1);
  const packed = PACKED.exec(text);
  const digits = packed?.[1];
  if (digits === undefined) return undefined;
  const yearLength = PACKED_SHAPES[digits.length];
  // A fraction needs the time part.
  if (yearLength === undefined || (packed?.[2] !== undefined && digits.length < 12))
    return undefined;
  const at = (start: number): string => digits.slice(start, start + 2);
  const time = digits.length > 8;
  return [
    digits.slice(0, yearLength),
    at(yearLength),
    at(yearLength + 2),
    ...(time ? [at(yearLength + 4), at(yearLength + 6), at(yearLength + 8)] : []),
    ...(time ? [packed?.[2]] : []),
  ];
}

function parseDateTime(source: string): Parts | undefined {
  const match = fields(source.trim());
  if (match === undefined || match[0] === undefined) return undefined;
  const parts: Parts = {
    year: fullYear(match[0]),
    month: Number(match[1]),
    day: Number(match[2]),
    hour: Number(match[3] ?? 0),
    minute: Number(match[4] ?? 0),
    second: Number(match[5] ?? 0),
    fraction: match[6] ?? '',
  };
  if (parts.month < 1 || parts.month > 12 || parts.day < 1) return undefined;
  if (parts.day > daysInMonth(parts.year, parts.month)) return undefined;
  if (parts.hour > 23 || parts.minute > 59 || parts.second > 59) return undefined;
  return parts;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

export function normalizeDate(source: string): string | undefined {
  const parts = parseDateTime(source);
  if (parts === undefined) return undefined;
  return `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}`;
}

export function normalizeDateTime(source: string, fsp: number): string | undefined {
  const parts = parseDateTime(source);
  if (parts === undefined) return undefined;
  const fraction = truncateFraction(parts.fraction, fsp);
  const text =
    `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)} ` +
    `${pad(parts.hour)}:${pad(parts.minute)}:${pad(parts.second)}`;
  return fsp > 0 ? `${text}.${fraction}` : text;
}

export function normalizeTime(source: string, fsp: number): string | undefined {
  const parts = readTime(source);
  if (parts === undefined) return undefined;
  const fraction = truncateFraction(parts.fraction, fsp);
  let total = timeSeconds(parts);
  if (total > TIME_SECONDS_LIMIT) return undefined;
  const h = Math.floor(total / 3600);
  total -= h * 3600;
  const body = `${pad(h)}:${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
  const sign = parts.negative && (h > 0 || total > 0 || /[1-9]/.test(fraction)) ? '-' : '';
  return fsp > 0 ? `${sign}${body}.${fraction}` : `${sign}${body}`;
}

/** MariaDB cuts the digits beyond the column's precision, it does not round (06.5 stores as 06). */
function truncateFraction(raw: string, fsp: number): string {
  return fsp > 0 ? raw.slice(0, fsp).padEnd(fsp, '0') : '';
}

/**
 * Date text as MySQL casts it: the canonical datetime of the whole text, or of its leading
 * datetime or date when other text follows ('2024-01-05x' is 2024-01-05, with MySQL's
 * "Truncated incorrect date value"); `part` says which was read.
 */
export function leadingDateTime(
  text: string,
): { readonly value: string; readonly part: 'whole' | 'date' | 'datetime' } | undefined {
  const whole = normalizeDateTime(text, 6);
  if (whole !== undefined) return { value: whole, part: 'whole' };
  const datetime = LEADING_DATETIME.exec(text)?.[1];
  const value = datetime === undefined ? undefined : normalizeDateTime(datetime, 0);
  if (value !== undefined) return { value, part: 'datetime' };
  const date = LEADING_DATE.exec(text)?.[1];
  const day = date === undefined ? undefined : normalizeDateTime(date, 0);
  return day === undefined ? undefined : { value: day, part: 'date' };
}

const LEADING_DATETIME =
  /^\s*(\d{2,4}[^\d\s]\d{1,2}[^\d\s]\d{1,2}[ T]\d{1,2}[^\d\s]\d{1,2}[^\d\s]\d{1,2})/;
const LEADING_DATE = /^\s*(\d{2,4}[^\d\s]\d{1,2}[^\d\s]\d{1,2})/;
