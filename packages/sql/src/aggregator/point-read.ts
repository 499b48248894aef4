/**
 * The synchronous path of an autocommit SELECT whose kept plan is a point read of a rowstore
 * partition on this host (`local-reads.ts`): the checks `dispatch` makes for a query with a
 * cached plan (privileges as last checked under the same catalog version, MariaDB's implicit
 * order, the plan still current), then the lookup — without the statement machinery a leaf
 * or engine call needs (abort controller, interrupt scope, promise turns). A lookup cannot be
 * interrupted anyway. Anything this path does not cover answers undefined and the statement
 * runs as usual, which also gives any error its usual form. `readLocally` is the lookup itself,
 * also tried by `executePlan` for a partition plan made or kept on the usual path.
 */
import type { Statement } from '../parser/ast.js';
import type { ResultRows } from '../protocol/backend.js';
import { withImplicitOrder } from './compat-key-order.js';
import type { StatementContext } from './context.js';
import type { ExecResult } from '../leaf/api.js';
import { bindParams } from './bind-params.js';
import type { QueryPlan } from './select.js';
import { cachedQueryPlan } from './cached-query.js';
import { LAST_INSERT_ID_CALL } from './last-insert-id.js';
import { isCurrent, slotFor } from './plan-cache.js';
import { hasSelectAssignments } from './select-assign.js';
import { SERVER_CALLS } from './server-calls.js';
import { resolveTemporaryNames } from './temporary-names.js';

export function pointReadNow(
  context: StatementContext,
  statement: Statement,
  text: string,
): ResultRows | undefined {
  if (statement.kind !== 'select' || context.transaction !== undefined) return undefined;
  if (context.plans === undefined || context.services.localReads === undefined) return undefined;
  if (statement.lock !== undefined || statement.into !== undefined) return undefined;
  if (statement.options?.includes('SQL_CALC_FOUND_ROWS') === true) return undefined;
  if (SERVER_CALLS.test(text) || LAST_INSERT_ID_CALL.test(text)) return undefined;
  if (resolveTemporaryNames(context, statement, text) !== statement) return undefined;
  if (hasSelectAssignments(statement)) return undefined;
  const query = withImplicitOrder(context, statement);
  const slot = slotFor(context, query);
  if (slot === undefined || !isCurrent(slot.privileges, context)) return undefined;
  const plan = cachedQueryPlan(context, query);
  if (plan?.kind !== 'partition') return undefined;
  const local = readLocally(context, plan);
  if (local === undefined) return undefined;
  return { kind: 'rows', columns: plan.translated.columns, rows: local.rows };
}

/**
 * An autocommit point read answered from the partition file of a leaf on this host
 * (`local-reads.ts`); a reference table's read takes any local leaf's copy. Undefined: the
 * leaf answers.
 */
export function readLocally(
  context: StatementContext,
  plan: Extract<QueryPlan, { kind: 'partition' }>,
): ExecResult | undefined {
  const { localReads, cluster, catalog } = context.services;
  if (
    plan.point !== true ||
    localReads === undefined ||
    context.transaction !== undefined ||
    context.lockReads === true
  )
    return undefined;
  const input = {
    sql: plan.translated.sql,
    params: bindParams(plan.translated.params, context.params),
    columns: plan.translated.columns,
  };
  if (!plan.table.reference) return localReads.read(plan.target, input);
  const database = catalog.requireDatabase(plan.table.database);
  for (const target of cluster.referencePartitions(database)) {
    const result = localReads.read(target, input);
    if (result !== undefined) return result;
  }
  return undefined;
}
