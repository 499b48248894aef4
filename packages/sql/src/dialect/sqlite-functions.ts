/**
 * MySQL functions SQLite lacks, registered on a better-sqlite3 connection as `exo_*`. The
 * translator's SQLite output calls them, so every SQLite connection that runs translated SQL
 * must call `registerSqliteFunctions` once after opening.
 */
import { likeRegExp } from './like-pattern.js';
import { doubleText, fixedText, floatText } from '../number-text.js';
import { roundToDecimals } from '../catalog/double-fit.js';
import { registerCompatFunctions } from './sqlite-compat-functions.js';
import { inetAton, inetNtoa } from './functions/inet.js';
import {
  castTimeText,
  datetimeTextMicros,
  microsDatetimeText,
  microsTimeText,
  temporalTextMicros,
  timeTextMicros,
} from './time-text.js';
import { createHash, randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import {
  mysqlDateFormat,
  mysqlStrToDate,
  mysqlTimestampDiff,
  mysqlWeek,
  parseDateTime,
} from './mysql-dates.js';

type Value = null | number | bigint | string | Uint8Array;

function text(value: Value): string | null {
  if (value === null) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}

function num(value: Value): number | null {
  if (value === null) return null;
  return typeof value === 'number' ? value : Number(value);
}

/** Half away from zero at `digits` places, computed on the decimal text to avoid binary error. */
function roundDecimal(x: number, digits: number): number {
  const [mantissa, exponent = '0'] = String(Math.abs(x)).split('e');
  const shifted = Math.round(Number(`${mantissa ?? '0'}e${Number(exponent) + digits}`));
  const [m2, e2 = '0'] = String(shifted).split('e');
  return Math.sign(x) * Number(`${m2 ?? '0'}e${Number(e2) - digits}`);
}

/** MySQL rounds DOUBLE with rint: halves go to the even neighbour. */
function roundEven(x: number, digits: number): number {
  const factor = 10 ** digits;
  const y = x * factor;
  let r = Math.round(y);
  if (Math.abs(y % 1) === 0.5) r = 2 * Math.round(y / 2);
  return r / factor;
}

function truncate(x: number, digits: number): number {
  const [mantissa, exponent = '0'] = String(Math.abs(x)).split('e');
  const shifted = Math.trunc(Number(`${mantissa ?? '0'}e${Number(exponent) + digits}`));
  return Math.sign(x) * Number(`${shifted}e${-digits}`);
}

function padString(s: string, length: number, filler: string, left: boolean): string | null {
  const chars = [...s];
  // MariaDB answers NULL for a result beyond max_allowed_packet (16 MiB).
  if (length < 0 || length > 16_777_216) return null;
  if (chars.length >= length) return chars.slice(0, length).join('');
  if (filler === '') return null;
  const needed = length - chars.length;
  const fill = filler.repeat(Math.ceil(needed / filler.length)).slice(0, needed);
  return left ? fill + s : s + fill;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(s: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(s, 'utf8'))
    crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function regex(pattern: string, flags = 'i'): RegExp | undefined {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return undefined;
  }
}

function variance(sample: boolean, root: boolean): BetterSqlite3.AggregateOptions {
  // Welford's running mean and sum of squares, as MySQL accumulates them.
  return {
    start: () => ({ n: 0, mean: 0, m2: 0 }),
    step: (state: { n: number; mean: number; m2: number }, value: Value) => {
      const x = num(value);
      if (x === null) return state;
      const n = state.n + 1;
      const delta = x - state.mean;
      const mean = state.mean + delta / n;
      return { n, mean, m2: state.m2 + delta * (x - mean) };
    },
    result: (state: { n: number; m2: number }) => {
      const divisor = sample ? state.n - 1 : state.n;
      if (divisor <= 0) return null;
      const v = state.m2 / divisor;
      return root ? Math.sqrt(v) : v;
    },
  } as unknown as BetterSqlite3.AggregateOptions;
}

export function registerSqliteFunctions(db: BetterSqlite3.Database): void {
  const pure = { deterministic: true };
  const fn = (name: string, impl: (...args: Value[]) => Value): void => {
    db.function(name, { ...pure, varargs: true }, impl as (...args: unknown[]) => unknown);
  };
  registerCompatFunctions(db);
  fn('exo_double_text', (x) => (x === null ? null : doubleText(Number(x))));
  fn('exo_float_text', (x) => (x === null ? null : floatText(Number(x))));
  fn('exo_fixed_text', (x, d) => (x === null ? null : fixedText(Number(x), Number(d))));
  fn('exo_fround', (x) => (x === null ? null : Math.fround(Number(x))));
  fn('exo_double_round', (x, d) => (x === null ? null : roundToDecimals(Number(x), Number(d))));
  // DuckDB's chr(), which quoteString() writes for NUL characters.
  fn('chr', (code) => (code === null ? null : String.fromCodePoint(Number(code))));
  fn('exo_regexp', (s, p) =>
    s === null || p === null ? null : regex(text(p) ?? '')?.test(text(s) ?? '') === true ? 1 : 0,
  );
  fn('exo_like_binary', (s, p, e) =>
    s === null || p === null
      ? null
      : likeRegExp(text(p) ?? '', text(e) ?? '\\').test(text(s) ?? '')
        ? 1
        : 0,
  );
  // TIME text sorts and compares by its signed duration, not as text ('100:00:00' > '9:00:00').
  fn('exo_time_key', (t) => (t === null ? null : (timeTextMicros(text(t) ?? '') ?? null)));
  fn('exo_micros_time', (m, scale) =>
    m === null ? null : microsTimeText(Number(m), Number(scale ?? 0)),
  );
  fn('exo_datetime_micros', (t) => (t === null ? null : datetimeTextMicros(text(t) ?? '')));
  fn('exo_temporal_micros', (t) => (t === null ? null : temporalTextMicros(text(t) ?? '')));
  fn('exo_micros_datetime', (m, scale) =>
    m === null ? null : microsDatetimeText(Number(m), Number(scale ?? 0)),
  );
  fn('exo_time', (t, scale) =>
    t === null ? null : castTimeText(text(t) ?? '', Number(scale ?? 0)),
  );
  fn('exo_regexp_replace', (s, p, r) =>
    s === null || p === null || r === null
      ? null
      : (text(s) ?? '').replace(regex(text(p) ?? '', 'gi') ?? /$^/, text(r) ?? ''),
  );
  fn('exo_regexp_substr', (s, p) =>
    s === null || p === null ? null : (regex(text(p) ?? '')?.exec(text(s) ?? '')?.[0] ?? ''),
  );
  fn('exo_round', (x, d, even) =>
    x === null || d === null
      ? null
      : even === 1
        ? roundEven(Number(x), Number(d))
        : roundDecimal(Number(x), Math.trunc(Number(d))),
  );
  fn('exo_truncate', (x, d) =>
    x === null || d === null ? null : truncate(Number(x), Math.trunc(Number(d))),
  );
  fn('exo_crc32', (s) => (s === null ? null : crc32(text(s) ?? '')));
  fn('exo_conv', (x, from, to) => {
    if (x === null || from === null || to === null) return null;
    const parsed = Number.parseInt(text(x) ?? '', Math.abs(Number(from)));
    return Number.isNaN(parsed) ? '0' : parsed.toString(Math.abs(Number(to))).toUpperCase();
  });
  fn('exo_lpad', (s, n, f) =>
    s === null || n === null || f === null
      ? null
      : padString(text(s) ?? '', Number(n), text(f) ?? '', true),
  );
  fn('exo_rpad', (s, n, f) =>
    s === null || n === null || f === null
      ? null
      : padString(text(s) ?? '', Number(n), text(f) ?? '', false),
  );
  fn('exo_repeat', (s, n) =>
    s === null || n === null
      ? null
      : (text(s) ?? '').repeat(Math.max(0, Math.min(Number(n), 16_777_216))),
  );
  fn('exo_reverse', (s) => (s === null ? null : [...(text(s) ?? '')].reverse().join('')));
  fn('exo_find_in_set', (s, list) => {
    if (s === null || list === null) return null;
    const needle = (text(s) ?? '').toLowerCase();
    if (needle.includes(',') || list === '') return 0;
    return (text(list) ?? '').toLowerCase().split(',').indexOf(needle) + 1;
  });
  fn('exo_md5', (s) =>
    s === null
      ? null
      : createHash('md5')
          .update(s instanceof Uint8Array ? s : (text(s) ?? ''))
          .digest('hex'),
  );
  fn('exo_sha1', (s) =>
    s === null
      ? null
      : createHash('sha1')
          .update(s instanceof Uint8Array ? s : (text(s) ?? ''))
          .digest('hex'),
  );
  db.function('exo_uuid', { deterministic: false }, () => randomUUID());
  fn('exo_date_format', (x, f) => {
    const parts = x === null || f === null ? undefined : parseDateTime(text(x) ?? '');
    // An empty format gives NULL (MariaDB).
    return parts === undefined || text(f) === '' ? null : mysqlDateFormat(parts, text(f) ?? '');
  });
  fn('exo_str_to_date', (s, f) =>
    s === null || f === null ? null : (mysqlStrToDate(text(s) ?? '', text(f) ?? '') ?? null),
  );
  fn('exo_week', (x, mode) => {
    const parts = x === null ? undefined : parseDateTime(text(x) ?? '');
    return parts === undefined ? null : mysqlWeek(parts, Number(mode)).week;
  });
  fn('exo_week_year', (x, mode) => {
    const parts = x === null ? undefined : parseDateTime(text(x) ?? '');
    return parts === undefined ? null : mysqlWeek(parts, Number(mode)).year;
  });
  fn('exo_timestampdiff', (unit, a, b) => {
    const from = a === null ? undefined : parseDateTime(text(a) ?? '');
    const to = b === null ? undefined : parseDateTime(text(b) ?? '');
    return from === undefined || to === undefined
      ? null
      : (mysqlTimestampDiff(text(unit) ?? '', from, to) ?? null);
  });
  fn('exo_datetime', (x, scale) => {
    const parts = x === null ? undefined : parseDateTime(text(x) ?? '');
    if (parts === undefined) return null;
    const base = mysqlDateFormat(parts, '%Y-%m-%d %H:%i:%s');
    const digits = Math.max(0, Math.min(6, Number(scale)));
    return digits === 0
      ? base
      : `${base}.${String(parts.microsecond).padStart(6, '0').slice(0, digits)}`;
  });
  fn('exo_bit_count', (x) => {
    if (x === null) return null;
    let bits = BigInt.asUintN(64, BigInt(Math.trunc(Number(x))));
    let count = 0;
    for (; bits > 0n; bits >>= 1n) count += Number(bits & 1n);
    return count;
  });
  // MySQL breaks base64 text into lines of 76 characters and ignores spaces when decoding.
  fn('exo_to_base64', (s) =>
    s === null
      ? null
      : (Buffer.from(s instanceof Uint8Array ? s : (text(s) ?? ''))
          .toString('base64')
          .match(/.{1,76}/g)
          ?.join('\n') ?? ''),
  );
  fn('exo_inet_aton', (s) => (s === null ? null : inetAton(text(s) ?? '')));
  fn('exo_inet_ntoa', (n) => (n === null ? null : inetNtoa(Number(n))));
  fn('exo_from_base64', (s) =>
    s === null ? null : Buffer.from((text(s) ?? '').replace(/\s/g, ''), 'base64'),
  );
  // The first value in the aggregate's ORDER BY (ANY_VALUE of an ungrouped column: first-row.ts).
  db.aggregate('exo_first', {
    start: () => ({ seen: false, value: null }),
    step: (state: { seen: boolean; value: Value }, value: Value) =>
      state.seen ? state : { seen: true, value },
    result: (state: { value: Value }) => state.value,
  } as unknown as BetterSqlite3.AggregateOptions);
  db.aggregate('exo_var_pop', variance(false, false));
  db.aggregate('exo_var_samp', variance(true, false));
  db.aggregate('exo_stddev_pop', variance(false, true));
  db.aggregate('exo_stddev_samp', variance(true, true));
}
