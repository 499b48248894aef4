/**
 * MySQL LIKE patterns as regular expressions, for the byte-wise (binary) LIKE SQLite lacks: its
 * LIKE folds ASCII case whatever the collation. `%` is any run, `_` one character, and the
 * escape character makes the next one literal. Compiled patterns are kept in a small cache.
 */
const CACHE_ENTRIES_MAX = 256;
const cache = new Map<string, RegExp>();

export function likeRegExp(pattern: string, escape: string): RegExp {
  const key = `${escape}\u0000${pattern}`;
  let compiled = cache.get(key);
  if (compiled !== undefined) return compiled;
  let source = '';
  const characters = [...pattern];
  for (let index = 0; index < characters.length; index++) {
    const character = characters[index] as string;
    if (character === escape && index + 1 < characters.length) {
      source += literal(characters[++index] as string);
    } else if (character === '%') {
      source += '[\\s\\S]*';
    } else if (character === '_') {
      source += '[\\s\\S]';
    } else {
      source += literal(character);
    }
  }
  compiled = new RegExp(`^${source}$`, 'u');
  if (cache.size >= CACHE_ENTRIES_MAX) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

function literal(character: string): string {
  return character.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
