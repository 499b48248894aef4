/**
 * DATE_ADD on SQLite when the result keeps fractional seconds (`exo_datetime_add`): SQLite's
 * datetime() drops them. Months are added first, the day cut to the month's last (2024-01-31
 * plus a month is 2024-02-29), then microseconds, exactly; out of years 0…9999 is NULL.
 */
import { daysInMonth } from '../catalog/temporal.js';
import { parseDateTime } from './mysql-dates.js';

const MICROS_PER_MS = 1000n;

export function addToDateTime(
  text: string,
  months: number,
  micros: number,
  digits: number,
): string | null {
  const parts = parseDateTime(text);
  if (parts === undefined || !Number.isFinite(months) || !Number.isFinite(micros)) return null;
  const monthIndex = parts.year * 12 + (parts.month - 1) + Math.trunc(months);
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const day = Math.min(parts.day, daysInMonth(year, month));
  const start = new Date(0);
  start.setUTCFullYear(year, month - 1, day);
  start.setUTCHours(parts.hour, parts.minute, parts.second, 0);
  const total =
    BigInt(start.getTime()) * MICROS_PER_MS +
    BigInt(parts.microsecond) +
    BigInt(Math.round(micros));
  let ms = total / MICROS_PER_MS;
  let rest = total % MICROS_PER_MS;
  if (rest < 0n) {
    rest += MICROS_PER_MS;
    ms -= 1n;
  }
  const date = new Date(Number(ms));
  const y = date.getUTCFullYear();
  if (y < 0 || y > 9999) return null;
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  const base =
    `${pad(y, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  if (digits <= 0) return base;
  const fraction = `${pad(date.getUTCMilliseconds(), 3)}${pad(Number(rest), 3)}`;
  return `${base}.${fraction.slice(0, Math.min(6, digits))}`;
}
