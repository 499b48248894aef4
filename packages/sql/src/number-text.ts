/**
 * DOUBLE and FLOAT values as MySQL and MariaDB write them in text (result rows, CONCAT, CAST AS
 * CHAR): the shortest digits that read back to the same double, positional while the leading
 * digit's exponent is between -15 and 14 (0.000000000000001 … 999999999999999.9) or the number
 * has a fraction (1000000000000000.2), else in exponent form without '+' or leading zeros (1e15,
 * 1.2345678901234568e17, 1e-16). A FLOAT
 * keeps 6 significant digits (3.14159, 16777200). Negative zero is written 0, as MariaDB does.
 */

/** Exponents of the leading digit written positionally. */
const POSITIONAL_MIN = -15;
const POSITIONAL_MAX = 14;

export function doubleText(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const { digits, exponent } = shortestDigits(Math.abs(value));
  const sign = value < 0 ? '-' : '';
  // A number with a fraction stays positional above 1e15 too (1000000000000000.2).
  const fractional = digits.length > exponent + 1;
  if (exponent < POSITIONAL_MIN || (exponent > POSITIONAL_MAX && !fractional)) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0] ?? '0'}${fraction}e${exponent}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits.padEnd(exponent + 1, '0')}`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** A FLOAT (single precision) value: 6 significant digits, then written as a DOUBLE. */
export function floatText(value: number): string {
  if (!Number.isFinite(value)) return doubleText(value);
  return doubleText(Number(Math.fround(value).toPrecision(6)));
}

/**
 * The significant digits of a positive finite number (no leading or trailing zeros) and the
 * exponent of the first, from JavaScript's shortest round-trip text (`String`).
 */
function shortestDigits(value: number): { digits: string; exponent: number } {
  const text = String(value);
  const [mantissa = '', power] = text.split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  let digits = whole + fraction;
  let exponent = whole.length - 1 + (power === undefined ? 0 : Number(power));
  const leading = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(leading);
  exponent -= leading;
  return { digits: digits.replace(/0+$/, ''), exponent };
}

/**
 * A DOUBLE shown with a fixed number of decimals (a DOUBLE(M,D) column, ROUND(x, 2)), as
 * MariaDB's my_fcvt writes it (strings/dtoa.c, dtoa mode 5): the shortest digits that read back
 * to the same double when they need no more decimals than that, padded with zeros
 * (1e25 with 2 decimals is `10000000000000000000000000.00`), else the exact value rounded half
 * to even at the last decimal (1.5625 with 2 is `1.56`). Negative zero is written without sign.
 */
export function fixedText(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return doubleText(value);
  const sign = value < 0 ? '-' : '';
  if (value === 0) return decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0';
  const { digits, exponent } = shortestDigits(Math.abs(value));
  const fractionDigits = digits.length - exponent - 1;
  const text =
    fractionDigits <= decimals
      ? positional(digits, exponent, decimals)
      : exactlyRounded(Math.abs(value), decimals);
  return /[1-9]/.test(text) ? `${sign}${text}` : text;
}

/** `digits` × 10^(exponent − digits + 1) written with exactly `decimals` decimals. */
function positional(digits: string, exponent: number, decimals: number): string {
  const whole = exponent < 0 ? '0' : digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = (
    exponent < 0 ? '0'.repeat(-exponent - 1) + digits : digits.slice(exponent + 1)
  ).padEnd(decimals, '0');
  return decimals > 0 ? `${whole}.${fraction}` : whole;
}

/**
 * A positive finite double rounded half to even at `decimals` decimals, from its exact binary
 * value (mantissa × 2^exponent), as dtoa rounds its last digit.
 */
function exactlyRounded(value: number, decimals: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  const scaled = mantissa * 10n ** BigInt(decimals);
  let units: bigint;
  if (exponent >= 0) units = scaled << BigInt(exponent);
  else {
    const divisor = 1n << BigInt(-exponent);
    units = scaled / divisor;
    const twice = (scaled % divisor) * 2n;
    if (twice > divisor || (twice === divisor && units % 2n === 1n)) units += 1n;
  }
  const text = units.toString().padStart(decimals + 1, '0');
  return decimals > 0 ? `${text.slice(0, -decimals)}.${text.slice(-decimals)}` : text;
}
