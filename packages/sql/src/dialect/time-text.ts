/** MySQL TIME and DATETIME text ↔ microseconds, for the rowstore engine's TIME arithmetic functions. */
import { readTime, timeSeconds, TIME_SECONDS_LIMIT } from '../catalog/time-reading.js';

/** MySQL's TIME range, ±838:59:59.999999, in microseconds. */
export const TIME_MICROS_MAX = TIME_SECONDS_LIMIT * 1_000_000 + 999_999;

const CLOCK = /^(-)?(?:(\d+) )?(\d+):(\d{1,2})(?::(\d{1,2}))?(?:\.(\d{0,9}))?$/;

/**
 * A MySQL TIME text ('[-][D ]H…H:MM[:SS[.ffffff]]') as signed microseconds, the order TIME
 * values sort and compare in; undefined when the text is not a time.
 */
export function timeTextMicros(text: string): number | undefined {
  const match = CLOCK.exec(text.trim());
  if (match === null) return undefined;
  const [, minus, days, hours, minutes, seconds, fraction] = match;
  const total =
    ((Number(days ?? 0) * 24 + Number(hours)) * 3600 +
      Number(minutes) * 60 +
      Number(seconds ?? 0)) *
      1_000_000 +
    Number((fraction ?? '').slice(0, 6).padEnd(6, '0'));
  return minus === undefined ? total : -total;
}

/**
 * Signed microseconds as MySQL's TIME text with `scale` fraction digits (truncated); a scale of
 * -1 writes six digits when the fraction is not zero and none otherwise (ADDTIME of text).
 */
export function microsTimeText(micros: number, scale: number): string {
  const magnitude = Math.trunc(Math.abs(micros));
  if (scale < 0) return microsTimeText(micros, magnitude % 1_000_000 === 0 ? 0 : 6);
  const seconds = Math.floor(magnitude / 1_000_000);
  const two = (value: number): string => String(value).padStart(2, '0');
  const clock = `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
  const fraction =
    scale > 0
      ? `.${String(magnitude % 1_000_000)
          .padStart(6, '0')
          .slice(0, scale)}`
      : '';
  return `${micros < 0 && magnitude >= 10 ** (6 - scale) ? '-' : ''}${clock}${fraction}`;
}

/**
 * CAST(value AS TIME(scale)) for text values, as MySQL reads TIME text (`readTime`): a time keeps
 * its value, a datetime gives its time of day, digits read as [H…H]HMMSS, a date alone is
 * midnight; past ±838:59:59 it is clamped; unreadable is NULL.
 */
export function castTimeText(text: string, scale: number): string | null {
  const micros = castTimeMicros(text);
  return micros === null ? null : microsTimeText(micros, scale);
}

/** `castTimeText` as signed microseconds. */
export function castTimeMicros(text: string): number | null {
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(text.trim())) return 0;
  const parts = readTime(text);
  if (parts === undefined) return null;
  const micros = Math.min(
    timeSeconds(parts) * 1_000_000 + Number(parts.fraction.slice(0, 6).padEnd(6, '0')),
    TIME_MICROS_MAX,
  );
  return parts.negative ? -micros : micros;
}

const DATETIME_TEXT =
  /^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d*))?)?\s*$/;

/** 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]' as microseconds since 1970 (UTC); null when it is not one. */
export function datetimeTextMicros(text: string): number | null {
  const match = DATETIME_TEXT.exec(text);
  if (match === null) return null;
  const [, year, month, day, hours, minutes, seconds, fraction] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hours ?? 0), Number(minutes ?? 0), Number(seconds ?? 0), 0);
  const millis = date.getTime();
  if (!Number.isFinite(millis)) return null;
  return millis * 1000 + Number((fraction ?? '').slice(0, 6).padEnd(6, '0'));
}

/** A datetime text's microseconds since 1970, else a TIME text's (`castTimeMicros`). */
export function temporalTextMicros(text: string): number | null {
  return datetimeTextMicros(text) ?? castTimeMicros(text);
}

/**
 * Microseconds since 1970 as 'YYYY-MM-DD HH:MM:SS' with `scale` fraction digits (-1: six when
 * the fraction is not zero); null outside the years 0 to 9999.
 */
export function microsDatetimeText(micros: number, scale: number): string | null {
  const whole = Math.trunc(micros);
  const fraction = ((whole % 1_000_000) + 1_000_000) % 1_000_000;
  const date = new Date((whole - fraction) / 1000);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(year) || year < 0 || year > 9999) return null;
  const two = (value: number): string => String(value).padStart(2, '0');
  const text =
    `${String(year).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  const digits = scale < 0 ? (fraction === 0 ? 0 : 6) : Math.min(6, scale);
  return digits === 0 ? text : `${text}.${String(fraction).padStart(6, '0').slice(0, digits)}`;
}
