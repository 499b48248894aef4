/** MySQL text forms of decimals, dates and times (values.ts conventions). */
import { ZERO_DATE, zeroDateText } from '../zero-date.js';

const MICROS_PER_SECOND = 1_000_000n;
const MICROS_PER_DAY = 86_400_000_000n;
const MS_PER_DAY = 86_400_000;

function toSafeNumber(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

export { toSafeNumber };

/** An unscaled integer and a scale → "-123.45" with exactly `scale` fraction digits. */
export function formatScaledDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const integer = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${integer}${scale > 0 ? '.' : ''}${fraction}`;
}

/** Any numeric value → exact decimal text with `scale` digits, rounding half away from zero. */
export function formatDecimal(value: number | bigint | string, scale: number): string {
  if (typeof value === 'bigint') return formatScaledDecimal(value * 10n ** BigInt(scale), scale);
  let text = typeof value === 'number' ? numberText(value) : value.trim();
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (match === null) {
    const parsed = Number(text);
    if (!Number.isFinite(parsed)) return text;
    text = numberText(parsed);
    return formatDecimal(text, scale);
  }
  const negative = match[1] === '-';
  const integer = match[2] === '' || match[2] === undefined ? '0' : match[2];
  const fraction = match[3] ?? '';
  let unscaled = BigInt(integer + fraction.slice(0, scale).padEnd(scale, '0'));
  if ((fraction[scale] ?? '0') >= '5') unscaled += 1n;
  return formatScaledDecimal(negative ? -unscaled : unscaled, scale);
}

/** A number without exponent notation (toFixed up to 20 digits keeps what a double holds). */
function numberText(value: number): string {
  if (Number.isInteger(value)) return BigInt(value).toString();
  const text = String(value);
  if (!text.includes('e')) return text;
  return value.toFixed(20).replace(/0+$/, '');
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** DuckDB's '-infinity' DATE and TIMESTAMP: the zero date (catalog/zero-date.ts). */
const DUCK_ZERO_DAYS = -2147483647;
const DUCK_ZERO_MICROS = -9223372036854775807n;

export function formatDateDays(days: number): string {
  const date = new Date(days * MS_PER_DAY);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999 || Number.isNaN(year))
    return days === DUCK_ZERO_DAYS ? ZERO_DATE : String(days);
  return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/** Fraction digits: `scale` when known, else six when non-zero, else none. */
function fractionText(micros: number, scale: number | undefined): string {
  const digits = scale ?? (micros === 0 ? 0 : 6);
  if (digits <= 0) return '';
  return `.${pad(micros, 6).slice(0, Math.min(digits, 6)).padEnd(digits, '0')}`;
}

export function formatTimestampMicros(micros: bigint, scale?: number): string {
  if (micros <= DUCK_ZERO_MICROS) return zeroDateText('datetime', scale);
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  const seconds = Number(rest / MICROS_PER_SECOND);
  const fraction = Number(rest % MICROS_PER_SECOND);
  const clock = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  return `${formatDateDays(Number(days))} ${clock}${fractionText(fraction, scale)}`;
}

export function formatTimeMicros(micros: bigint, scale?: number): string {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const seconds = Number(magnitude / MICROS_PER_SECOND);
  const fraction = Number(magnitude % MICROS_PER_SECOND);
  const clock = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  return `${negative ? '-' : ''}${clock}${fractionText(fraction, scale)}`;
}

/** Re-cuts the fraction of a "…HH:MM:SS[.fff]" text to `scale` digits (truncating, as stored). */
export function withFractionDigits(text: string, scale: number): string {
  const match = /^(.*\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/.exec(text);
  if (match === null) return text;
  const fraction = (match[2] ?? '').slice(0, scale).padEnd(scale, '0');
  return scale > 0 ? `${match[1] ?? ''}.${fraction}` : (match[1] ?? text);
}
