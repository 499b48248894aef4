/**
 * Warnings of two conversions the expression-warning walk (`warnings-expressions.ts`) models:
 * text read as a date or time (a CAST, or an argument of DATE(), YEAR(), HOUR(), …), 1292
 * "Incorrect datetime value" or "Truncated incorrect date value"; and a number cast to SIGNED or
 * UNSIGNED, MariaDB's 1105 note for a negative integer made UNSIGNED and 1916 "Got overflow"
 * for a DECIMAL or DOUBLE beyond the range (which is then its bound).
 */
import { leadingDateTime, normalizeDateTime, normalizeTime } from '../catalog/temporal.js';
import { doubleText } from '../number-text.js';
import type { Warning } from './context.js';
import type { Known } from './warnings-values.js';

/** Functions that read some arguments as a datetime (Item::get_date), by their positions. */
export const DATETIME_ARGUMENTS: Readonly<Record<string, readonly number[]>> = {
  DATE: [0],
  TIMESTAMP: [0],
  YEAR: [0],
  MONTH: [0],
  DAY: [0],
  DAYOFMONTH: [0],
  DAYOFWEEK: [0],
  DAYOFYEAR: [0],
  WEEKDAY: [0],
  WEEK: [0],
  WEEKOFYEAR: [0],
  YEARWEEK: [0],
  QUARTER: [0],
  DAYNAME: [0],
  MONTHNAME: [0],
  TO_DAYS: [0],
  TO_SECONDS: [0],
  LAST_DAY: [0],
  DATEDIFF: [0, 1],
  DATE_FORMAT: [0],
  DATE_ADD: [0],
  DATE_SUB: [0],
  ADDDATE: [0],
  SUBDATE: [0],
  UNIX_TIMESTAMP: [0],
};

/** Functions that read their argument as a time (Item::get_time). */
export const TIME_ARGUMENTS: ReadonlySet<string> = new Set([
  'TIME',
  'HOUR',
  'MINUTE',
  'SECOND',
  'MICROSECOND',
  'TIME_TO_SEC',
]);

/**
 * The warning of text read as a datetime or a time: none when it is one, "Truncated incorrect
 * date value" when only its start is, else "Incorrect datetime value" (NULL follows).
 */
export function temporalWarning(text: string, kind: 'datetime' | 'time'): Warning | undefined {
  const read = kind === 'time' ? timeReading(text) : leadingDateTime(text)?.part;
  if (read === 'whole') return undefined;
  return {
    level: 'Warning',
    code: 1292,
    message:
      read === undefined
        ? `Incorrect ${kind} value: '${text}'`
        : `Truncated incorrect ${read} value: '${text}'`,
  };
}

/** How text reads as a time: whole, or only its leading time, or not at all. */
function timeReading(text: string): 'whole' | 'time' | undefined {
  if (normalizeTime(text, 6) !== undefined || normalizeDateTime(text, 6) !== undefined)
    return 'whole';
  const time = /^\s*(-?\d{1,3}:\d{1,2}:\d{1,2})/.exec(text)?.[1];
  return time !== undefined && normalizeTime(time, 0) !== undefined ? 'time' : undefined;
}

const UNSIGNED_MAX = 2n ** 64n - 1n;
const SIGNED_MAX = 2n ** 63n - 1n;
const SIGNED_MIN = -(2n ** 63n);

/**
 * CAST(number AS SIGNED|UNSIGNED) of a known number: its value and warning. A DECIMAL rounds
 * half away from zero, a DOUBLE to even; out of range they are the nearest bound, with 1916. A
 * negative integer made UNSIGNED wraps around with the 1105 note. Strings are read beforehand.
 */
export function integerCast(
  value: Known,
  unsigned: boolean,
): { number: number; warning?: Warning } {
  if (value.kind === 'int' || value.kind === 'string') {
    if (!unsigned || value.number >= 0) return { number: value.number };
    return {
      number: value.number + 2 ** 64,
      warning: {
        level: 'Note',
        code: 1105,
        message: "Cast to unsigned converted negative integer to it's positive complement",
      },
    };
  }
  const decimal = value.kind === 'decimal';
  const rounded = decimal ? decimalRounded(value) : BigInt(roundEven(value.number));
  if (rounded === undefined) return { number: Math.round(value.number) };
  const [low, high] = unsigned ? [0n, UNSIGNED_MAX] : [SIGNED_MIN, SIGNED_MAX];
  if (rounded >= low && rounded <= high) return { number: Number(rounded) };
  const text = decimal ? (value.text ?? '') : doubleText(value.number);
  const target = decimal
    ? unsigned
      ? 'UNSIGNED INT'
      : 'INT'
    : unsigned
      ? 'UNSIGNED BIGINT'
      : 'SIGNED BIGINT';
  return {
    number: Number(rounded < low ? low : high),
    warning: {
      level: 'Warning',
      code: 1916,
      message: `Got overflow when converting '${text}' to ${target}. Value truncated`,
    },
  };
}

/** A DECIMAL's text rounded half away from zero, as a bigint (undefined without its text). */
function decimalRounded(value: Known): bigint | undefined {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(value.text ?? '');
  if (match === null) return undefined;
  const firstDropped = (match[3] ?? '').charAt(0) || '0';
  const magnitude = BigInt(match[2] || '0') + (firstDropped >= '5' ? 1n : 0n);
  return match[1] === '-' ? -magnitude : magnitude;
}

/** rint(): to the nearest integer, halves to even; infinities stay beyond every bound. */
function roundEven(number: number): number | bigint {
  if (!Number.isFinite(number)) return number > 0 ? UNSIGNED_MAX + 1n : SIGNED_MIN - 1n;
  const floor = Math.floor(number);
  const diff = number - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return rounded;
}
