/**
 * MySQL/MariaDB functions computed in JavaScript for SQLite (registered by
 * `sqlite-compat-functions.ts`): SOUNDEX, JSON_DEPTH, JSON_MERGE_PATCH and JSON_MERGE_PRESERVE.
 */
import { formatJson } from './mysql-json.js';

/** Soundex digits of A…Z; 0 for vowels, H, W and Y, which separate nothing (MariaDB). */
const SOUNDEX_CODES = '01230120022455012623010202';

/**
 * MariaDB's SOUNDEX: the first letter, then the digit of each later letter that differs from
 * the last digit written (vowels write nothing and do not reset it), padded to four
 * characters with '0' but never cut. Characters outside A–Z are skipped.
 */
export function soundex(text: string): string {
  const letters = text.toUpperCase().replace(/[^A-Z]/g, '');
  const first = letters[0];
  if (first === undefined) return '';
  let result = first;
  let last = codeOf(first);
  for (const letter of letters.slice(1)) {
    const code = codeOf(letter);
    if (code !== '0' && code !== last) {
      result += code;
      last = code;
    }
  }
  return result.length < 4 ? result.padEnd(4, '0') : result;
}

function codeOf(letter: string): string {
  return SOUNDEX_CODES[letter.charCodeAt(0) - 65] ?? '0';
}

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function depthOf(value: unknown): number {
  if (Array.isArray(value)) return value.length === 0 ? 1 : 1 + Math.max(...value.map(depthOf));
  if (isObject(value)) {
    const members = Object.values(value);
    return members.length === 0 ? 1 : 1 + Math.max(...members.map(depthOf));
  }
  return 1;
}

/** JSON_DEPTH: 1 for scalars and empty containers; NULL for text that is not JSON. */
export function jsonDepth(text: string): number | null {
  const document = parsed(text);
  return document.ok ? depthOf(document.value) : null;
}

function patch(target: unknown, change: unknown): unknown {
  if (!isObject(change)) return change;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete result[key];
    else result[key] = patch(result[key], value);
  }
  return result;
}

function preserve(left: unknown, right: unknown): unknown {
  if (isObject(left) && isObject(right)) {
    const result: Record<string, unknown> = { ...left };
    for (const [key, value] of Object.entries(right))
      result[key] = key in result ? preserve(result[key], value) : value;
    return result;
  }
  const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
  return [...asArray(left), ...asArray(right)];
}

/** JSON_MERGE_PATCH (RFC 7396) or JSON_MERGE_PRESERVE of documents; NULL if any is NULL. */
export function jsonMerge(
  kind: 'patch' | 'preserve',
  documents: readonly (string | null)[],
): string | null {
  const values: unknown[] = [];
  for (const text of documents) {
    if (text === null) return null;
    const document = parsed(text);
    if (!document.ok) return null;
    values.push(document.value);
  }
  if (values.length === 0) return null;
  const merged = values.slice(1).reduce(kind === 'patch' ? patch : preserve, values[0]);
  return formatJson(merged);
}
