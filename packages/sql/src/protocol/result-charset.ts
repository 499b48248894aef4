/**
 * The character set a connection's results are sent in (character_set_results), as column
 * definitions show it. MariaDB labels every text column of a result with the connection's
 * collation and gives its length as characters × the set's bytes per character: the `mariadb`
 * client, which asks for utf8mb3, sees a VARCHAR(64) as 192 bytes of collation 33; mysql2, which
 * asks for utf8mb4_unicode_ci, sees 256 bytes of collation 224. Both sets are UTF-8 on the wire,
 * so the values are sent alike; other character sets are answered as utf8mb4 (values are never
 * transcoded).
 */
export type ResultCharsetName = 'utf8mb3' | 'utf8mb4';

/**
 * The collation id text columns are labelled with, and the bytes a character takes; and
 * whether the client asked for MariaDB's extended metadata (column definitions then say which
 * text is JSON).
 */
export interface ResultCharset {
  readonly collation: number;
  readonly bytes: number;
  readonly extendedMetadata?: boolean;
}

export const UTF8MB4_RESULTS: ResultCharset = { collation: 45, bytes: 4 };

/** Collations of the UTF-8 sets this server names (SHOW VARIABLES LIKE 'collation_connection'). */
const COLLATIONS: Readonly<Record<number, string>> = {
  33: 'utf8mb3_general_ci',
  83: 'utf8mb3_bin',
  192: 'utf8mb3_unicode_ci',
  45: 'utf8mb4_general_ci',
  46: 'utf8mb4_bin',
  224: 'utf8mb4_unicode_ci',
};

/** utf8mb3 collation ids: general_ci 33, bin 83, the unicode_* family 192–215, 223. */
function isUtf8mb3Collation(id: number): boolean {
  return id === 33 || id === 83 || (id >= 192 && id <= 215) || id === 223;
}

/** The character set a handshake's collation id asks for. */
export function charsetOfCollation(id: number): ResultCharsetName {
  return isUtf8mb3Collation(id) ? 'utf8mb3' : 'utf8mb4';
}

/** The name of a collation id this server knows, else its set's default collation. */
export function collationName(id: number): string {
  return COLLATIONS[id] ?? `${charsetOfCollation(id)}_general_ci`;
}

/** The UTF-8 set `SET NAMES name` or `character_set_results = name` asks for. */
export function charsetNamed(name: string): ResultCharsetName {
  return /^utf8(mb3)?$/i.test(name) ? 'utf8mb3' : 'utf8mb4';
}

/**
 * The labels of a result: the connection's collation when it belongs to the results' set, else
 * that set's default collation.
 */
export function resultCharset(results: string, collation: string): ResultCharset {
  // Every result asks; a connection's pair rarely changes, and few pairs exist.
  const key = `${results}\0${collation}`;
  let labels = labelsByPair.get(key);
  if (labels === undefined) {
    if (labelsByPair.size >= PAIRS_CACHED_MAX) labelsByPair.clear();
    labels = labelsOf(results, collation);
    labelsByPair.set(key, labels);
  }
  return labels;
}

const PAIRS_CACHED_MAX = 64;
const labelsByPair = new Map<string, ResultCharset>();

function labelsOf(results: string, collation: string): ResultCharset {
  const charset = charsetNamed(results);
  const bytes = charset === 'utf8mb3' ? 3 : 4;
  const id = Object.entries(COLLATIONS).find(([, name]) => name === collation.toLowerCase())?.[0];
  if (id !== undefined && charsetOfCollation(Number(id)) === charset)
    return { collation: Number(id), bytes };
  return { collation: charset === 'utf8mb3' ? 33 : 45, bytes };
}
