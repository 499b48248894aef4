/** MySQL TIME text ↔ whole seconds, for the rowstore engine's TIME arithmetic functions. */
import { readTime, timeSeconds, TIME_SECONDS_LIMIT } from '../catalog/time-reading.js';

/** MySQL's TIME range, ±838:59:59.999999, in microseconds. */
export const TIME_MICROS_MAX = TIME_SECONDS_LIMIT * 1_000_000 + 999_999;

/** 'YYYY-MM-DD[ HH:MM:SS]' as seconds since 1970, other text as MySQL reads a TIME (`readTime`). */
export function timeTextSeconds(text: string): number | null {
  const trimmed = text.trim();
  const datetime = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?/.exec(trimmed);
  if (datetime !== null) {
    const [, year, month, day, hours, minutes, seconds] = datetime;
    const utc = Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hours ?? 0),
      Number(minutes ?? 0),
      Number(seconds ?? 0),
    );
    return Number.isFinite(utc) ? utc / 1000 : null;
  }
  const parts = readTime(trimmed);
  if (parts === undefined) return null;
  const total = timeSeconds(parts);
  return parts.negative ? -total : total;
}

export function secondsTimeText(seconds: number): string | null {
  if (!Number.isFinite(seconds)) return null;
  const clamped = Math.max(-TIME_SECONDS_LIMIT, Math.min(TIME_SECONDS_LIMIT, Math.floor(seconds)));
  const magnitude = Math.abs(clamped);
  const two = (value: number): string => String(value).padStart(2, '0');
  const hours = Math.floor(magnitude / 3600);
  return `${clamped < 0 ? '-' : ''}${two(hours)}:${two(Math.floor((magnitude % 3600) / 60))}:${two(magnitude % 60)}`;
}

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

/** Signed microseconds as MySQL's TIME text with `scale` fraction digits (truncated). */
export function microsTimeText(micros: number, scale: number): string {
  const magnitude = Math.abs(micros);
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
