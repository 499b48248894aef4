/**
 * Parsing date and time text into the data plane's canonical forms ("YYYY-MM-DD",
 * "YYYY-MM-DD HH:MM:SS[.ffffff]", "[-]HH:MM:SS[.ffffff]"), accepting the spellings MySQL
 * accepts for literals: delimited or packed digits, a `T` separator, and a missing time part.
 * Invalid dates (month 13, February 30, zero dates under strict mode) are undefined.
 */
const DATE_TIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{0,9}))?)?)?$/;
const PACKED = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})(?:\.(\d{0,9}))?)?$/;
const TIME = /^(-)?(?:(\d+) )?(\d{1,3}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{0,9}))?)?$/;
const PACKED_TIME = /^(-)?(\d{1,3}?)(\d{2})(\d{2})(?:\.(\d{0,9}))?$/;
const TIME_HOURS_MAX = 838;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string;
}

function parseDateTime(source: string): Parts | undefined {
  const text = source.trim();
  const match = DATE_TIME.exec(text) ?? PACKED.exec(text);
  if (match === null) return undefined;
  const parts: Parts = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4] ?? 0),
    minute: Number(match[5] ?? 0),
    second: Number(match[6] ?? 0),
    fraction: match[7] ?? '',
  };
  if (parts.month < 1 || parts.month > 12 || parts.day < 1) return undefined;
  if (parts.day > daysInMonth(parts.year, parts.month)) return undefined;
  if (parts.hour > 23 || parts.minute > 59 || parts.second > 59) return undefined;
  return parts;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

export function normalizeDate(source: string): string | undefined {
  const parts = parseDateTime(source);
  if (parts === undefined) return undefined;
  return `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}`;
}

export function normalizeDateTime(source: string, fsp: number): string | undefined {
  const parts = parseDateTime(source);
  if (parts === undefined) return undefined;
  const { fraction, carry } = roundFraction(parts.fraction, fsp);
  let date = new Date(
    Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second),
  );
  if (carry) date = new Date(date.getTime() + 1000);
  const text =
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return fsp > 0 ? `${text}.${fraction}` : text;
}

export function normalizeTime(source: string, fsp: number): string | undefined {
  const text = source.trim();
  const match = TIME.exec(text);
  let negative: boolean;
  let hours: number;
  let minutes: number;
  let seconds: number;
  let rawFraction: string;
  if (match !== null) {
    negative = match[1] === '-';
    hours = Number(match[2] ?? 0) * 24 + Number(match[3]);
    minutes = Number(match[4]);
    seconds = Number(match[5] ?? 0);
    rawFraction = match[6] ?? '';
  } else {
    const packed = PACKED_TIME.exec(text);
    if (packed === null) return undefined;
    negative = packed[1] === '-';
    hours = Number(packed[2] === '' ? 0 : packed[2]);
    minutes = Number(packed[3]);
    seconds = Number(packed[4]);
    rawFraction = packed[5] ?? '';
  }
  if (minutes > 59 || seconds > 59) return undefined;
  const { fraction, carry } = roundFraction(rawFraction, fsp);
  let total = hours * 3600 + minutes * 60 + seconds + (carry ? 1 : 0);
  if (total > TIME_HOURS_MAX * 3600 + 59 * 60 + 59) return undefined;
  const h = Math.floor(total / 3600);
  total -= h * 3600;
  const body = `${pad(h)}:${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
  const sign = negative && (h > 0 || total > 0 || /[1-9]/.test(fraction)) ? '-' : '';
  return fsp > 0 ? `${sign}${body}.${fraction}` : `${sign}${body}`;
}

function roundFraction(raw: string, fsp: number): { fraction: string; carry: boolean } {
  const digits = raw.padEnd(fsp + 1, '0');
  let kept = Number(digits.slice(0, fsp) || '0');
  if ((digits[fsp] ?? '0') >= '5') kept += 1;
  const limit = 10 ** fsp;
  if (kept >= limit) return { fraction: '0'.repeat(fsp), carry: true };
  return { fraction: fsp > 0 ? String(kept).padStart(fsp, '0') : '', carry: false };
}
