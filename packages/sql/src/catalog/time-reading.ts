/**
 * TIME text as MySQL reads it (reference, "Date and Time Literals"; MariaDB's str_to_time):
 * - '[-][D ]H…H:MM[:SS][.f…]' — 'D HH:MM' adds D days, 'HH:MM' is hours and minutes;
 * - packed digits '[-]…HHMMSS[.f…]' read from the right: '12' is 00:00:12, '1234' 00:12:34,
 *   '123456' 12:34:56, '0' midnight; minutes or seconds past 59 make it no time ('99');
 * - a datetime ('2024-01-05 10:11:12', or packed in 12 or 14 digits) gives its time of day.
 * Hours are not bounded here: the reader of the parts decides what past 838:59:59 means (a
 * column refuses it in strict mode and clamps it otherwise; CAST clamps).
 */
export interface TimeParts {
  readonly negative: boolean;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  /** The fraction's digits as written (not padded, not cut). */
  readonly fraction: string;
}

/** ±838:59:59, MySQL's TIME range in whole seconds. */
export const TIME_SECONDS_LIMIT = 838 * 3600 + 59 * 60 + 59;

const CLOCK = /^(-)?(?:(\d+)\s+)?(\d+):(\d{1,2})(?::(\d{1,2}))?(?:\.(\d*))?$/;
const PACKED = /^(-)?(\d+)(?:\.(\d*))?$/;
const DATETIME =
  /^\d{2,4}[^\d\s]\d{1,2}[^\d\s]\d{1,2}(?:[ T]|\s+)(\d{1,2})[^\d\s](\d{1,2})(?:[^\d\s](\d{1,2})(?:\.(\d*))?)?$/;

/** Whether TIME text carries a date part (a datetime, delimited or packed), which a TIME drops. */
export function hasDatePart(source: string): boolean {
  const text = source.trim();
  return DATETIME.test(text) || /^\d{12,}(\.\d*)?$/.test(text);
}

export function readTime(source: string): TimeParts | undefined {
  const text = source.trim();
  const clock = CLOCK.exec(text);
  if (clock !== null) {
    const [, minus, days, hours, minutes, seconds, fraction] = clock;
    return checked({
      negative: minus !== undefined,
      hours: Number(days ?? 0) * 24 + Number(hours),
      minutes: Number(minutes),
      seconds: Number(seconds ?? 0),
      fraction: fraction ?? '',
    });
  }
  const packed = PACKED.exec(text);
  if (packed !== null) {
    const [, minus, digits = '', fraction] = packed;
    // 12 or more digits are a packed datetime: YYMMDDhhmmss or YYYYMMDDhhmmss.
    const six = (digits.length >= 12 ? digits.slice(-6) : digits).padStart(6, '0');
    return checked({
      negative: minus !== undefined && digits.length < 12,
      hours: Number(six.slice(0, -4)),
      minutes: Number(six.slice(-4, -2)),
      seconds: Number(six.slice(-2)),
      fraction: fraction ?? '',
    });
  }
  const datetime = DATETIME.exec(text);
  if (datetime === null) return undefined;
  const [, hours, minutes, seconds, fraction] = datetime;
  const parts = checked({
    negative: false,
    hours: Number(hours),
    minutes: Number(minutes),
    seconds: Number(seconds ?? 0),
    fraction: fraction ?? '',
  });
  return parts !== undefined && parts.hours < 24 ? parts : undefined;
}

function checked(parts: TimeParts): TimeParts | undefined {
  return parts.minutes > 59 || parts.seconds > 59 ? undefined : parts;
}

/** Whole seconds of the parts, without sign or fraction. */
export function timeSeconds(parts: TimeParts): number {
  return parts.hours * 3600 + parts.minutes * 60 + parts.seconds;
}
