/**
 * CHARSET(x) and COLLATION(x) of values (MySQL reference, "Information Functions"): text is
 * utf8mb4 in its column's collation, everything else — numbers, dates, BLOBs, NULL — is
 * 'binary', as MariaDB answers. A string literal takes the connection's character set and
 * collation instead; the aggregator answers those (`aggregator/query-options.ts`).
 */
import { isString, varcharType } from '../type-rules.js';
import type { MyType, Typed } from '../types.js';
import { arg, define, type FunctionTable } from './handler.js';

const COLUMN_COLLATION = 'utf8mb4_general_ci';

function label(text: string): Typed {
  const quoted = `'${text}'`;
  return {
    sql: quoted,
    type: { ...varcharType(text.length), nullable: false },
    constant: { kind: 'literal', type: 'string', value: text },
  };
}

/** Text of a character set; BLOBs are bytes. */
function isText(type: MyType): boolean {
  return isString(type) && type.type !== 'blob';
}

export const charsetFunctions: FunctionTable = {
  CHARSET: define(1, 1, (_context, args) =>
    label(isText(arg(args, 0).type) ? 'utf8mb4' : 'binary'),
  ),
  COLLATION: define(1, 1, (_context, args) => {
    const { type } = arg(args, 0);
    if (!isText(type)) return label('binary');
    return label(type.type === 'json' ? 'utf8mb4_bin' : COLUMN_COLLATION);
  }),
};
