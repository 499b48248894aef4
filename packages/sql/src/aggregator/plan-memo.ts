/**
 * Plans of queries that run on several partitions, kept between executions of the same query
 * (SingleStore keeps its compiled plans the same way): planning an analytic query — sub-plans,
 * fragments, co-location, the translation of every stage — takes 2–30 ms of the aggregator's
 * CPU, which a repeated report or dashboard query then spends once. One memo per aggregator,
 * shared by its sessions, least recently used first out, bounded in entries and estimated bytes.
 *
 * The key is the whole prepared query (views expanded, variables and the semi-join keys found at
 * run time substituted, so the values it was planned with are part of it) with the catalog
 * version, the current database, sql_mode/time_zone and whether a transaction is open (which
 * decides how copies are planned). Any DDL, ADD/REMOVE LEAF or rebalance bumps the version and so
 * retires every plan; a plan made from row counts that have changed since stays correct, only
 * perhaps slower. Not kept: a plan whose translation folded in the clock or a session value
 * (NOW(), DATABASE(), @@var: `TranslateOptions.onVolatile` says so), a query with bound
 * parameters (their values route it), a query of a session that has temporary tables (their
 * names are the session's own), or one reading information_schema and the other virtual
 * databases.
 */
import type { Query } from '../parser/ast.js';
import { collectTableUses } from '../planner/tables.js';
import type { StatementContext } from './context.js';
import { isVirtualDatabase } from './information-schema.js';
import { currentKey } from './plan-cache.js';
import { watchVolatile } from './plan-volatile.js';

export interface PlanMemoLimits {
  readonly entriesMax: number;
  readonly bytesMax: number;
}

export const PLAN_MEMO_LIMITS: PlanMemoLimits = { entriesMax: 512, bytesMax: 64 * 1024 * 1024 };

/** What a memo did since it was made (for tests and diagnostics). */
export interface PlanMemoCounts {
  hits: number;
  /** Plans made and kept. */
  kept: number;
  /** Plans made and not kept: their translation read the clock or the session. */
  volatile: number;
}

/** The counts of every memo of this process (tests read them). */
export const planMemoTotals: PlanMemoCounts = { hits: 0, kept: 0, volatile: 0 };

export class PlanMemo<P> {
  private readonly entries = new Map<string, { readonly plan: P; readonly bytes: number }>();
  private bytesUsed = 0;
  readonly counts: PlanMemoCounts = { hits: 0, kept: 0, volatile: 0 };

  constructor(readonly limits: PlanMemoLimits = PLAN_MEMO_LIMITS) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): P | undefined {
    const found = this.entries.get(key);
    if (found === undefined) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, found);
    return found.plan;
  }

  set(key: string, plan: P): void {
    // A plan holds the query's nodes and engine texts several times over: a rough multiple.
    const bytes = key.length * 2 * 8;
    if (bytes > this.limits.bytesMax) return;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.entries.delete(key);
      this.bytesUsed -= old.bytes;
    }
    this.entries.set(key, { plan, bytes });
    this.bytesUsed += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.limits.entriesMax && this.bytesUsed <= this.limits.bytesMax)
        break;
      this.entries.delete(oldest);
      this.bytesUsed -= entry.bytes;
    }
  }
}

/** The memo key of `query` as `context` would plan it, or `undefined` when it is not kept. */
export function memoKey(context: StatementContext, query: Query): string | undefined {
  if (context.params.length > 0 || context.session.temporaryTables.size > 0) return undefined;
  for (const use of collectTableUses(query))
    if (isVirtualDatabase(use.ref.database ?? context.session.database)) return undefined;
  const { catalogVersion, database, settings } = currentKey(context);
  const text = JSON.stringify(query, (name, value: unknown) =>
    name === 'pos' ? undefined : typeof value === 'bigint' ? `\u0000${value}` : value,
  );
  const transaction = context.transaction === undefined ? '-' : 'T';
  return `${catalogVersion}\n${database ?? ''}\n${settings}\n${transaction}\n${text}`;
}

/**
 * The plan of `query`: the memo's, or the one `plan` makes, kept unless its translation read the
 * clock or the session. Planning is synchronous, so one flag follows the plan being made; a
 * nested plan that is volatile makes the plans around it volatile too.
 */
export function memoPlan<P>(
  memo: PlanMemo<P>,
  context: StatementContext,
  query: Query,
  plan: () => P,
): P {
  const key = memoKey(context, query);
  if (key === undefined) return plan();
  const known = memo.get(key);
  const count = (name: keyof PlanMemoCounts): void => {
    memo.counts[name] += 1;
    planMemoTotals[name] += 1;
  };
  if (known !== undefined) {
    count('hits');
    return known;
  }
  const { result, volatile } = watchVolatile(plan);
  if (volatile) count('volatile');
  else {
    memo.set(key, result);
    count('kept');
  }
  return result;
}
