/**
 * Which rows a keyed UPDATE or DELETE writes: whether the statement needs the aggregator to
 * pick them (ORDER BY/LIMIT, subqueries, several tables), and the picking query, run through
 * the ordinary select path, that returns each target row's identity (and its new values).
 */
import type {
  DeleteStatement,
  Expr,
  OrderItem,
  Limit,
  SelectStatement,
  TableRef,
  UpdateStatement,
} from '../parser/ast.js';
import { hasSubquery, singleTable } from '../planner/tables.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { executeQuery } from './select.js';
import { rowIdentity, type RowIdentity } from './row-identity.js';
import type { WriteTarget } from './write-targets.js';

/** Whether an UPDATE needs the aggregator to pick its rows. */
export function isKeyedUpdate(statement: UpdateStatement): boolean {
  return (
    statement.orderBy.length > 0 ||
    statement.limit !== undefined ||
    singleTable(statement.tables) === undefined ||
    hasSubquery(statement.where) ||
    hasSubquery(statement.set)
  );
}

/** Whether a DELETE needs the aggregator to pick its rows. */
export function isKeyedDelete(statement: DeleteStatement): boolean {
  return (
    statement.orderBy.length > 0 ||
    statement.limit !== undefined ||
    statement.targets !== undefined ||
    singleTable(statement.from) === undefined ||
    hasSubquery(statement.where)
  );
}

export interface PickedRows {
  readonly identity: RowIdentity;
  /** Identity values, then (for value writes) the new values of the target's assignments. */
  readonly rows: SqlValue[][];
}

export function selectOf(
  from: readonly TableRef[],
  where: Expr | undefined,
  orderBy: readonly OrderItem[],
  limit: Limit | undefined,
  items: readonly Expr[],
): SelectStatement {
  return {
    kind: 'select',
    distinct: false,
    columns: items.map((expr, index) => ({ expr, alias: `exo_pick_${index}` })),
    from,
    ...(where !== undefined ? { where } : {}),
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy,
    ...(limit !== undefined ? { limit } : {}),
  };
}

/** Runs the picking query and splits its rows by target. */
export async function pickRows(
  context: StatementContext,
  statement: {
    from: readonly TableRef[];
    where?: Expr;
    orderBy: readonly OrderItem[];
    limit?: Limit;
  },
  targets: readonly WriteTarget[],
  withValues: boolean,
): Promise<PickedRows[]> {
  const identities = targets.map((target) => rowIdentity(target.table));
  const items: Expr[] = [];
  targets.forEach((target, index) => {
    for (const column of identities[index]?.columns ?? [])
      items.push({ kind: 'column', table: target.alias, column: column.name });
    if (withValues) for (const assignment of target.assignments) items.push(assignment.value);
  });
  const result = await executeQuery(
    context,
    selectOf(statement.from, statement.where, statement.orderBy, statement.limit, items),
  );
  let offset = 0;
  return targets.map((target, index) => {
    const identity = identities[index] as RowIdentity;
    const width = identity.columns.length + (withValues ? target.assignments.length : 0);
    const start = offset;
    offset += width;
    const seen = new Set<string>();
    const rows: SqlValue[][] = [];
    for (const row of result.rows) {
      const picked = row.slice(start, start + width);
      // A NULL identity is a row a LEFT JOIN did not find: nothing to write.
      if (identity.unique && picked.slice(0, identity.columns.length).some((v) => v === null))
        continue;
      const key = JSON.stringify(
        picked.slice(0, identity.columns.length),
        (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value),
      );
      // Each target row is written once, with its first joined row's values (as MySQL does).
      // Copies of a keyless row count separately only where a LIMIT counted them.
      if (seen.has(key) && (identity.unique || statement.limit === undefined)) continue;
      seen.add(key);
      rows.push(picked);
    }
    return { identity, rows };
  });
}
