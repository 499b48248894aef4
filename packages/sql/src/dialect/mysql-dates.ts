/**
 * MySQL's date formatting, parsing and week numbering in plain TypeScript, for engines that
 * call back into JavaScript (SQLite). Values are MySQL text: 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]'.
 */
export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
}

const pattern =
  /^(?:(\d{1,4})-(\d{1,2})-(\d{1,2}))?[ T]?(?:(\d{1,3}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?)?$/;

export function parseDateTime(text: string): DateParts | undefined {
  const m = pattern.exec(text.trim());
  if (m === null || (m[1] === undefined && m[4] === undefined)) return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  return {
    year: m[1] === undefined ? 2000 : n(1),
    month: m[1] === undefined ? 1 : n(2),
    day: m[1] === undefined ? 1 : n(3),
    hour: n(4),
    minute: n(5),
    second: n(6),
    microsecond: Number((m[7] ?? '').padEnd(6, '0')),
  };
}

/** Days since year 0, as MySQL's TO_DAYS counts them. */
export function dayNumber(year: number, month: number, day: number): number {
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return Math.round(date.getTime() / 86_400_000) + 719_528;
}

function daysInYear(year: number): number {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
}

/** 0 = Monday … 6 = Sunday, or 0 = Sunday when `sundayFirst`. */
function weekday(daynr: number, sundayFirst: boolean): number {
  return (daynr + 5 + (sundayFirst ? 1 : 0)) % 7;
}

/** WEEK(date, mode) and its year (MySQL reference, WEEK() mode table). */
export function mysqlWeek(parts: DateParts, mode: number): { week: number; year: number } {
  let behaviour = mode & 7;
  if ((behaviour & 1) === 0) behaviour ^= 4;
  const mondayFirst = (behaviour & 1) !== 0;
  let weekYear = (behaviour & 2) !== 0;
  const firstWeekday = (behaviour & 4) !== 0;
  const daynr = dayNumber(parts.year, parts.month, parts.day);
  let firstDaynr = dayNumber(parts.year, 1, 1);
  let wd = weekday(firstDaynr, !mondayFirst);
  let year = parts.year;
  if (parts.month === 1 && parts.day <= 7 - wd) {
    if (!weekYear && ((firstWeekday && wd !== 0) || (!firstWeekday && wd >= 4)))
      return { week: 0, year };
    weekYear = true;
    year -= 1;
    const days = daysInYear(year);
    firstDaynr -= days;
    wd = (wd + 53 * 7 - days) % 7;
  }
  const days =
    (firstWeekday && wd !== 0) || (!firstWeekday && wd >= 4)
      ? daynr - (firstDaynr + (7 - wd))
      : daynr - (firstDaynr - wd);
  if (weekYear && days >= 52 * 7) {
    const next = (wd + daysInYear(year)) % 7;
    if ((!firstWeekday && next < 4) || (firstWeekday && next === 0))
      return { week: 1, year: year + 1 };
  }
  return { week: Math.floor(days / 7) + 1, year };
}

const dayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function suffix(day: number): string {
  if (day >= 11 && day <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][day % 10] ?? 'th';
}

/** DATE_FORMAT (MySQL reference, specifier table). */
export function mysqlDateFormat(parts: DateParts, format: string): string {
  const daynr = dayNumber(parts.year, parts.month, parts.day);
  const wd = weekday(daynr, false);
  const hour12 = parts.hour % 12 === 0 ? 12 : parts.hour % 12;
  const dayOfYear = daynr - dayNumber(parts.year, 1, 1) + 1;
  let out = '';
  for (let i = 0; i < format.length; i += 1) {
    const c = format[i] ?? '';
    if (c !== '%' || i + 1 >= format.length) {
      out += c;
      continue;
    }
    i += 1;
    const letter = format[i] ?? '';
    const names: Record<string, () => string> = {
      a: () => (dayNames[wd] ?? '').slice(0, 3),
      b: () => (monthNames[parts.month - 1] ?? '').slice(0, 3),
      c: () => String(parts.month),
      D: () => `${parts.day}${suffix(parts.day)}`,
      d: () => pad(parts.day, 2),
      e: () => String(parts.day),
      f: () => pad(parts.microsecond, 6),
      H: () => pad(parts.hour, 2),
      h: () => pad(hour12, 2),
      I: () => pad(hour12, 2),
      i: () => pad(parts.minute, 2),
      j: () => pad(dayOfYear, 3),
      k: () => String(parts.hour),
      l: () => String(hour12),
      M: () => monthNames[parts.month - 1] ?? '',
      m: () => pad(parts.month, 2),
      p: () => (parts.hour < 12 ? 'AM' : 'PM'),
      r: () =>
        `${pad(hour12, 2)}:${pad(parts.minute, 2)}:${pad(parts.second, 2)} ${parts.hour < 12 ? 'AM' : 'PM'}`,
      S: () => pad(parts.second, 2),
      s: () => pad(parts.second, 2),
      T: () => `${pad(parts.hour, 2)}:${pad(parts.minute, 2)}:${pad(parts.second, 2)}`,
      U: () => pad(mysqlWeek(parts, 0).week, 2),
      u: () => pad(mysqlWeek(parts, 1).week, 2),
      V: () => pad(mysqlWeek(parts, 2).week, 2),
      v: () => pad(mysqlWeek(parts, 3).week, 2),
      W: () => dayNames[wd] ?? '',
      w: () => String((wd + 1) % 7),
      X: () => pad(mysqlWeek(parts, 2).year, 4),
      x: () => pad(mysqlWeek(parts, 3).year, 4),
      Y: () => pad(parts.year, 4),
      y: () => pad(parts.year % 100, 2),
    };
    const f = names[letter];
    out += f === undefined ? letter : f();
  }
  return out;
}

/** STR_TO_DATE for the common specifiers; undefined when the text does not match. */
export function mysqlStrToDate(text: string, format: string): string | undefined {
  const parts: DateParts = {
    year: 0,
    month: 0,
    day: 0,
    hour: 0,
    minute: 0,
    second: 0,
    microsecond: 0,
  };
  let pm: boolean | undefined;
  let position = 0;
  let hasDate = false;
  let hasTime = false;
  const number = (maxDigits: number): number | undefined => {
    const m = new RegExp(`^\\d{1,${maxDigits}}`).exec(text.slice(position));
    if (m === null) return undefined;
    position += m[0].length;
    return Number(m[0]);
  };
  const name = (list: readonly string[], abbreviated: boolean): number | undefined => {
    const rest = text.slice(position).toLowerCase();
    const index = list.findIndex((n) =>
      rest.startsWith((abbreviated ? n.slice(0, 3) : n).toLowerCase()),
    );
    if (index < 0) return undefined;
    position += abbreviated ? 3 : (list[index] ?? '').length;
    return index;
  };
  for (let i = 0; i < format.length; i += 1) {
    const c = format[i] ?? '';
    if (c !== '%' || i + 1 >= format.length) {
      if (text[position] !== c) return undefined;
      position += 1;
      continue;
    }
    i += 1;
    const letter = format[i] ?? '';
    let value: number | undefined = 0;
    switch (letter) {
      case 'Y':
        value = number(4);
        if (value !== undefined) parts.year = value;
        hasDate = true;
        break;
      case 'y':
        value = number(2);
        if (value !== undefined) parts.year = value < 70 ? 2000 + value : 1900 + value;
        hasDate = true;
        break;
      case 'm':
      case 'c':
        value = number(2);
        if (value !== undefined) parts.month = value;
        hasDate = true;
        break;
      case 'd':
      case 'e':
        value = number(2);
        if (value !== undefined) parts.day = value;
        hasDate = true;
        break;
      case 'H':
      case 'k':
        value = number(2);
        if (value !== undefined) parts.hour = value;
        hasTime = true;
        break;
      case 'h':
      case 'I':
      case 'l':
        value = number(2);
        if (value !== undefined) parts.hour = value % 12;
        hasTime = true;
        break;
      case 'i':
        value = number(2);
        if (value !== undefined) parts.minute = value;
        hasTime = true;
        break;
      case 's':
      case 'S':
        value = number(2);
        if (value !== undefined) parts.second = value;
        hasTime = true;
        break;
      case 'f': {
        const m = /^\d{1,6}/.exec(text.slice(position));
        if (m === null) return undefined;
        position += m[0].length;
        parts.microsecond = Number(m[0].padEnd(6, '0'));
        hasTime = true;
        break;
      }
      case 'p': {
        const rest = text.slice(position, position + 2).toUpperCase();
        if (rest !== 'AM' && rest !== 'PM') return undefined;
        pm = rest === 'PM';
        position += 2;
        break;
      }
      case 'M':
        value = name(monthNames, false);
        if (value !== undefined) parts.month = value + 1;
        hasDate = true;
        break;
      case 'b':
        value = name(monthNames, true);
        if (value !== undefined) parts.month = value + 1;
        hasDate = true;
        break;
      case 'W':
        value = name(dayNames, false);
        break;
      case 'a':
        value = name(dayNames, true);
        break;
      case 'T': {
        const t = mysqlStrToDate(text.slice(position, position + 8), '%H:%i:%s');
        if (t === undefined) return undefined;
        const p = parseDateTime(t);
        if (p === undefined) return undefined;
        parts.hour = p.hour;
        parts.minute = p.minute;
        parts.second = p.second;
        position += 8;
        hasTime = true;
        break;
      }
      case '%':
        if (text[position] !== '%') return undefined;
        position += 1;
        break;
      default:
        return undefined;
    }
    if (value === undefined) return undefined;
  }
  if (pm !== undefined) parts.hour = (parts.hour % 12) + (pm ? 12 : 0);
  if (
    hasDate &&
    (parts.month < 1 ||
      parts.month > 12 ||
      parts.day < 1 ||
      parts.day > daysIn(parts.year, parts.month))
  )
    return undefined;
  if (parts.hour > 23 || parts.minute > 59 || parts.second > 59) return undefined;
  const date = `${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)}`;
  const time = `${pad(parts.hour, 2)}:${pad(parts.minute, 2)}:${pad(parts.second, 2)}${format.includes('%f') ? `.${pad(parts.microsecond, 6)}` : ''}`;
  if (hasDate && hasTime) return `${date} ${time}`;
  return hasDate ? date : time;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return daysInYear(year) === 366 ? 29 : 28;
  return new Date(Date.UTC(2001, month, 0)).getUTCDate();
}

/** TIMESTAMPDIFF in whole units from a to b. */
export function mysqlTimestampDiff(unit: string, a: DateParts, b: DateParts): number | undefined {
  const micros = (p: DateParts): number =>
    (dayNumber(p.year, p.month, p.day) * 86_400 + p.hour * 3600 + p.minute * 60 + p.second) *
      1_000_000 +
    p.microsecond;
  const per: Record<string, number> = {
    MICROSECOND: 1,
    SECOND: 1e6,
    MINUTE: 6e7,
    HOUR: 3.6e9,
    DAY: 8.64e10,
    WEEK: 6.048e11,
  };
  const step = per[unit];
  if (step !== undefined) return Math.trunc((micros(b) - micros(a)) / step);
  const monthsPer: Record<string, number> = { MONTH: 1, QUARTER: 3, YEAR: 12 };
  const size = monthsPer[unit];
  if (size === undefined) return undefined;
  let months = (b.year - a.year) * 12 + b.month - a.month;
  const rest = (p: DateParts): number =>
    ((p.day * 24 + p.hour) * 3600 + p.minute * 60 + p.second) * 1e6 + p.microsecond;
  if (months > 0 && rest(b) < rest(a)) months -= 1;
  if (months < 0 && rest(b) > rest(a)) months += 1;
  return Math.trunc(months / size);
}
