/**
 * The translation of a UNION chain that the aggregator marked to come in MariaDB's order
 * (aggregator/compat-union-order.ts).
 */
import type { SetOperationStatement } from '../parser/ast-query.js';
import { sqlError } from '../errors.js';
import type { ColumnMeta } from '../values.js';
import { noCase } from './coerce.js';
import { quoteIdentifier, type Context } from './context.js';
import { isCollatedText } from './type-rules.js';
import type { TranslatedQuery } from './types.js';

/** The chain as the set operation's translation built it. */
export interface Chain {
  /** The UNION ALL of the parts, every column named `exo_c<position>`. */
  readonly body: string;
  /** Every column of the parts, the hidden ones last. */
  readonly columns: readonly ColumnMeta[];
  readonly order: NonNullable<SetOperationStatement['implicitOrder']>;
  /** The chain's LIMIT clause, or ''. */
  readonly limit: string;
}

/**
 * A UNION chain in MariaDB's order (aggregator/compat-union-order.ts): sorted by each part's
 * number and then its ordering slots; in the parts a UNION DISTINCT covers, each row where it
 * first appears. The hidden columns are left out.
 */
export function inImplicitOrder(context: Context, chain: Chain): TranslatedQuery {
  const { body, columns, order } = chain;
  const shown = columns.length - 1 - order.keys.length;
  if (shown < 1) throw sqlError('INTERNAL', 'A UNION lost its columns to its order');
  const at = (i: number): string => {
    const name = `"exo_c${i}"`;
    const type = columns[i]?.type;
    if (type === undefined || !isCollatedText({ type })) return name;
    // A column of NULLs only is typed NULL in DuckDB, which takes no collation.
    return noCase(context.dialect === 'sqlite' ? name : `CAST(${name} AS VARCHAR)`);
  };
  const sort = [
    `"exo_c${shown}" ASC`,
    ...order.keys.map((key, j) => {
      const nulls = key.nulls ?? (key.desc ? 'last' : 'first');
      return `${at(shown + 1 + j)} ${key.desc ? 'DESC' : 'ASC'} NULLS ${nulls.toUpperCase()}`;
    }),
  ].join(', ');
  const visible = columns.slice(0, shown);
  const select = visible.map((c, i) => `"exo_c${i}" AS ${quoteIdentifier(c.name)}`).join(', ');
  // A row of the distinct parts is kept where its value first appears (in any part).
  const rows =
    order.distinctParts > 0
      ? `(SELECT *, ROW_NUMBER() OVER (PARTITION BY ${visible.map((_, i) => at(i)).join(', ')} ORDER BY ${sort}) AS "exo_first" FROM (${body}) AS "exo_all") AS "exo_set" WHERE "exo_first" = 1 OR "exo_c${shown}" > ${order.distinctParts}`
      : `(${body}) AS "exo_set"`;
  const limit = chain.limit === '' ? '' : ` ${chain.limit}`;
  return { sql: `SELECT ${select} FROM ${rows} ORDER BY ${sort}${limit}`, columns: visible };
}
