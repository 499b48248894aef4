import { dayOfWeekFromDays, daysFromCivil, daysInMonth } from './civil-time.js';

/**
 * The day-field items whose day depends on the month, as Metronome's cron definition allows them
 * (CronSpec.scala: `supportsHash().supportsL().supportsW()` on both day fields; cron-utils gives
 * them their Quartz meanings):
 *
 * - `L` (day of month): the last day of the month; `L-n` the n-th day before it.
 * - `LW`: the last weekday (Monday to Friday) of the month.
 * - `nW`: the weekday nearest to day n within the month — a Saturday moves back to Friday (or on
 *   to Monday the 3rd when n is the 1st), a Sunday on to Monday (or back to Friday when n is
 *   the last day); in a month without day n, none.
 * - `d#k` (day of week): the k-th weekday d of the month (none in a month without a fifth).
 * - `dL` (day of week): the last weekday d of the month.
 */
export type CronDayRule =
  | { readonly kind: 'last-day'; readonly offset: number }
  | { readonly kind: 'last-weekday' }
  | { readonly kind: 'nearest-weekday'; readonly day: number }
  | { readonly kind: 'nth-weekday'; readonly weekday: number; readonly nth: number }
  | { readonly kind: 'last-of-weekday'; readonly weekday: number };

const saturday = 6;
const sunday = 0;

/** The day of the month a rule picks in the given month, or undefined when it picks none. */
export function cronRuleDay(rule: CronDayRule, year: number, month: number): number | undefined {
  const length = daysInMonth(year, month);
  const weekdayOf = (day: number) => dayOfWeekFromDays(daysFromCivil(year, month, day));
  switch (rule.kind) {
    case 'last-day': {
      const day = length - rule.offset;
      return day >= 1 ? day : undefined;
    }
    case 'last-weekday': {
      const weekday = weekdayOf(length);
      if (weekday === saturday) return length - 1;
      if (weekday === sunday) return length - 2;
      return length;
    }
    case 'nearest-weekday': {
      if (rule.day > length) return undefined;
      const weekday = weekdayOf(rule.day);
      if (weekday === saturday) return rule.day === 1 ? 3 : rule.day - 1;
      if (weekday === sunday) return rule.day === length ? rule.day - 2 : rule.day + 1;
      return rule.day;
    }
    case 'nth-weekday': {
      const first = 1 + ((rule.weekday - weekdayOf(1) + 7) % 7);
      const day = first + (rule.nth - 1) * 7;
      return day <= length ? day : undefined;
    }
    case 'last-of-weekday':
      return length - ((weekdayOf(length) - rule.weekday + 7) % 7);
  }
}

/** Whether any of the rules picks `day` in the given month. */
export function cronRulesMatch(
  rules: readonly CronDayRule[],
  options: { year: number; month: number; day: number },
): boolean {
  return rules.some((rule) => cronRuleDay(rule, options.year, options.month) === options.day);
}

/** What parseDayRule makes of a list item: a rule, an error already reported, or neither. */
export type DayRuleParse = CronDayRule | 'error' | 'not-a-rule';

/**
 * Reads one list item of a day field as a rule (`L`, `L-3`, `LW`, `15W`; `5#2`, `FRI#2`, `5L`,
 * `FRIL`), appending a sentence to `errors` when it is one but malformed. `weekday` reads a
 * day-of-week number or name (0-7, SUN-SAT) to 0-6, reporting its own errors.
 */
export function parseDayRule(
  item: string,
  field: 'day-of-month' | 'day-of-week',
  weekday: (token: string) => number | undefined,
  errors: string[],
): DayRuleParse {
  const fail = (reason: string): 'error' => {
    errors.push(`${field} field '${item}' ${reason}`);
    return 'error';
  };
  if (field === 'day-of-month') {
    if (/^L$/i.test(item)) return { kind: 'last-day', offset: 0 };
    if (/^LW$/i.test(item)) return { kind: 'last-weekday' };
    const before = /^L-(\d+)$/i.exec(item);
    if (before !== null) {
      const offset = Number(before[1]);
      return offset >= 1 && offset <= 30
        ? { kind: 'last-day', offset }
        : fail('counts back 1-30 days from the last day (L-1 … L-30)');
    }
    const nearest = /^(\d+)W$/i.exec(item);
    if (nearest !== null) {
      const day = Number(nearest[1]);
      return day >= 1 && day <= 31
        ? { kind: 'nearest-weekday', day }
        : fail('names a day out of range 1-31 before W');
    }
    return 'not-a-rule';
  }
  if (/^L$/i.test(item)) {
    return fail("needs a weekday before L (e.g. '5L' or 'FRIL', the last Friday of the month)");
  }
  const nth = /^([A-Z]{3}|\d+)#(\d+)$/i.exec(item);
  if (nth !== null) {
    const day = weekday(nth[1] ?? '');
    if (day === undefined) return 'error';
    const occurrence = Number(nth[2]);
    return occurrence >= 1 && occurrence <= 5
      ? { kind: 'nth-weekday', weekday: day, nth: occurrence }
      : fail("has an occurrence out of range 1-5 after '#'");
  }
  const last = /^([A-Z]{3}|\d+)L$/i.exec(item);
  if (last !== null) {
    const day = weekday(last[1] ?? '');
    return day === undefined ? 'error' : { kind: 'last-of-weekday', weekday: day };
  }
  return 'not-a-rule';
}
