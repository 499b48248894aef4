/**
 * BIT(n) values as MariaDB stores them (Field_bit::store): a number is rounded to an integer
 * (a negative one taken as its 64-bit two's complement), a string or binary string is its
 * bytes read big-endian ('a' is 97, x'0201' 513). A value past 2^n - 1 does not fit: 1406 in
 * strict mode, else the largest value with 1264. The engines keep the integer; results send
 * it as ceil(n/8) bytes (`protocol/`).
 */
import type { SqlValue } from '../values.js';

/** The n of a `bit(n)` column type, or undefined for another type. */
export function bitWidth(mysqlType: string): number | undefined {
  const match = /^bit\((\d+)\)/.exec(mysqlType);
  return match === null ? undefined : Number(match[1]);
}

/** The integer a value stores as, or undefined when it has more than `bits` bits. */
export function bitValue(value: SqlValue, bits: number): number | bigint | undefined {
  let integer: bigint;
  if (typeof value === 'bigint') integer = value;
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    integer = BigInt(Math.sign(value) * Math.round(Math.abs(value)));
  } else {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : (value ?? []);
    integer = 0n;
    for (const byte of bytes) {
      integer = (integer << 8n) | BigInt(byte);
      if (integer >> 64n !== 0n) return undefined;
    }
  }
  if (integer < 0n) integer = BigInt.asUintN(64, integer);
  return integer >> BigInt(bits) !== 0n ? undefined : safe(integer);
}

/** The largest value of BIT(n). */
export function bitMax(bits: number): number | bigint {
  return safe((1n << BigInt(bits)) - 1n);
}

/** A BIT value as the ceil(n/8) bytes MariaDB sends, most significant first. */
export function bitBytes(value: number | bigint | string, bits: number): Uint8Array {
  let integer = BigInt.asUintN(64, BigInt(value));
  const bytes = new Uint8Array(Math.max(1, Math.ceil(bits / 8)));
  for (let index = bytes.length - 1; index >= 0; index--) {
    bytes[index] = Number(integer & 0xffn);
    integer >>= 8n;
  }
  return bytes;
}

function safe(integer: bigint): number | bigint {
  return integer <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(integer) : integer;
}
