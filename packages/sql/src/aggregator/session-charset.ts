/**
 * The connection's character set variables (character_set_client, _connection, _results and
 * collation_connection), set from the handshake and by SET NAMES / SET CHARACTER SET. Only the
 * UTF-8 sets change them: utf8mb3 and utf8mb4 send the same bytes, so a client that asked for
 * utf8mb3 (the `mariadb` CLI) gets MariaDB's column definitions (collation 33, 3 bytes a
 * character), and one that asked for utf8mb4_unicode_ci (mysql2) sees collation 224. Other sets
 * are accepted and leave the variables as they are, since values are never transcoded.
 */
import { sqlError } from '../errors.js';
import {
  charsetNamed,
  charsetOfCollation,
  collationName,
  resultCharset,
  type ResultCharset,
} from '../protocol/result-charset.js';
import type { SqlValue } from '../values.js';

const ACCEPTED = /^(utf8|utf8mb4|utf8mb3|default|binary|latin1|ascii)$/i;

/** Sets the client, connection and results character sets to a UTF-8 collation. */
export function setClientCollation(variables: Map<string, SqlValue>, collation: number): void {
  const charset = charsetOfCollation(collation);
  variables.set('character_set_client', charset);
  variables.set('character_set_connection', charset);
  variables.set('character_set_results', charset);
  variables.set('collation_connection', collationName(collation));
}

/** SET NAMES name / SET CHARACTER SET name (1115 for a set this server does not know). */
export function setNames(variables: Map<string, SqlValue>, name: string): void {
  if (!ACCEPTED.test(name))
    throw sqlError('UNKNOWN_CHARACTER_SET', `Unknown character set: '${name}'`);
  if (/^default$/i.test(name)) setClientCollation(variables, 45);
  else if (/^utf8(mb[34])?$/i.test(name))
    setClientCollation(variables, charsetNamed(name) === 'utf8mb3' ? 33 : 45);
}

/** How result column definitions label text: character_set_results and collation_connection. */
export function resultCharsetOf(variables: ReadonlyMap<string, SqlValue>): ResultCharset {
  const results = variables.get('character_set_results');
  const collation = variables.get('collation_connection');
  return resultCharset(
    typeof results === 'string' ? results : 'utf8mb4',
    typeof collation === 'string' ? collation : '',
  );
}
