/**
 * `#RAISE('code:sqlstate:message')`: the error a write's value check raises on the partition
 * (a value computed from columns that does not fit its column, a division by zero in strict
 * mode). The name cannot be written in SQL text (`#` starts a comment), so only checks the
 * aggregator builds call it. DuckDB raises with `error()`, SQLite with the `exo_raise`
 * callback; `storage/engine-errors.ts` reads the message back as the MySQL error.
 */
import { asValue } from '../coerce.js';
import { nullType } from '../type-rules.js';
import { arg, define, type FunctionTable } from './handler.js';

/** The prefix engine errors carry so the leaf can tell a value check from other failures. */
export const RAISE_PREFIX = 'exo-raise:';

export const writeCheckFunctions: FunctionTable = {
  '#RAISE': define(1, 1, (context, args) => {
    const message = asValue(context, arg(args, 0)).sql;
    const call =
      context.dialect === 'duckdb'
        ? `error('${RAISE_PREFIX}' || ${message})`
        : `exo_raise('${RAISE_PREFIX}' || ${message})`;
    return { sql: call, type: nullType };
  }),
};
