import { cronRulesMatch } from './cron-days.js';
import type { CronFields } from './cron-parse.js';
import {
  civilFromWallMs,
  dayOfWeekFromDays,
  daysFromCivil,
  daysInMonth,
  dayMs,
  hourMs,
  minuteMs,
} from './civil-time.js';

/**
 * Finds the next wall-clock time that a cron expression matches, on the calendar alone (no time
 * zone). It works field by field from the largest unit (a time matches when every field
 * matches, with the day-of-month/day-of-week rule below): a year the year field leaves out is skipped whole, then a month, a day, an hour, a minute. So the
 * search costs at most a few iterations per day considered, never one per minute, and an
 * expression that can never match (say 30 February) gives up at the year limit.
 */

/** The smallest value in a sorted list that is at least `value`, or undefined. */
function firstAtLeast(values: readonly number[], value: number): number | undefined {
  for (const candidate of values) {
    if (candidate >= value) return candidate;
  }
  return undefined;
}

/**
 * Metronome's day rule: a day matches when its day of month AND its day of week both match (a
 * `*` field matches every day). Metronome builds its cron definition with cron-utils'
 * matchDayOfWeekAndDayOfMonth (CronSpec.scala), so `0 0 1-7 * MON` is the first Monday of each
 * month, not "days 1-7 and every Monday" as Vixie cron's either-field rule would read it. A
 * field's month-dependent items (`L`, `15W`, `5#2`: cron-days.ts) match besides its values.
 */
export function cronDayMatches(
  fields: CronFields,
  options: { year: number; month: number; day: number; dayOfWeek: number },
): boolean {
  return (
    (fields.daysOfMonth.includes(options.day) || cronRulesMatch(fields.dayOfMonthRules, options)) &&
    (fields.daysOfWeek.includes(options.dayOfWeek) ||
      cronRulesMatch(fields.dayOfWeekRules, options))
  );
}

/**
 * The first year from `year` on that the expression's year field allows, if any. A stepped year
 * field can list thousands of years, so the sorted list is searched by bisection.
 */
export function firstCronYear(fields: CronFields, year: number): number | undefined {
  const years = fields.years;
  if (years === undefined) return year;
  let low = 0;
  let high = years.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((years[middle] ?? Infinity) < year) low = middle + 1;
    else high = middle;
  }
  return years[low];
}

/**
 * The first wall-clock time strictly after `afterWallMs`, on a whole minute, that matches
 * `fields`, or undefined when none falls in a year up to `yearMax`.
 */
export function nextCronWallMs(
  fields: CronFields,
  options: { afterWallMs: number; yearMax: number },
): number | undefined {
  const start = civilFromWallMs(Math.floor(options.afterWallMs / minuteMs) * minuteMs + minuteMs);
  let { year, month, day, hour, minute } = start;
  const firstMonth = fields.months[0];
  const firstHour = fields.hours[0];
  const firstMinute = fields.minutes[0];
  if (firstMonth === undefined || firstHour === undefined || firstMinute === undefined) {
    return undefined;
  }
  // The year is checked when it changes, not at every step of the search.
  let checkedYear: number | undefined;
  for (;;) {
    if (year !== checkedYear) {
      const matchingYear = firstCronYear(fields, year);
      if (matchingYear === undefined) return undefined;
      if (matchingYear !== year) {
        year = matchingYear;
        month = firstMonth;
        day = 1;
        hour = minute = 0;
      }
      checkedYear = year;
    }
    if (year > options.yearMax) return undefined;
    const matchingMonth = firstAtLeast(fields.months, month);
    if (matchingMonth === undefined) {
      year += 1;
      month = firstMonth;
      day = 1;
      hour = minute = 0;
      continue;
    }
    if (matchingMonth !== month) {
      month = matchingMonth;
      day = 1;
      hour = minute = 0;
    }
    if (day > daysInMonth(year, month)) {
      month += 1;
      if (month > 12) {
        month = 1;
        year += 1;
      }
      day = 1;
      hour = minute = 0;
      continue;
    }
    const days = daysFromCivil(year, month, day);
    if (!cronDayMatches(fields, { year, month, day, dayOfWeek: dayOfWeekFromDays(days) })) {
      day += 1;
      hour = minute = 0;
      continue;
    }
    const matchingHour = firstAtLeast(fields.hours, hour);
    if (matchingHour === undefined) {
      day += 1;
      hour = minute = 0;
      continue;
    }
    if (matchingHour !== hour) {
      hour = matchingHour;
      minute = 0;
    }
    const matchingMinute = firstAtLeast(fields.minutes, minute);
    if (matchingMinute === undefined) {
      hour += 1;
      minute = 0;
      continue;
    }
    return days * dayMs + hour * hourMs + matchingMinute * minuteMs;
  }
}
