/**
 * INET_ATON and INET_NTOA (MySQL "Miscellaneous Functions"): an IPv4 address in dotted form and
 * its number, as MariaDB reads them: digits and dots only, not ending in a dot, each part (an
 * empty one is 0) at most 255; the parts before the last are shifted in one byte at a time, and
 * a short form puts its last part in the low byte ('127.1' is 127.0.0.1, '1.2.3' 1.2.0.3); more
 * than four parts keep shifting ('1.2.3.4.5' is 4328719365). Anything else is NULL, and so is
 * a form of more than seven parts (MariaDB goes on, and wraps around 2⁶⁴). A number outside 0 … 2³²−1
 * has no address (NULL).
 */
import { asValue, toNumber, toText } from '../coerce.js';
import { bigintType, varcharType } from '../type-rules.js';
import { arg, define, type FunctionTable } from './handler.js';

const ADDRESS = String.raw`([0-9]{0,20}\.){0,6}[0-9]{1,20}`;

/** The DuckDB SQL of INET_ATON over text `s`: the parts are bound once through a lambda. */
function duckdbAton(s: string): string {
  const parts = `list_transform(string_split(${s}, '.'), x -> CAST(CASE WHEN x = '' THEN '0' ELSE x END AS HUGEINT))`;
  const head = `list_reduce(list_prepend(CAST(0 AS HUGEINT), p[1:len(p) - 1]), (a, b) -> a * 256 + b)`;
  const value = `CAST((${head} * CASE len(p) WHEN 2 THEN 65536 WHEN 3 THEN 256 ELSE 1 END) * 256 + p[len(p)] AS UBIGINT)`;
  return `(CASE WHEN regexp_full_match(${s}, '${ADDRESS}') THEN list_transform([${parts}], p -> CASE WHEN list_max(p) <= 255 THEN ${value} END)[1] END)`;
}

function duckdbNtoa(n: string): string {
  const byte = (shift: number): string => `CAST((${n} >> ${shift}) & 255 AS VARCHAR)`;
  return `(CASE WHEN ${n} BETWEEN 0 AND 4294967295 THEN concat_ws('.', ${byte(24)}, ${byte(16)}, ${byte(8)}, ${byte(0)}) END)`;
}

export const inetFunctions: FunctionTable = {
  INET_ATON: define(1, 1, (context, args) => {
    const s = toText(context, arg(args, 0)).sql;
    const sql = context.dialect === 'duckdb' ? duckdbAton(s) : `exo_inet_aton(${s})`;
    return { sql, type: { ...bigintType, unsigned: true, length: 21 } };
  }),
  INET_NTOA: define(1, 1, (context, args) => {
    const number = toNumber(context, asValue(context, arg(args, 0))).sql;
    const n = context.dialect === 'duckdb' ? `CAST(round(${number}) AS BIGINT)` : number;
    const sql = context.dialect === 'duckdb' ? duckdbNtoa(n) : `exo_inet_ntoa(${n})`;
    return { sql, type: varcharType(31) };
  }),
};

/** INET_ATON for SQLite: the number of a dotted IPv4 address, or null. */
export function inetAton(text: string): number | bigint | null {
  if (!new RegExp(`^${ADDRESS}$`).test(text)) return null;
  const parts = text.split('.').map((part) => BigInt(part === '' ? 0 : part));
  if (parts.some((part) => part > 255n)) return null;
  const last = parts.pop() ?? 0n;
  const head = parts.reduce((sum, part) => sum * 256n + part, 0n);
  const shift = parts.length === 1 ? 65536n : parts.length === 2 ? 256n : 1n;
  const value = head * shift * 256n + last;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** INET_NTOA for SQLite: the dotted form of a number in 0 … 2³²−1, or null. */
export function inetNtoa(value: number): string | null {
  const n = Math.round(value);
  if (!(n >= 0 && n <= 4294967295)) return null;
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
