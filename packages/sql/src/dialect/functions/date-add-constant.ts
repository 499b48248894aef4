/**
 * DATE_ADD/DATE_SUB (and `date ± INTERVAL n unit`) of a DATE literal by a whole number of days,
 * weeks, months, quarters or years, worked out here: `DATE '1994-01-01' + INTERVAL '1' YEAR` is
 * `DATE '1995-01-01'` in the engine SQL. The engine would fold the expression too, but only
 * after binding the string-to-number reading of the amount and the range checks of every
 * step (3 ms of planning per partition statement, more than a filter on a partition's
 * lineitem takes to run). Months are added first and the day cut to the month's last
 * (2024-01-31 + 1 MONTH = 2024-02-29), as MySQL does; anything else (a result outside years
 * 1–9999, a fraction, an amount written otherwise) is left to the engine.
 */
import { daysInMonth } from '../../catalog/temporal.js';
import { quoteString, type Context } from '../context.js';
import { dateType } from '../type-rules.js';
import type { Typed } from '../types.js';

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Whole amounts written as digits, at most a few thousand years of days. */
const AMOUNT_MAX = 4_000_000;
const MS_PER_DAY = 86_400_000;

const MONTHS: Readonly<Record<string, number>> = { MONTH: 1, QUARTER: 3, YEAR: 12 };
const DAYS: Readonly<Record<string, number>> = { DAY: 1, WEEK: 7 };

/** The result as a DATE literal, or undefined when it is not a case worked out here. */
export function constantDateAdd(
  context: Context,
  base: Typed,
  interval: Typed,
  unit: string,
  sign: 1 | -1,
): Typed | undefined {
  if (MONTHS[unit] === undefined && DAYS[unit] === undefined) return undefined;
  const start = base.constant?.type === 'date' ? DATE_TEXT.exec(String(base.constant.value)) : null;
  const amount = wholeAmount(interval);
  if (start === null || amount === undefined) return undefined;
  const [year, month, day] = [Number(start[1]), Number(start[2]), Number(start[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return undefined;
  const months = (MONTHS[unit] ?? 0) * amount * sign;
  const days = (DAYS[unit] ?? 0) * amount * sign;
  const monthIndex = year * 12 + (month - 1) + months;
  const toYear = Math.floor(monthIndex / 12);
  const toMonth = monthIndex - toYear * 12 + 1;
  if (toYear < 1 || toYear > 9999) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(toYear, toMonth - 1, Math.min(day, daysInMonth(toYear, toMonth)));
  const result = new Date(date.getTime() + days * MS_PER_DAY);
  const y = result.getUTCFullYear();
  if (y < 1 || y > 9999) return undefined;
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  const text = `${pad(y, 4)}-${pad(result.getUTCMonth() + 1)}-${pad(result.getUTCDate())}`;
  return {
    sql: context.dialect === 'duckdb' ? `DATE ${quoteString(text)}` : quoteString(text),
    type: { ...dateType, nullable: false },
    constant: { kind: 'literal', type: 'date', value: text },
  };
}

/** An integer literal, or a string literal of digits ('1', '-90'), within `AMOUNT_MAX`. */
function wholeAmount(interval: Typed): number | undefined {
  const literal = interval.constant;
  if (literal === undefined) return undefined;
  const text =
    literal.type === 'int' || (literal.type === 'string' && typeof literal.value === 'string')
      ? String(literal.value)
      : undefined;
  if (text === undefined || !/^[-+]?\d{1,7}$/.test(text)) return undefined;
  const value = Number(text);
  return Math.abs(value) <= AMOUNT_MAX ? value : undefined;
}
