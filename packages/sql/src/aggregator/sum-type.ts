/**
 * The MySQL result type of a block's SUM, for the eager aggregation of inner joins
 * (`planner/inner-preaggregate.ts`): the fold keeps the type only when it is a DECIMAL.
 */
import { inferType } from '../dialect/index.js';
import { SqlError } from '../errors.js';
import type { TableLookup } from '../planner/colocation.js';
import type { SumType } from '../planner/inner-preaggregate.js';
import type { StatementContext } from './context.js';
import { columnMetas, translateOptions } from './query-options.js';

export function exactSumType(context: StatementContext, lookup: TableLookup): SumType {
  return (call, refs) => {
    const tables = [];
    for (const ref of refs) {
      const table = lookup.table(ref);
      if (table === undefined) return undefined;
      tables.push({ name: ref.alias ?? ref.name, columns: columnMetas(table) });
    }
    try {
      const type = inferType(call, {
        ...translateOptions(context, 'duckdb', () => undefined),
        scope: { tables },
      });
      const { precision, scale } = type;
      if (type.type !== 'decimal' || precision === undefined || scale === undefined)
        return undefined;
      return { precision, scale };
    } catch (error) {
      if (error instanceof SqlError) return undefined;
      throw error;
    }
  };
}
