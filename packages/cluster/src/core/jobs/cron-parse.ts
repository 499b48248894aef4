/**
 * Parses a cron expression in the crontab(5) dialect of Vixie cron (the POSIX crontab fields plus
 * Vixie's extensions), read with Metronome's rules: both day fields must match (cron-match.ts)
 * and a day of month that no listed month has is refused. The fields are
 * `minute hour day-of-month month day-of-week`, optionally followed by a year, as in Metronome's
 * cron-utils definition (CronSpec.scala: minutes to day-of-week, then `withYear().optional()`);
 * there is no seconds field, so a Quartz expression with leading seconds is not read as one.
 * Each field is a list of
 * items `*`, `n`, `a-b`, each optionally stepped `/s`; `a/s` means `a-max/s` (cronie's reading).
 * Months and weekdays accept English three-letter names, and day-of-week accepts 7 for Sunday.
 * The day fields also take the items Metronome's definition allows there (`L`, `L-n`, `LW`, `nW`;
 * `d#k`, `dL`: cron-days.ts), whose day depends on the month. `?` is refused with a sentence that
 * says so (Metronome's definition has no `?`), as are L, W and # in other fields.
 */

import { parseDayRule, type CronDayRule } from './cron-days.js';

/** The expanded fields, each a sorted list of the values that match. */
export type CronFields = {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  /** 0 = Sunday … 6 = Saturday (a 7 in the expression is stored as 0). */
  readonly daysOfWeek: readonly number[];
  /** Day-of-month items that depend on the month (`L`, `LW`, `15W`), besides daysOfMonth. */
  readonly dayOfMonthRules: readonly CronDayRule[];
  /** Day-of-week items that depend on the month (`5#2`, `FRIL`), besides daysOfWeek. */
  readonly dayOfWeekRules: readonly CronDayRule[];
  /** The years listed in a sixth field; undefined when every year matches (no field, or `*`). */
  readonly years: readonly number[] | undefined;
};

export type CronParseResult =
  | { readonly ok: true; readonly fields: CronFields }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Long enough for any sensible expression; longer input is a mistake or an attack. */
export const cronExpressionLengthMax = 256;

type FieldRule = {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly namesHint?: string;
};

const monthNames = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const minuteRule: FieldRule = { name: 'minute', min: 0, max: 59 };
const hourRule: FieldRule = { name: 'hour', min: 0, max: 23 };
const dayOfMonthRule: FieldRule = { name: 'day-of-month', min: 1, max: 31 };
// Month names map to 1-12, so the name list is offset by one from its index.
const monthRule: FieldRule = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['', ...monthNames],
  namesHint: 'JAN-DEC',
};
// Vixie cron accepts 0-7 with both 0 and 7 meaning Sunday.
const dayOfWeekRule: FieldRule = {
  name: 'day-of-week',
  min: 0,
  max: 7,
  names: dayNames,
  namesHint: 'SUN-SAT',
};

// cron-utils bounds a year only below, at 0 (so `*/4` is the leap years); schedules stop at 9999.
const yearRule: FieldRule = { name: 'year', min: 0, max: 9999 };

