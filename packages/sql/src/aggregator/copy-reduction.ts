/**
 * Semi-join reductions of broadcast copies at run time (`planner/copy-reduction.ts` says which
 * are exact). A candidate counted above `BROADCAST_ROWS_MAX` (too big to copy) that shares an
 * equivalence class with a smaller filtered table gets `T.a IN (<the source's distinct keys>)`
 * added to its filters: one DISTINCT query on the source (at most `COPY_KEYS_MAX` + 1 keys
 * read), then a COUNT(*) of the target with the list, and the broadcast choice sees the
 * reduced count. More keys than `COPY_KEYS_MAX` or a non-integer key leave the target as it was
 * (the conjunct is redundant, so leaving it out is exact); no key at all makes it FALSE. A
 * source sharded like the target restricts it on the partitions instead (`copy-colocated.ts`).
 */
import type { Expr, Query } from '../parser/ast.js';
import { BROADCAST_ROWS_MAX, tableKey, type BroadcastCandidate } from '../planner/broadcast.js';
import { copyReductions, type CopyReduction } from '../planner/copy-reduction.js';
import type { TableLookup } from '../planner/colocation.js';
import { andAll } from '../planner/pushdown.js';
import type { SelectStatement } from '../parser/ast.js';
import type { StatementContext } from './context.js';
import { countRows, type TableFilter } from './broadcast-count.js';
import { colocatedConjunct, colocatedReduction, colocatedReductions } from './copy-colocated.js';
import { executeQuery, tableRowsStatement } from './select.js';

/** Key queries one statement may run for its copies (each is a DISTINCT over the partitions). */
const KEY_QUERIES_MAX = 4;
/**
 * The most keys a copy is restricted to: restricting a table too big to copy saves far more than
 * the literal list costs (TPC-H Q9: partsupp restricted to its 10,844 green parts).
 */
export const COPY_KEYS_MAX = 20_000;

/** A reduced target: its filter with the key list, and its count under it. */
export interface ReducedCopy {
  readonly filter: TableFilter;
  readonly rows: number;
  readonly reductions: readonly CopyReduction[];
}

export async function reduceCopies(
  context: StatementContext,
  options: {
    readonly query: SelectStatement;
    readonly lookup: TableLookup;
    readonly candidates: readonly BroadcastCandidate[];
    readonly filters: ReadonlyMap<string, readonly Expr[]>;
    readonly filterOf: (candidate: BroadcastCandidate) => TableFilter | undefined;
    readonly rows: (candidate: BroadcastCandidate) => number;
  },
): Promise<Map<BroadcastCandidate, ReducedCopy>> {
  const reduced = new Map<BroadcastCandidate, ReducedCopy>();
  const { rows } = options;
  if (!options.candidates.some((candidate) => rows(candidate) > BROADCAST_ROWS_MAX)) return reduced;
  const counted = new Map(options.candidates.map((candidate) => [candidate.key, candidate]));
  // The largest table stays sharded (the anchor of `chooseBroadcast`): restricting it would
  // cost a scan of the biggest table for a copy that is not made.
  const largest = Math.max(...options.candidates.map(rows));
  const all = copyReductions(options).filter((reduction) => {
    if (rows(reduction.target) <= BROADCAST_ROWS_MAX || rows(reduction.target) >= largest)
      return false;
    // A sharded source must be smaller than the target (a reference table is small).
    const source = counted.get(tableKey(reduction.source.table));
    return source === undefined || rows(source) < rows(reduction.target);
  });
  let queries = 0;
  for (const target of new Set(all.map((reduction) => reduction.target))) {
    const own = options.filterOf(target);
    const alias = own?.alias ?? target.ref?.alias ?? target.table.name;
    // A source sharded like the target reduces it on the partitions, without a key query.
    const colocated = all.find(
      (reduction) => reduction.target === target && colocatedReduction(target.table, reduction),
    );
    if (colocated !== undefined) {
      const filter: TableFilter = {
        alias,
        exprs: [...(own?.exprs ?? []), colocatedConjunct(colocated, alias)],
      };
      if (tableRowsStatement(context, target.table, filter) !== undefined) {
        colocatedReductions.made += 1;
        reduced.set(target, {
          filter,
          rows: await countRows(context, target.table, filter),
          reductions: [colocated],
        });
        continue;
      }
    }
    const lists: Expr[] = [];
    const used: CopyReduction[] = [];
    for (const reduction of all) {
      if (reduction.target !== target || queries >= KEY_QUERIES_MAX) continue;
      queries += 1;
      const list = await keyList(context, reduction, alias);
      if (list === undefined) continue;
      lists.push(list);
      used.push(reduction);
    }
    if (lists.length === 0) continue;
    const filter: TableFilter = { alias, exprs: [...(own?.exprs ?? []), ...lists] };
    reduced.set(target, {
      filter,
      rows: await countRows(context, target.table, filter),
      reductions: used,
    });
  }
  return reduced;
}

/** `alias.column IN (<keys>)`, FALSE for no keys, `undefined` when not usable as a list. */
async function keyList(
  context: StatementContext,
  reduction: CopyReduction,
  alias: string,
): Promise<Expr | undefined> {
  const { source } = reduction;
  const where = andAll(source.filters);
  const query: Query = {
    kind: 'select',
    distinct: true,
    columns: [{ expr: { kind: 'column', table: source.alias, column: source.column } }],
    from: [source.ref],
    ...(where !== undefined ? { where } : {}),
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
    limit: {
      count: {
        kind: 'literal',
        type: 'int',
        value: COPY_KEYS_MAX + 1,
        raw: String(COPY_KEYS_MAX + 1),
      },
    },
  };
  const result = await executeQuery(context, query);
  if (result.kind !== 'rows' || result.rows.length > COPY_KEYS_MAX) return undefined;
  const keys: Expr[] = [];
  for (const row of result.rows) {
    const value = row[0];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isSafeInteger(value)))
      return undefined;
    keys.push({ kind: 'literal', type: 'int', value, raw: String(value) });
  }
  if (keys.length === 0) return { kind: 'literal', type: 'bool', value: false };
  return {
    kind: 'in',
    not: false,
    expr: { kind: 'column', table: alias, column: reduction.column },
    list: keys,
  };
}
