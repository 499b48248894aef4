/**
 * The server reads and writes no files of its own: LOAD DATA without LOCAL and SELECT … INTO
 * OUTFILE | DUMPFILE get MariaDB's answer for a server whose secure_file_priv allows no folder
 * (1290). Files travel through the client instead (LOAD DATA LOCAL, a client's query output).
 */
import { sqlError, type SqlError } from '../errors.js';

export function serverFilesRefused(): SqlError {
  return sqlError(
    'OPTION_PREVENTS_STATEMENT',
    'The MySQL server is running with the --secure-file-priv option so it cannot execute this statement',
  );
}