/** The crontab(5) macros Vixie cron documents, other than @reboot, which is not a schedule. */
const macros: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export function parseCron(expression: string): CronParseResult {
  const trimmed = expression.trim();
  if (trimmed.length > cronExpressionLengthMax) {
    return {
      ok: false,
      errors: [`cron expression is longer than ${cronExpressionLengthMax} characters`],
    };
  }
  if (trimmed.startsWith('@')) {
    const expansion = macros[trimmed.toLowerCase()];
    if (expansion === undefined) {
      const supported = Object.keys(macros).join(', ');
      const reason =
        trimmed.toLowerCase() === '@reboot'
          ? 'runs at start-up rather than on a schedule'
          : 'is not a known macro';
      return {
        ok: false,
        errors: [`cron macro '${trimmed}' ${reason}; supported macros: ${supported}`],
      };
    }
    return parseCron(expansion);
  }
  const parts = trimmed.split(/\s+/).filter((part) => part !== '');
  if (parts.length !== 5 && parts.length !== 6) {
    return {
      ok: false,
      errors: [
        `cron expression '${trimmed}' has ${parts.length} field${parts.length === 1 ? '' : 's'}; expected 5 ` +
          '(minute hour day-of-month month day-of-week) or 6 (with a trailing year field)',
      ],
    };
  }
  const rules = [minuteRule, hourRule, dayOfMonthRule, monthRule, dayOfWeekRule, yearRule];
  const errors: string[] = [];
  const dayRules: Record<string, CronDayRule[]> = { 'day-of-month': [], 'day-of-week': [] };
  const values = parts.map((text, index) => {
    const rule = rules[index] ?? yearRule;
    return parseField(text, rule, errors, dayRules[rule.name]);
  });
  if (errors.length > 0) return { ok: false, errors };
  const dayOfMonthRules = dayRules['day-of-month'] ?? [];
  const impossible = impossibleDays(values[2] ?? [], dayOfMonthRules, values[3] ?? []);
  if (impossible !== undefined) return { ok: false, errors: [impossible] };
  const daysOfWeek = [...new Set((values[4] ?? []).map((day) => day % 7))].sort((a, b) => a - b);
  const yearText = parts[5];
  const fields: CronFields = Object.freeze({
    minutes: Object.freeze(values[0] ?? []),
    hours: Object.freeze(values[1] ?? []),
    daysOfMonth: Object.freeze(values[2] ?? []),
    months: Object.freeze(values[3] ?? []),
    daysOfWeek: Object.freeze(daysOfWeek),
    dayOfMonthRules: Object.freeze(dayOfMonthRules),
    dayOfWeekRules: Object.freeze(dayRules['day-of-week'] ?? []),
    years: yearText === undefined || yearText === '*' ? undefined : Object.freeze(values[5] ?? []),
  });
  return { ok: true, fields };
}

/** The most days each month can have (February in a leap year). */
const monthDaysMax = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A sentence when no day of month listed exists in any month listed (30 February, 31 April), as
 * Metronome refuses such a schedule (its CronDaysInMonthValidation) instead of never running it.
 */
function impossibleDays(
  daysOfMonth: readonly number[],
  rules: readonly CronDayRule[],
  months: readonly number[],
): string | undefined {
  // Counted from the month's end, a rule always finds a day; `nW` needs day n to exist.
  if (rules.some((rule) => rule.kind === 'last-day' || rule.kind === 'last-weekday')) {
    return undefined;
  }
  const nearestDays = rules.map((rule) => (rule.kind === 'nearest-weekday' ? rule.day : 32));
  const firstDay = Math.min(daysOfMonth[0] ?? 32, ...nearestDays);
  if (firstDay === 32) return undefined;
  if (months.some((month) => firstDay <= (monthDaysMax[month - 1] ?? 31))) return undefined;
  return (
    'day-of-month and month never meet: no day listed exists in the months listed ' +
    '(e.g. 30 February), so the schedule would never run'
  );
}

/**
 * Expands one field to its sorted values, appending a sentence to `errors` for each bad item. A
 * day field passes `dayRules`, which collects its month-dependent items.
 */
function parseField(
  text: string,
  rule: FieldRule,
  errors: string[],
  dayRules?: CronDayRule[],
): number[] {
  const selected = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') {
      errors.push(`${rule.name} field '${text}' has an empty list item`);
      continue;
    }
    if (dayRules !== undefined) {
      const field = rule === dayOfMonthRule ? 'day-of-month' : 'day-of-week';
      const weekday = (token: string) => {
        const value = parseValue(token, dayOfWeekRule, errors);
        return value === undefined ? undefined : value % 7;
      };
      const dayRule = parseDayRule(item, field, weekday, errors);
      if (dayRule === 'error') continue;
      if (dayRule !== 'not-a-rule') {
        dayRules.push(dayRule);
        continue;
      }
    }
    const range = parseItem(item, rule, errors);
    if (range === undefined) continue;
    for (let value = range.first; value <= range.last; value += range.step) selected.add(value);
  }
  return [...selected].sort((a, b) => a - b);
}

