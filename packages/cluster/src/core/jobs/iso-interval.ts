import {
  daysFromCivil,
  daysInMonth,
  civilFromWallMs,
  dayMs,
  hourMs,
  minuteMs,
  secondMs,
} from './civil-time.js';

/**
 * ISO 8601 repeating intervals as Chronos wrote schedules: `R[n]/<start>/<duration>`
 * (ISO 8601-1:2019 §5.6.4, "recurring time interval", in the start-and-duration form of §5.6.1 b).
 *
 * - Repetitions: `R` (or `R-1`, ISO 8601-2's spelling) repeats without end; `Rn` gives n
 *   occurrences, the first at the start; `R0` never runs.
 * - Start: a calendar date and time in extended format (§5.4.2), `YYYY-MM-DDThh:mm[:ss[.fff]]`,
 *   with `Z` or a UTC offset `±hh[:mm]` (§5.3.4), or without one, in which case it is a wall-clock
 *   time in the schedule's time zone. A date alone means midnight.
 * - Duration (§5.5.2.2): `P[nY][nM][nW][nD][T[nH][nM][nS]]` with whole numbers. The calendar part
 *   (years, months, weeks, days) advances the wall clock of the schedule's time zone, so P1D keeps
 *   the local time across daylight-saving changes; the time part (hours, minutes, seconds) is
 *   elapsed time, so PT1H is always 3 600 s apart.
 */
export type IsoInterval = {
  /** How many occurrences in all, or 'unbounded'. */
  readonly repetitions: number | 'unbounded';
  readonly start:
    | { readonly kind: 'instant'; readonly epochMs: number }
    | { readonly kind: 'wall-clock'; readonly wallMs: number };
  readonly period: {
    readonly years: number;
    readonly months: number;
    /** Weeks are stored as 7 days each. */
    readonly days: number;
    /** Hours, minutes and seconds together, as elapsed milliseconds. */
    readonly elapsedMs: number;
  };
};

export type IsoIntervalParseResult =
  | { readonly ok: true; readonly interval: IsoInterval }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Bounds each duration number so occurrence arithmetic stays exact in doubles. */
const periodComponentMax = 1_000_000;
const repetitionsMax = Number.MAX_SAFE_INTEGER;
const example = 'R/2026-01-01T00:00:00Z/PT1H';

const startPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const periodPattern =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function parseIsoInterval(text: string): IsoIntervalParseResult {
  const normalized = text.trim().toUpperCase();
  const parts = normalized.split('/');
  if (parts.length !== 3) {
    return {
      ok: false,
      errors: [
        `ISO 8601 repeating interval '${text.trim()}' must have the form R[n]/<start>/<period>, e.g. ${example}`,
      ],
    };
  }
  const [repetitionText = '', startText = '', periodText = ''] = parts;
  const errors: string[] = [];
  const repetitions = parseRepetitions(repetitionText, errors);
  const start = parseStart(startText, errors);
  const period = parsePeriod(periodText, errors);
  if (repetitions === undefined || start === undefined || period === undefined)
    return { ok: false, errors };
  return {
    ok: true,
    interval: Object.freeze({
      repetitions,
      start: Object.freeze(start),
      period: Object.freeze(period),
    }),
  };
}

function parseRepetitions(text: string, errors: string[]): IsoInterval['repetitions'] | undefined {
  if (text === 'R' || text === 'R-1') return 'unbounded';
  const match = /^R(\d+)$/.exec(text);
  const count = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!Number.isSafeInteger(count) || count > repetitionsMax) {
    errors.push(
      `repetition '${text}' must be R (unbounded), R-1 (unbounded) or R<n> with a whole number n ≥ 0`,
    );
    return undefined;
  }
  return count;
}

