/**
 * MariaDB names a function in its errors as the statement spells it: `FUNCTION test.NoSuch does
 * not exist` (1305), `Incorrect parameter count in the call to native function 'Abs'` (1582).
 * The translators know names in upper case only; the spelling is found afterwards in the
 * statement's text: the first call of that name (`name (`, any case).
 */
import { SqlError, sqlError } from '../errors.js';

const UNKNOWN = /^FUNCTION ((?:[^ ]*\.)?)([^ .]+) does not exist$/s;
const PARAM_COUNT = /^Incorrect parameter count in the call to native function '(.+)'$/s;

/** The error with the function named as written in `text`, or the error itself. */
export function withWrittenName(error: unknown, text: string): unknown {
  if (!(error instanceof SqlError)) return error;
  if (error.errno === 1305) {
    const match = UNKNOWN.exec(error.message);
    const written = match === null ? undefined : spelling(text, match[2] ?? '');
    if (written === undefined) return error;
    return sqlError('UNKNOWN_FUNCTION', `FUNCTION ${match?.[1] ?? ''}${written} does not exist`);
  }
  if (error.errno === 1582) {
    const match = PARAM_COUNT.exec(error.message);
    const written = match === null ? undefined : spelling(text, match[1] ?? '');
    if (written === undefined) return error;
    return sqlError(
      'WRONG_PARAMCOUNT_TO_FUNCTION',
      `Incorrect parameter count in the call to native function '${written}'`,
    );
  }
  return error;
}

function spelling(text: string, name: string): string | undefined {
  if (!/^\w+$/.test(name)) return undefined;
  return new RegExp(`(?<![\\w$])(${name})\\s*\\(`, 'i').exec(text)?.[1];
}
