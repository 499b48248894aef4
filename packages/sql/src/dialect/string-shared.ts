/**
 * String functions both engines run as the same TypeScript (`shared-functions.ts`) where
 * their own differ from MariaDB: TRIM of a string that is no constant, SUBSTRING_INDEX with a
 * delimiter that is no constant, UPPER/LOWER one character at a time (SQLite's own know only
 * ASCII; DuckDB makes 'ß' 'ẞ'), HEX of a DOUBLE or DECIMAL, and SHA2 of other lengths than
 * DuckDB's 256 bits.
 */
import { createHash } from 'node:crypto';

/** TRIM(remove FROM s): whole repetitions of `remove`, not a set of characters. */
export function trimString(s: string, remove: string, side: string): string {
  if (remove === '') return s;
  let out = s;
  if (side !== 'trailing') while (out.startsWith(remove)) out = out.slice(remove.length);
  if (side !== 'leading')
    while (out.endsWith(remove)) out = out.slice(0, out.length - remove.length);
  return out;
}

/** SUBSTRING_INDEX: case-sensitive, as MariaDB's. */
export function substringIndex(s: string, delimiter: string, count: number): string {
  if (delimiter === '' || count === 0) return '';
  const parts = s.split(delimiter);
  return count > 0
    ? parts.slice(0, count).join(delimiter)
    : parts.slice(Math.max(0, parts.length + count)).join(delimiter);
}

/**
 * MariaDB's case mapping (utf8mb4_unicode_ci) maps one character to one: a character whose
 * full mapping is longer ('ß' → 'SS') stays, and so does 'ẞ', which its tables do not know.
 */
export function changeCase(s: string, upper: boolean): string {
  let out = '';
  for (const c of s) {
    if (c.charCodeAt(0) < 128) {
      out += upper ? c.toUpperCase() : c.toLowerCase();
      continue;
    }
    const mapped = upper ? c.toUpperCase() : c.toLowerCase();
    out += c === 'ẞ' || [...mapped].length !== 1 ? c : mapped;
  }
  return out;
}

const ALL_BITS = 'FFFFFFFFFFFFFFFF';

/**
 * HEX of a DOUBLE or DECIMAL as MariaDB: rounded half away from zero to an integer written as
 * 64 bits, all ones from -2^63 down and from 2^64 up.
 */
export function hexOfNumber(text: string): string | null {
  const value = Number(text);
  if (Number.isNaN(value)) return null;
  if (value <= -(2 ** 63) || value >= 2 ** 64) return ALL_BITS;
  const rounded = BigInt(Math.trunc(value + (value > 0 ? 0.5 : -0.5)));
  return BigInt.asUintN(64, rounded).toString(16).toUpperCase();
}

const SHA2_ALGORITHMS: Readonly<Record<string, string>> = {
  0: 'sha256',
  224: 'sha224',
  256: 'sha256',
  384: 'sha384',
  512: 'sha512',
};

/** SHA2(s, bits): NULL for a length MariaDB does not know. */
export function sha2(s: string, bits: string): string | null {
  const algorithm = SHA2_ALGORITHMS[String(Math.trunc(Number(bits)))];
  return algorithm === undefined ? null : createHash(algorithm).update(s).digest('hex');
}