function parseStart(text: string, errors: string[]): IsoInterval['start'] | undefined {
  const match = startPattern.exec(text);
  if (match === null) {
    errors.push(
      `start '${text}' is not an ISO 8601 date-time such as 2026-01-01T00:00:00Z, 2026-01-01T09:00:00+01:00 ` +
        'or 2026-01-01T09:00 (local to the time zone)',
    );
    return undefined;
  }
  const [
    ,
    yearText,
    monthText,
    dayText,
    hourText,
    minuteText,
    secondText,
    fractionText,
    offsetText,
  ] = match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const hour = Number(hourText ?? '0');
  const minute = Number(minuteText ?? '0');
  const second = Number(secondText ?? '0');
  const fractionMs = Math.floor(Number(`0.${fractionText ?? '0'}`) * 1000);
  const problems: string[] = [];
  if (month < 1 || month > 12) problems.push(`month ${monthText} is not 01-12`);
  else if (day < 1 || day > daysInMonth(year, month))
    problems.push(`day ${dayText} does not exist in ${yearText}-${monthText}`);
  if (hour > 23) problems.push(`hour ${hourText} is not 00-23`);
  if (minute > 59) problems.push(`minute ${minuteText} is not 00-59`);
  if (second > 59)
    problems.push(`second ${secondText} is not 00-59 (leap seconds are not supported)`);
  const offsetMs = offsetText === undefined ? undefined : parseOffsetMs(offsetText, problems);
  if (problems.length > 0) {
    errors.push(`start '${text}': ${problems.join('; ')}`);
    return undefined;
  }
  const wallMs =
    daysFromCivil(year, month, day) * dayMs +
    hour * hourMs +
    minute * minuteMs +
    second * secondMs +
    fractionMs;
  if (offsetMs === undefined) return { kind: 'wall-clock', wallMs };
  return { kind: 'instant', epochMs: wallMs - offsetMs };
}

function parseOffsetMs(text: string, problems: string[]): number | undefined {
  if (text === 'Z') return 0;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 18 || minutes > 59) {
    problems.push(`UTC offset ${text} is out of range (at most ±18:00)`);
    return undefined;
  }
  const sign = text.startsWith('-') ? -1 : 1;
  return sign * (hours * hourMs + minutes * minuteMs);
}

function parsePeriod(text: string, errors: string[]): IsoInterval['period'] | undefined {
  const match = periodPattern.exec(text);
  if (match === null || text === 'P' || text.endsWith('T')) {
    const hint = /[.,]/.test(text) ? ' (fractional durations are not supported)' : '';
    errors.push(
      `period '${text}' is not an ISO 8601 duration P[nY][nM][nW][nD][T[nH][nM][nS]] such as PT1H, P1D or P1W${hint}`,
    );
    return undefined;
  }
  const numbers = match.slice(1).map((value) => Number(value ?? '0'));
  if (numbers.some((value) => value > periodComponentMax)) {
    errors.push(`period '${text}' has a number larger than ${periodComponentMax}`);
    return undefined;
  }
  const [years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0] = numbers;
  const period = {
    years,
    months,
    days: weeks * 7 + days,
    elapsedMs: hours * hourMs + minutes * minuteMs + seconds * secondMs,
  };
  if (period.years === 0 && period.months === 0 && period.days === 0 && period.elapsedMs === 0) {
    errors.push(`period '${text}' is zero; a repeating interval needs a positive period`);
    return undefined;
  }
  return period;
}

/**
 * The wall-clock time `count` calendar periods after `startWallMs`. Each occurrence is computed
 * from the start rather than from the previous one, so P1M from 31 January gives 28/29 February,
 * 31 March, 30 April … (the day is clamped to the month's length, as ISO 8601-1 §5.5.2.4 leaves
 * to the application and as Joda-Time, which Chronos used, does).
 */
export function addCalendarPeriods(
  startWallMs: number,
  options: { period: IsoInterval['period']; count: number },
): number {
  const { period, count } = options;
  const civil = civilFromWallMs(startWallMs);
  const timeOfDayMs = startWallMs - Math.floor(startWallMs / dayMs) * dayMs;
  const monthIndex =
    civil.year * 12 + (civil.month - 1) + (period.years * 12 + period.months) * count;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const day = Math.min(civil.day, daysInMonth(year, month));
  return (daysFromCivil(year, month, day) + period.days * count) * dayMs + timeOfDayMs;
}
