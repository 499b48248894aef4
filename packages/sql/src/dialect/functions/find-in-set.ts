/**
 * FIND_IN_SET of a constant in a SET column, as MariaDB answers it: when the constant names a
 * member (without case), the answer is that member's position in the column's definition if
 * the value holds it, else 0 (FIND_IN_SET('z', st) of 'x,z' in SET('x','y','z') is 3, where the
 * same text 'x,z' gives 2). Other constants, and other lists, take the plain function.
 */
import { quoteString } from '../context.js';
import { intType } from '../type-rules.js';
import type { MyType, Typed } from '../types.js';
import { constantString } from './handler.js';

/** MariaDB's FIND_IN_SET is an INT three characters wide. */
export const findInSetType: MyType = { ...intType, length: 3 };

/** The SQL of the member's position, or undefined when the plain function answers. */
export function setMemberPosition(
  needle: Typed,
  list: Typed,
  listIsColumn: boolean,
): string | undefined {
  const members = list.type.members;
  if (!listIsColumn || list.type.kind !== 'set' || members === undefined) return undefined;
  const wanted = constantString(needle)?.toLowerCase();
  if (wanted === undefined) return undefined;
  const index = members.findIndex((member) => member.toLowerCase() === wanted);
  if (index < 0) return undefined;
  const found = `instr(',' || lower(${list.sql}) || ',', ${quoteString(`,${wanted},`)}) > 0`;
  return `(CASE WHEN ${list.sql} IS NULL THEN NULL WHEN ${found} THEN ${index + 1} ELSE 0 END)`;
}
