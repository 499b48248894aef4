/**
 * ENUM and SET values as MariaDB stores them (Field_enum::store, Field_set::store). Both
 * engines keep the text: an ENUM its member as declared, a SET its members in declaration
 * order, without repeats, joined by commas ('z,X,x' in SET('x','y','z') is 'x,z').
 * - Text is matched without case after its trailing spaces are cut; a SET's parts are matched
 *   exactly (' x' and 'x ,y' are not members). Text that names no member but is a number is
 *   read as one (up to 5 characters for an ENUM, 21 for a SET).
 * - A number is an ENUM's position (1 is the first member) or a SET's bitmask (5 is the first
 *   and third members); a fraction is cut off (2.7 is 2).
 * What does not fit is `truncated` (1265: strict mode refuses it): an ENUM keeps '', a SET the
 * members it did find, or the bits of a number it has (12 in a SET of three is 4).
 */
import type { SqlValue } from '../values.js';

export interface MemberValue {
  readonly text: string;
  readonly truncated: boolean;
}

export function enumValue(value: SqlValue, members: readonly string[]): MemberValue {
  if (typeof value === 'number' || typeof value === 'bigint') {
    return enumPosition(integerOf(value), members);
  }
  const source = textOf(value).replace(/ +$/, '');
  const lower = source.toLowerCase();
  const member = members.find((candidate) => candidate.toLowerCase() === lower);
  if (member !== undefined) return { text: member, truncated: false };
  if (source.length > 0 && source.length < 6 && /^\s*\d+$/.test(source))
    return enumPosition(BigInt(source.trim()), members);
  return { text: '', truncated: true };
}

function enumPosition(position: bigint, members: readonly string[]): MemberValue {
  if (position < 1n || position > BigInt(members.length)) return { text: '', truncated: true };
  return { text: members[Number(position) - 1] ?? '', truncated: false };
}

export function setValue(value: SqlValue, members: readonly string[]): MemberValue {
  const all = (1n << BigInt(members.length)) - 1n;
  if (typeof value === 'number' || typeof value === 'bigint') {
    let bits = integerOf(value);
    if (bits < 0n) bits += 1n << 64n;
    return { text: setText(bits & all, members), truncated: bits > all };
  }
  const source = textOf(value);
  const trimmed = source.replace(/ +$/, '');
  if (trimmed === '') return { text: '', truncated: false };
  const lower = members.map((member) => member.toLowerCase());
  let bits = 0n;
  let truncated = false;
  for (const part of trimmed.split(',')) {
    const index = lower.indexOf(part.toLowerCase());
    if (index < 0) truncated = true;
    else bits |= 1n << BigInt(index);
  }
  if (bits === 0n && source.length < 22) {
    // Text that is a number is a bitmask ('6' is the second and third members).
    if (!/^\s*\d+$/.test(source)) return { text: '', truncated: true };
    const number = BigInt(source.trim());
    return { text: setText(number & all, members), truncated: number > all };
  }
  return { text: setText(bits, members), truncated };
}

/** The members whose bits are set, in declaration order. */
export function setText(bits: bigint, members: readonly string[]): string {
  return members.filter((_, index) => (bits >> BigInt(index)) & 1n).join(',');
}

/** A number's integer part, as MariaDB casts a double to an integer. */
function integerOf(value: number | bigint): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isFinite(value)) return value > 0 ? 1n << 64n : -1n;
  return BigInt(Math.trunc(value));
}

function textOf(value: SqlValue): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}
