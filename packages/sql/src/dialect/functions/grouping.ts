/**
 * GROUPING(k, …) (MySQL 8): in a SELECT … GROUP BY … WITH ROLLUP, marks the super-aggregate
 * rows ROLLUP adds, a bit per argument (the last the lowest). Elsewhere it is MySQL's 1111.
 * ROLLUP runs on DuckDB only, whose GROUPING() is the same function.
 */
import { sqlError } from '../../errors.js';
import { asValue } from '../coerce.js';
import { notSupported } from '../context.js';
import { define, type FunctionTable } from './handler.js';

export const groupingFunctions: FunctionTable = {
  GROUPING: define(1, 64, (context, args) => {
    if (context.rollup !== true)
      throw sqlError('INVALID_GROUP_FUNC_USE', 'Invalid use of group function');
    if (context.dialect === 'sqlite') return notSupported('GROUPING()', context.dialect);
    return {
      sql: `GROUPING(${args.map((a) => asValue(context, a).sql).join(', ')})`,
      type: { type: 'int', length: 1, nullable: false },
    };
  }),
};
