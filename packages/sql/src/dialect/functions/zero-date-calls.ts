/**
 * Date functions of a zero date (zero-date.ts), as MariaDB 10.11 answers them: DATE() and
 * TIMESTAMP() keep it, TIME() is 00:00:00, TIME_TO_SEC() 0, DATE_FORMAT() prints zeros (NULL for
 * names and day numbers), and the functions that need a real day (DATEDIFF, TO_DAYS,
 * UNIX_TIMESTAMP, DATE_ADD, DAYNAME, LAST_DAY, WEEK …) are NULL (MariaDB adds warning 1292,
 * which is not given here). The answer is chosen per row only for arguments that can hold one:
 * DATE, DATETIME and TIMESTAMP values other than constants.
 */
import { ZERO_DATE, zeroDateText } from '../../zero-date.js';
import { asValue } from '../coerce.js';
import type { Context } from '../context.js';
import { isDateTime } from '../type-rules.js';
import type { Typed } from '../types.js';
import { constantString } from './handler.js';

const NULL_ON_ZERO: ReadonlySet<string> = new Set([
  'ADDDATE',
  'DATE_ADD',
  'DATE_SUB',
  'DATEDIFF',
  'DAYNAME',
  'LAST_DAY',
  'MONTHNAME',
  'SUBDATE',
  'TIMESTAMPDIFF',
  'TO_DAYS',
  'TO_SECONDS',
  'UNIX_TIMESTAMP',
  'WEEK',
  'WEEKOFYEAR',
  'YEARWEEK',
]);

/** DATE_FORMAT's zero-date text by specifier; null where MariaDB gives NULL. */
const ZERO_FORMAT: Readonly<Record<string, string | null>> = {
  Y: '0000',
  y: '00',
  m: '00',
  c: '0',
  d: '00',
  e: '0',
  H: '00',
  h: '12',
  I: '12',
  k: '0',
  l: '12',
  i: '00',
  s: '00',
  S: '00',
  f: '000000',
  T: '00:00:00',
  r: '12:00:00 AM',
  p: 'AM',
  D: '0th',
  '%': '%',
};

/** `result`, the call's translation, with the zero date's answer when an argument is one. */
export function zeroDateCall(
  context: Context,
  name: string,
  args: readonly Typed[],
  result: Typed,
): Typed {
  const zero = zeroAnswer(context, name, args, result);
  if (zero === undefined) return result;
  const tests = args.flatMap((input, index) => {
    if (!zeroArgument(name, index)) return [];
    const value = asValue(context, input);
    if (value.constant !== undefined) return [];
    if (value.type.type !== 'date' && !isDateTime(value.type)) return [];
    return [
      context.dialect === 'duckdb'
        ? `isinf(${value.sql})`
        : `substr(${value.sql}, 1, 10) = '${ZERO_DATE}'`,
    ];
  });
  if (tests.length === 0) return result;
  return {
    ...result,
    sql: `(CASE WHEN ${tests.join(' OR ')} THEN ${zero} ELSE ${result.sql} END)`,
  };
}

/** Which arguments are dates: DATE_FORMAT's format and TIMESTAMPDIFF's unit are not. */
function zeroArgument(name: string, index: number): boolean {
  if (name === 'TIMESTAMPDIFF') return index > 0;
  return name === 'DATEDIFF' || index === 0;
}

function zeroAnswer(
  context: Context,
  name: string,
  args: readonly Typed[],
  result: Typed,
): string | undefined {
  const duck = context.dialect === 'duckdb';
  if (NULL_ON_ZERO.has(name)) return 'NULL';
  switch (name) {
    case 'DATE':
      return duck ? `DATE '-infinity'` : `'${ZERO_DATE}'`;
    case 'TIMESTAMP':
      if (args.length !== 1) return 'NULL';
      return duck ? `TIMESTAMP '-infinity'` : `'${zeroDateText('datetime', result.type.scale)}'`;
    case 'TIME': {
      const scale = result.type.scale ?? 0;
      if (duck) return 'INTERVAL 0 MICROSECONDS';
      return `'00:00:00${scale > 0 ? `.${'0'.repeat(scale)}` : ''}'`;
    }
    case 'TIME_TO_SEC':
      return '0';
    case 'DATE_FORMAT': {
      const format = constantString(args[1]);
      if (format === undefined) return 'NULL';
      const text = zeroFormat(format);
      return text === null ? 'NULL' : `'${text.replaceAll("'", "''")}'`;
    }
    default:
      return undefined;
  }
}

/** MariaDB's DATE_FORMAT of the zero date; null when it is NULL. */
function zeroFormat(format: string): string | null {
  let out = '';
  for (let index = 0; index < format.length; index++) {
    const char = format[index] as string;
    if (char !== '%' || index === format.length - 1) {
      out += char;
      continue;
    }
    const spec = format[++index] as string;
    const text = ZERO_FORMAT[spec];
    if (text === undefined || text === null) return null;
    out += text;
  }
  return out;
}
