/**
 * Conversions between the text forms of values.ts ("YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS[.ffffff]",
 * "[-]HH:MM:SS[.ffffff]") and the parts the binary protocol carries
 * ("Binary Protocol Value": MYSQL_TYPE_DATE/DATETIME/TIMESTAMP and MYSQL_TYPE_TIME).
 */

export interface DateTimeParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
}

export interface TimeParts {
  readonly negative: boolean;
  readonly days: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
}

const DATE_TIME_PATTERN =
  /^(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?)?$/;
const TIME_PATTERN = /^(-)?(\d{1,4}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?$/;

function microseconds(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(fraction.padEnd(6, '0'));
}

export function parseDateTime(text: string): DateTimeParts | undefined {
  const match = DATE_TIME_PATTERN.exec(text.trim());
  if (match === null) return undefined;
  return {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4] ?? 0),
    minute: Number(match[5] ?? 0),
    second: Number(match[6] ?? 0),
    microsecond: microseconds(match[7]),
  };
}

export function parseTime(text: string): TimeParts | undefined {
  const match = TIME_PATTERN.exec(text.trim());
  if (match === null) return undefined;
  const hours = Number(match[2]);
  return {
    negative: match[1] === '-',
    days: Math.floor(hours / 24),
    hour: hours % 24,
    minute: Number(match[3]),
    second: Number(match[4]),
    microsecond: microseconds(match[5]),
  };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function fraction(microsecond: number): string {
  return microsecond === 0 ? '' : `.${pad(microsecond, 6)}`;
}

export function formatDate(parts: DateTimeParts): string {
  return `${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)}`;
}

export function formatDateTime(parts: DateTimeParts): string {
  const time = `${pad(parts.hour, 2)}:${pad(parts.minute, 2)}:${pad(parts.second, 2)}`;
  return `${formatDate(parts)} ${time}${fraction(parts.microsecond)}`;
}

export function formatTime(parts: TimeParts): string {
  const hours = parts.days * 24 + parts.hour;
  const sign = parts.negative ? '-' : '';
  return `${sign}${pad(hours, 2)}:${pad(parts.minute, 2)}:${pad(parts.second, 2)}${fraction(parts.microsecond)}`;
}
