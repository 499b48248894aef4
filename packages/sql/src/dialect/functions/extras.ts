/**
 * Less common MySQL functions written with the others (MySQL reference, "String Functions",
 * "Numeric Functions", "Date and Time Functions"): BIT_LENGTH, BIN, OCT, BIT_COUNT, TO_BASE64,
 * FROM_BASE64, MAKETIME, TO_SECONDS, CONVERT_TZ with UTC offsets.
 */
import { asValue, toNumber, toText } from '../coerce.js';
import { notSupported, type Context } from '../context.js';
import { unsigned64 } from '../operators.js';
import {
  bigintType,
  datetimeType,
  intType,
  isDateTime,
  nullType,
  varcharType,
} from '../type-rules.js';
import type { Typed } from '../types.js';
import { dateAdd } from './dates.js';
import { arg, constantString, define, type FunctionTable } from './handler.js';
import { mathFunctions } from './math.js';
import { asTimestamp } from './temporal.js';
import { timeArithmeticFunctions } from './time-arithmetic.js';
import { offsetMinutes } from '../../catalog/time-zone.js';

/** MySQL's TO_DAYS('1970-01-01') in seconds: TO_SECONDS counts from year 0. */
const secondsBeforeEpoch = 62_167_219_200;

/** TO_BASE64 breaks its output into lines of this many characters. */
const base64LineLength = 76;

function integerLiteral(value: number): Typed {
  return {
    sql: String(value),
    type: { ...intType, nullable: false },
    constant: { kind: 'literal', type: 'int', value },
  };
}

function convTo(base: number): FunctionTable[string] {
  return define(1, 1, (context, args, call) => {
    const conv = mathFunctions['CONV'];
    if (conv === undefined) throw new Error('CONV is not defined');
    return conv.run(context, [arg(args, 0), integerLiteral(10), integerLiteral(base)], call);
  });
}

function convertTz(context: Context, args: readonly Typed[]): Typed {
  // The system zone is UTC (system_time_zone); other named zones need time zone tables,
  // which this server does not have: MariaDB answers NULL without them.
  const zones = [arg(args, 1), arg(args, 2)].map((zone) => {
    const name = constantString(zone);
    return name?.trim().toUpperCase() === 'SYSTEM' ? '+00:00' : name;
  });
  const [from, to] = zones.map((zone) => (zone === undefined ? undefined : offsetMinutes(zone)));
  if (zones.some((zone) => zone === undefined))
    notSupported('CONVERT_TZ() with a non-constant time zone', context.dialect);
  const value = asValue(context, arg(args, 0));
  const type = datetimeType(isDateTime(value.type) ? (value.type.scale ?? 0) : 0);
  // A zone out of range or named makes the answer NULL, as in MariaDB without zone tables.
  if (from === undefined || to === undefined)
    return { sql: 'NULL', type: { ...type, nullable: true } };
  const base: Typed = { sql: asTimestamp(context, value), type };
  const shifted = dateAdd(
    context,
    base,
    { ...integerLiteral(to - from), intervalUnit: 'MINUTE' },
    1,
  );
  return { ...shifted, type };
}

export const extraFunctions: FunctionTable = {
  BIT_LENGTH: define(1, 1, (context, args) => {
    const s = toText(context, arg(args, 0)).sql;
    const sql =
      context.dialect === 'duckdb' ? `(8 * strlen(${s}))` : `(8 * length(CAST(${s} AS BLOB)))`;
    return { sql, type: bigintType };
  }),
  BIN: convTo(2),
  OCT: convTo(8),
  BIT_COUNT: define(1, 1, (context, args) => {
    const number = toNumber(context, asValue(context, arg(args, 0)));
    const sql =
      context.dialect === 'duckdb'
        ? `CAST(bit_count(CAST(${unsigned64(number)} AS UBIGINT)) AS INTEGER)`
        : `exo_bit_count(${number.sql})`;
    return { sql, type: intType };
  }),
  TO_BASE64: define(1, 1, (context, args) => {
    const s = toText(context, arg(args, 0)).sql;
    if (context.dialect === 'sqlite') return { sql: `exo_to_base64(${s})`, type: varcharType(255) };
    const encoded = `to_base64(encode(${s}))`;
    const sql = `rtrim(regexp_replace(${encoded}, '(.{${base64LineLength}})', '\\1' || chr(10), 'g'), chr(10))`;
    return { sql, type: varcharType(255) };
  }),
  FROM_BASE64: define(1, 1, (context, args) => {
    const s = toText(context, arg(args, 0)).sql;
    const sql =
      context.dialect === 'duckdb'
        ? `TRY(from_base64(regexp_replace(${s}, '\\s', '', 'g')))`
        : `exo_from_base64(${s})`;
    return { sql, type: { type: 'blob', length: 255 }, binary: true };
  }),
  MAKETIME: define(3, 3, (context, args, call) => {
    const [h, m, s] = [0, 1, 2].map((i) => toNumber(context, asValue(context, arg(args, i))).sql);
    // Minutes and seconds out of 0–59 give NULL; the hour's sign applies to the whole time.
    const seconds = `(CASE WHEN ${m} < 0 OR ${m} >= 60 OR ${s} < 0 OR ${s} >= 60 THEN NULL ELSE (CASE WHEN ${h} < 0 THEN -1 ELSE 1 END) * (abs(${h}) * 3600 + ${m} * 60 + ${s}) END)`;
    const secToTime = timeArithmeticFunctions['SEC_TO_TIME'];
    if (secToTime === undefined) throw new Error('SEC_TO_TIME is not defined');
    return secToTime.run(context, [{ sql: seconds, type: { ...bigintType } }], call);
  }),
  TO_SECONDS: define(1, 1, (context, args) => {
    const value = asValue(context, arg(args, 0));
    if (value.type.type === 'null') return { sql: 'NULL', type: nullType };
    const ts = asTimestamp(context, value);
    const sql =
      context.dialect === 'duckdb'
        ? `(CAST(floor(epoch(${ts})) AS BIGINT) + ${secondsBeforeEpoch})`
        : `(CAST(strftime('%s', ${ts}) AS INTEGER) + ${secondsBeforeEpoch})`;
    return { sql, type: bigintType };
  }),
  CONVERT_TZ: define(3, 3, convertTz),
};