/** One list item: `*`, `n`, `a-b`, with an optional `/step`. */
function parseItem(
  item: string,
  rule: FieldRule,
  errors: string[],
): { first: number; last: number; step: number } | undefined {
  const slashParts = item.split('/');
  if (slashParts.length > 2) {
    errors.push(`${rule.name} field '${item}' has more than one '/'`);
    return undefined;
  }
  const [base = '', stepText] = slashParts;
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText)) {
      errors.push(`${rule.name} field step '${item}' must be a whole number after '/'`);
      return undefined;
    }
    step = Number(stepText);
    if (step < 1) {
      errors.push(`${rule.name} field step '${item}' must be at least 1`);
      return undefined;
    }
  }
  if (base === '*') return { first: rule.min, last: rule.max, step };
  const bounds = base.split('-');
  if (bounds.length > 2) {
    errors.push(`${rule.name} field '${item}' has more than one '-'`);
    return undefined;
  }
  const first = parseValue(bounds[0] ?? '', rule, errors);
  const last =
    bounds[1] === undefined
      ? stepText === undefined
        ? first
        : rule.max
      : parseValue(bounds[1], rule, errors);
  if (first === undefined || last === undefined) return undefined;
  if (first > last) {
    errors.push(`${rule.name} field range '${base}' runs backwards; ${wrapHint(bounds, rule)}`);
    return undefined;
  }
  return { first, last, step };
}

function parseValue(token: string, rule: FieldRule, errors: string[]): number | undefined {
  if (/^\d+$/.test(token)) {
    const value = Number(token);
    if (value < rule.min || value > rule.max) {
      errors.push(`${rule.name} field '${token}' is out of range ${rule.min}-${rule.max}`);
      return undefined;
    }
    return value;
  }
  const nameIndex = rule.names?.indexOf(token.toUpperCase()) ?? -1;
  if (nameIndex > 0 || (nameIndex === 0 && rule.names?.[0] !== '')) return nameIndex;
  const extension = quartzExtension(token);
  if (extension === '?') {
    errors.push(
      `${rule.name} field '${token}' uses '?', which Metronome's cron does not accept; write '*'`,
    );
    return undefined;
  }
  if (extension !== undefined) {
    const where = { W: 'the day-of-month field accepts', '#': 'the day-of-week field accepts' };
    errors.push(
      `${rule.name} field '${token}' uses '${extension}', which only ` +
        `${where[extension as 'W' | '#'] ?? 'the day fields accept'} as a whole list item ` +
        "(e.g. 'L' or '15W' for the day of month, '5#2' or 'FRIL' for the day of week)",
    );
    return undefined;
  }
  const expected =
    rule.namesHint === undefined ? 'a number' : `a number or a name ${rule.namesHint}`;
  errors.push(`${rule.name} field '${token}' is not ${expected}`);
  return undefined;
}

/** Which Quartz extension a token uses (`?`, `5#2`, `L`, `5L`, `FRIL`, `LW`, `15W`), if any. */
function quartzExtension(token: string): string | undefined {
  if (token === '?') return '?';
  if (token.includes('#')) return '#';
  if (/^(L|\d+L|[A-Z]{3}L)$/i.test(token)) return 'L';
  if (/^(LW|\d+W)$/i.test(token)) return 'W';
  return undefined;
}

/** Suggests the two ranges a wrapping range such as FRI-MON or 22-2 stands for. */
function wrapHint(bounds: readonly string[], rule: FieldRule): string {
  const [from = '', to = ''] = bounds;
  const byName = /^[A-Z]+$/i.test(from) || /^[A-Z]+$/i.test(to);
  // Day-of-week accepts 7 for Sunday, but the natural end of a week is Saturday (6).
  const lastValue = rule === dayOfWeekRule ? 6 : rule.max;
  const last = byName ? (rule.names?.[lastValue] ?? String(lastValue)) : String(lastValue);
  const first = byName ? (rule.names?.[rule.min] ?? String(rule.min)) : String(rule.min);
  return `write a wrapping range as two, e.g. '${from}-${last},${first}-${to}'`;
}
