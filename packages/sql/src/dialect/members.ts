/**
 * ENUM and SET columns as numbers, spelled for both engines. The engines keep their text as
 * MariaDB stores it (`catalog/member-values.ts`: members as declared, a SET's in declaration
 * order), so the number is read from the text: an ENUM's member position ('' is 0), a SET's
 * bitmask ('x,z' in SET('x','y','z') is 5). MariaDB uses these numbers in numeric context
 * (`s + 0`, `s = 5`, SUM) and to sort (ORDER BY, DISTINCT … ORDER BY).
 */
import { quoteString } from './context.js';
import { integerOfLength } from './type-rules.js';
import type { MyType, Typed } from './types.js';

/** The members of an ENUM or SET value, or undefined for any other value. */
export function membersOf(t: MyType): readonly string[] | undefined {
  if (t.kind !== 'enum' && t.kind !== 'set') return undefined;
  return t.members !== undefined && t.members.length > 0 ? t.members : undefined;
}

/** The member number of `sql` (NULL for NULL). */
export function memberNumberSql(t: MyType, sql: string): string | undefined {
  const members = membersOf(t);
  if (members === undefined) return undefined;
  let number: string;
  if (t.kind === 'enum') {
    const cases = members
      .map((member, index) => `WHEN ${quoteString(member.toLowerCase())} THEN ${index + 1}`)
      .join(' ');
    number = `(CASE lower(${sql}) ${cases} ELSE 0 END)`;
  } else {
    // Each member found between commas adds its bit.
    const listed = `(',' || lower(${sql}) || ',')`;
    const bits = members.map(
      (member, index) =>
        `(CASE WHEN instr(${listed}, ${quoteString(`,${member.toLowerCase()},`)}) > 0 THEN ${2n ** BigInt(index)} ELSE 0 END)`,
    );
    number = `(${bits.join(' + ')})`;
  }
  return `(CASE WHEN ${sql} IS NULL THEN NULL ELSE ${number} END)`;
}

/**
 * An ENUM or SET value in numeric context: an integer as wide as its text (MariaDB's
 * precision of a string item), so `s + 0` of SET('x','y','z') is an INT of length 7.
 */
export function memberNumber(value: Typed): Typed | undefined {
  const sql = memberNumberSql(value.type, value.sql);
  if (sql === undefined) return undefined;
  const digits = Math.max(1, value.type.length ?? 1);
  return { sql, type: integerOfLength(digits + 1) };
}
