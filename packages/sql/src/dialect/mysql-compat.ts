/**
 * MySQL/MariaDB functions computed in JavaScript for SQLite (registered by
 * `sqlite-compat-functions.ts`): SOUNDEX.
 */
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
