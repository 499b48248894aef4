/**
 * PERIOD_ADD and PERIOD_DIFF (MySQL reference, "Date and Time Functions"): a period is YYMM or
 * YYYYMM, a two-digit year below 70 in the 2000s and from 70 in the 1900s, and 0 stays 0. Both
 * go through the period's month count (year × 12 + month − 1), with the arguments rounded to
 * integers as MySQL reads them.
 */
import { roundToInteger } from '../cast.js';
import { asValue, toNumber } from '../coerce.js';
import type { Context } from '../context.js';
import type { Typed } from '../types.js';
import { arg, define, type FunctionTable } from './handler.js';

const periodType: Typed['type'] = { type: 'int', length: 6 };

function integer(context: Context, value: Typed): string {
  return roundToInteger(context, toNumber(context, asValue(context, value)));
}

/** `a` divided by the positive constant `b`, as an integer (both engines). */
function quotient(context: Context, a: string, b: number): string {
  return context.dialect === 'duckdb' ? `(${a} // ${b})` : `(${a} / ${b})`;
}

/** A year below 100 read as 2000–2069 or 1970–2099. */
function fullYear(year: string): string {
  return `(CASE WHEN ${year} < 70 THEN ${year} + 2000 WHEN ${year} < 100 THEN ${year} + 1900 ELSE ${year} END)`;
}

function months(context: Context, period: string): string {
  const year = fullYear(quotient(context, period, 100));
  return `(CASE WHEN ${period} = 0 THEN 0 ELSE ${year} * 12 + ${period} % 100 - 1 END)`;
}

function period(context: Context, monthCount: string): string {
  const year = fullYear(quotient(context, monthCount, 12));
  return `(CASE WHEN ${monthCount} = 0 THEN 0 ELSE ${year} * 100 + ${monthCount} % 12 + 1 END)`;
}

export const periodFunctions: FunctionTable = {
  PERIOD_ADD: define(2, 2, (context, args) => {
    const p = integer(context, arg(args, 0));
    const n = integer(context, arg(args, 1));
    const added = period(context, `(${months(context, p)} + ${n})`);
    return { sql: `(CASE WHEN ${p} = 0 THEN 0 ELSE ${added} END)`, type: periodType };
  }),
  PERIOD_DIFF: define(2, 2, (context, args) => {
    const a = months(context, integer(context, arg(args, 0)));
    const b = months(context, integer(context, arg(args, 1)));
    return { sql: `(${a} - ${b})`, type: periodType };
  }),
};
