/**
 * MAKE_SET and EXPORT_SET as MariaDB computes them, for both engines (`exo_make_set`,
 * `exo_export_set`). The bits argument comes with its kind, as JSON values do: 'n' + the text
 * of a number (rounded to an integer, as MariaDB's val_int does), 's' + text (its leading
 * integer); either is then read as 64 unsigned bits.
 */

const BITS_MAX = 64;

/** The 64 bits of a number's text, rounded half away from zero and clamped as a BIGINT. */
function numberBits(text: string): bigint {
  const match = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text.trim());
  if (match === null) return 0n;
  const [, sign = '', whole = '', fraction = '', exponent] = match;
  let value: bigint;
  if (exponent !== undefined) {
    const number = Math.round(Math.abs(Number(text)));
    value = Number.isFinite(number) && number < 2 ** 63 ? BigInt(number) : 2n ** 63n;
  } else {
    value = BigInt(whole || '0');
    if ((fraction[0] ?? '0') >= '5') value += 1n;
  }
  if (sign === '-') return BigInt.asUintN(64, -value);
  return value;
}

/** A string's leading integer (MariaDB's my_strtoll10): spaces, a sign, digits. */
function textBits(text: string): bigint {
  const digits = /^\s*([-+]?\d+)/.exec(text)?.[1];
  if (digits === undefined) return 0n;
  const value = BigInt(digits);
  const limit = 2n ** 64n - 1n;
  if (value > limit) return limit;
  if (value < -(2n ** 63n)) return 2n ** 63n;
  return BigInt.asUintN(64, value);
}

export function readBits(encoded: string): bigint {
  const body = encoded.slice(1);
  return encoded[0] === 'n' ? numberBits(body) : textBits(body);
}

/** The strings whose bit is set, joined with ','; NULL strings are left out. */
export function makeSet(args: readonly (string | null)[]): string | null {
  const [bits, ...strings] = args;
  if (bits === null || bits === undefined) return null;
  const set = readBits(bits);
  const chosen: string[] = [];
  strings.slice(0, BITS_MAX).forEach((text, index) => {
    if (text !== null && ((set >> BigInt(index)) & 1n) === 1n) chosen.push(text);
  });
  return chosen.join(',');
}

/** `on` or `off` for each of the lowest bits (64 unless a count of 0…64 is given). */
export function exportSet(args: readonly (string | null)[]): string | null {
  const [bits, on, off, separator = ',', count] = args;
  if (bits === null || bits === undefined || on === null || on === undefined) return null;
  if (off === null || off === undefined || separator === null || count === null) return null;
  const asked = count === undefined ? BITS_MAX : Number(readBits(count));
  const n = asked >= 0 && asked <= BITS_MAX ? asked : BITS_MAX;
  const set = readBits(bits);
  const words: string[] = [];
  for (let index = 0; index < n; index++)
    words.push(((set >> BigInt(index)) & 1n) === 1n ? on : off);
  return words.join(separator);
}
