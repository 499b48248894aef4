/**
 * Proleptic Gregorian calendar arithmetic on "wall-clock milliseconds": a local date and time
 * encoded as if it were a UTC instant (days since 1970-01-01 × 86 400 000 + time of day). The
 * encoding keeps wall-clock times ordered and lets the schedule code add days and compare times
 * without a time zone; zoned-time.ts maps them to real instants. The day-number conversions are
 * Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms, which avoid Date.UTC's
 * quirk of reading years 0-99 as 1900-1999.
 */

export const secondMs = 1_000;
export const minuteMs = 60_000;
export const hourMs = 3_600_000;
export const dayMs = 86_400_000;

/** A calendar date and time of day; `month` is 1-12, `day` 1-31, as people write them. */
export type CivilDateTime = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

/** Days from 1970-01-01 to the given proleptic Gregorian date (negative before it). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The inverse of daysFromCivil. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return monthLengths[month - 1] ?? 31;
}

/** 0 = Sunday … 6 = Saturday, as in crontab(5); 1970-01-01 was a Thursday. */
export function dayOfWeekFromDays(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

export function wallMsFromCivil(civil: CivilDateTime): number {
  return (
    daysFromCivil(civil.year, civil.month, civil.day) * dayMs +
    civil.hour * hourMs +
    civil.minute * minuteMs +
    civil.second * secondMs
  );
}

/** Splits wall-clock milliseconds into calendar fields; the sub-second part is dropped. */
export function civilFromWallMs(wallMs: number): CivilDateTime {
  const days = Math.floor(wallMs / dayMs);
  const secondsOfDay = Math.floor((wallMs - days * dayMs) / secondMs);
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(secondsOfDay / 3600),
    minute: Math.floor(secondsOfDay / 60) % 60,
    second: secondsOfDay % 60,
  };
}
