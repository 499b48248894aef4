/**
 * Exact decimal text arithmetic for DECIMAL values, which the data plane carries as strings.
 * Only what storing needs: rounding a numeric text to a scale, half away from zero (MySQL's
 * rule for exact values).
 */
const NUMBER_PARTS = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;
const EXPONENT_MAX = 400;

/** Rounds numeric text ("1.235", "-4e-2", ".5") to `scale` digits; undefined when unreadable. */
export function roundDecimal(source: string, scale: number): string | undefined {
  const match = NUMBER_PARTS.exec(source.trim());
  if (match === null) return undefined;
  const negative = match[1] === '-';
  let integer = match[2] ?? '';
  let fraction = match[3] ?? '';
  if (integer === '' && fraction === '') return undefined;
  const exponent = Number(match[4] ?? '0');
  if (Math.abs(exponent) > EXPONENT_MAX) return undefined;
  if (exponent > 0) {
    const moved = fraction.padEnd(exponent, '0');
    integer += moved.slice(0, exponent);
    fraction = moved.slice(exponent);
  } else if (exponent < 0) {
    const moved = integer.padStart(-exponent, '0');
    fraction = moved.slice(moved.length + exponent) + fraction;
    integer = moved.slice(0, moved.length + exponent);
  }
  const digits = (integer === '' ? '0' : integer) + fraction.padEnd(scale, '0').slice(0, scale);
  const roundUp = (fraction[scale] ?? '0') >= '5';
  let result = roundUp ? incrementDigits(digits) : digits;
  result = result.replace(/^0+(?=\d)/, '');
  const whole = result.length > scale ? result.slice(0, result.length - scale) : '0';
  const part =
    result.length > scale ? result.slice(result.length - scale) : result.padStart(scale, '0');
  const text = scale > 0 ? `${whole}.${part}` : whole;
  const isZero = /^[0.]*$/.test(text);
  return negative && !isZero ? `-${text}` : text;
}

/**
 * Whether storing numeric text at `scale` digits drops a non-zero digit ('1.235' at 2 does,
 * '1.230' does not): MariaDB notes that with 1265.
 */
export function dropsDigits(source: string, scale: number): boolean {
  const match = NUMBER_PARTS.exec(source.trim());
  if (match === null) return false;
  const exponent = Number(match[4] ?? '0');
  if (Math.abs(exponent) > EXPONENT_MAX) return false;
  const integer = match[2] ?? '';
  const fraction = match[3] ?? '';
  // The digits after the point once the exponent moved it.
  const after =
    exponent >= 0
      ? fraction.slice(exponent)
      : integer.slice(Math.max(0, integer.length + exponent)).padStart(-exponent, '0') + fraction;
  return /[1-9]/.test(after.slice(scale));
}

function incrementDigits(digits: string): string {
  const chars = digits.split('');
  for (let index = chars.length - 1; index >= 0; index -= 1) {
    if (chars[index] === '9') chars[index] = '0';
    else {
      chars[index] = String(Number(chars[index]) + 1);
      return chars.join('');
    }
  }
  return `1${chars.join('')}`;
}
