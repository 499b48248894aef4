/**
 * Sub-plans of a gathered query: the parts of a query that can run on their own with a better
 * plan than the gather plan of the whole (one partition, co-located or two-phase on the
 * partitions, broadcast). Each such part runs first, through the whole query pipeline; its
 * rows become a table of the merge engine (`exo_subplan_<n>`, columns `c1`…`cn`), and the
 * query reads that table in its place.
 *
 * Parts considered, outermost first: the CTEs of a non-recursive WITH (computed once however
 * often they are referenced), derived tables that are not LATERAL, and the queries of scalar,
 * IN, EXISTS and ANY/ALL subqueries. A part qualifies when it reads no CTE of an enclosing
 * scope and no earlier sub-plan, and every qualified column it names belongs to a table of its
 * own: it is then uncorrelated (an unqualified name from an outer block fails the part's own
 * planning, which the caller's probe reports as "no"). A part that does not qualify is searched
 * for smaller parts inside it.
 *
 * Each part is replaced by `SELECT c1 AS name1, … FROM exo_subplan_<n>`: as a derived table
 * (CTE references and derived tables, under their alias) or as the subquery's query. The result
 * column names come from the probe, which plans the part. Pure.
 */
import type { Query, SelectStatement, TableRef, TableRefTable } from '../parser/ast.js';
import { collectTableUses, containsKind } from './tables.js';

export const SUBPLAN_PREFIX = 'exo_subplan_';
const SUBPLANS_MAX = 16;

export interface Subplan {
  /** The merge engine's table name. */
  readonly name: string;
  /** What runs first. */
  readonly query: Query;
  /** What the query called it: a CTE name, a derived table's alias, or `subquery`. */
  readonly label: string;
  /** The result's column names (the merge table's columns are `c1`…`cn`). */
  readonly columns: readonly string[];
}

export interface SubplanRewrite {
  readonly query: Query;
  readonly subplans: readonly Subplan[];
}

/**
 * The result column names of a query that should run first; `undefined` leaves it in place
 * (no better plan than gather, or it cannot run on its own).
 */
export type SubplanProbe = (query: Query) => readonly string[] | undefined;

/** The merge table's column name of result column `index` (0-based). */
export function subplanColumn(index: number): string {
  return `c${index + 1}`;
}

/** The query with its sub-plans taken out; `undefined` when it has none. */
export function planSubplans(query: Query, probe: SubplanProbe): SubplanRewrite | undefined {
  if (isPlainCteRead(query)) return undefined;
  if (collectTableUses(query).some((use) => isSubplanName(use.ref.name))) return undefined;
  const state: State = { probe, subplans: [] };
  const rewritten = rewriteNode(query, new Map(), state) as Query;
  return state.subplans.length === 0 ? undefined : { query: rewritten, subplans: state.subplans };
}

export function isSubplanName(name: string): boolean {
  return name.toLowerCase().startsWith(SUBPLAN_PREFIX);
}

/**
 * `WITH g AS (query) SELECT * FROM g` is planned as written, with no sub-plans: the whole
 * statement is the CTE, and this spelling keeps a way to ask for the plain gather plan (the
 * differential tests compare the other plans with it).
 */
export function isPlainCteRead(query: Query): boolean {
  if (query.kind !== 'with' || query.ctes.length !== 1) return false;
  const main = query.query;
  const cte = query.ctes[0];
  if (main.kind !== 'select' || cte === undefined || main.from?.length !== 1) return false;
  const only = main.from[0];
  return (
    only?.kind === 'table' &&
    only.database === undefined &&
    only.name.toLowerCase() === cte.name.toLowerCase() &&
    main.columns.length === 1 &&
    main.columns[0]?.expr.kind === 'star' &&
    main.where === undefined &&
    main.groupBy.length === 0 &&
    main.having === undefined &&
    main.orderBy.length === 0 &&
    main.limit === undefined
  );
}

interface State {
  readonly probe: SubplanProbe;
  readonly subplans: Subplan[];
}

/** CTE names in scope, lower case: the sub-plan that replaces it, or `null` when none does. */
type Scope = ReadonlyMap<string, Subplan | null>;

const NEVER_FIRST: ReadonlySet<string> = new Set(['assign', 'variable', 'default']);

/** The sub-plan for `query`, when it qualifies and the probe accepts it. */
function extract(query: Query, scope: Scope, state: State, label: string): Subplan | undefined {
  if (state.subplans.length >= SUBPLANS_MAX) return undefined;
  if (query.kind === 'select' && (query.lock !== undefined || query.into !== undefined))
    return undefined;
  if (containsKind(query, NEVER_FIRST)) return undefined;
  const uses = collectTableUses(query);
  const outer = uses.some(
    (use) =>
      isSubplanName(use.ref.name) ||
      (use.ref.database === undefined && scope.has(use.ref.name.toLowerCase())),
  );
  if (outer || uses.length === 0 || !qualifiersAreLocal(query)) return undefined;
  const columns = state.probe(query);
  if (columns === undefined) return undefined;
  const subplan: Subplan = {
    name: `${SUBPLAN_PREFIX}${state.subplans.length + 1}`,
    query,
    label,
    columns,
  };
  state.subplans.push(subplan);
  return subplan;
}

/** `SELECT c1 AS name1, … FROM exo_subplan_<n>`. */
function reader(subplan: Subplan, names: readonly string[]): SelectStatement {
  return {
    kind: 'select',
    distinct: false,
    columns: names.map((name, index) => ({
      expr: { kind: 'column', column: subplanColumn(index) },
      alias: name,
    })),
    from: [{ kind: 'table', name: subplan.name }],
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  };
}

function uniqueNames(names: readonly string[]): boolean {
  return new Set(names.map((name) => name.toLowerCase())).size === names.length;
}

function rewriteNode(node: unknown, scope: Scope, state: State): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteNode(item, scope, state));
  if (node === null || typeof node !== 'object') return node;
  const record = node as { kind?: unknown };
  switch (record.kind) {
    case 'with':
      return rewriteWith(node as Extract<Query, { kind: 'with' }>, scope, state);
    case 'derived': {
      const ref = node as Extract<TableRef, { kind: 'derived' }>;
      if (ref.lateral !== true) {
        const subplan = extract(ref.query, scope, state, ref.alias);
        const names = ref.columnAliases ?? subplan?.columns;
        if (subplan !== undefined && names !== undefined) {
          if (names.length === subplan.columns.length && uniqueNames(names))
            return { kind: 'derived', alias: ref.alias, query: reader(subplan, names) };
          state.subplans.pop();
        }
      }
      return { ...ref, query: rewriteNode(ref.query, scope, state) as Query };
    }
    case 'subquery':
    case 'exists':
    case 'quantified':
    case 'in': {
      const expr = node as { query?: Query };
      if (expr.query === undefined) break;
      const subplan = extract(expr.query, scope, state, 'subquery');
      if (subplan !== undefined) {
        const rest = rewriteFields(node, scope, state, 'query');
        return { ...rest, query: reader(subplan, subplan.columns) };
      }
      break;
    }
    case 'table': {
      if (!('name' in node) || 'columns' in node) break;
      const ref = node as TableRefTable;
      const subplan = ref.database === undefined ? scope.get(ref.name.toLowerCase()) : undefined;
      if (subplan === undefined || subplan === null) return node;
      return {
        kind: 'derived',
        alias: ref.alias ?? ref.name,
        query: reader(subplan, subplan.columns),
      };
    }
  }
  return rewriteFields(node, scope, state);
}

function rewriteFields(node: object, scope: Scope, state: State, skip?: string): object {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node))
    result[key] = key === skip ? value : rewriteNode(value, scope, state);
  return result;
}

function rewriteWith(query: Extract<Query, { kind: 'with' }>, outer: Scope, state: State): Query {
  const scope = new Map(outer);
  if (query.recursive) {
    // A recursive CTE reads itself: none runs first, their insides may.
    for (const cte of query.ctes) scope.set(cte.name.toLowerCase(), null);
    return rewriteFields(query, scope, state) as Query;
  }
  const kept: (typeof query.ctes)[number][] = [];
  for (const cte of query.ctes) {
    let subplan = extract(cte.query, scope, state, cte.name);
    if (subplan !== undefined) {
      const names = cte.columns ?? subplan.columns;
      if (names.length === subplan.columns.length && uniqueNames(names))
        subplan = { ...subplan, columns: names };
      else {
        state.subplans.pop();
        subplan = undefined;
      }
    }
    if (subplan !== undefined) state.subplans[state.subplans.length - 1] = subplan;
    else kept.push({ ...cte, query: rewriteNode(cte.query, scope, state) as Query });
    scope.set(cte.name.toLowerCase(), subplan ?? null);
  }
  const main = rewriteNode(query.query, scope, state) as Query;
  return kept.length === 0 ? main : { ...query, ctes: kept, query: main };
}

/**
 * Whether every qualified column and `t.*` in `query` names a table, alias or derived table of
 * `query` itself (at any depth): a qualifier from outside means the query is correlated.
 */
function qualifiersAreLocal(query: Query): boolean {
  const names = new Set<string>();
  const qualifiers: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as {
      kind?: unknown;
      alias?: unknown;
      name?: unknown;
      table?: unknown;
      ctes?: unknown;
    };
    if (record.kind === 'table' && typeof record.name === 'string' && !('columns' in node))
      names.add((typeof record.alias === 'string' ? record.alias : record.name).toLowerCase());
    if (record.kind === 'derived' && typeof record.alias === 'string')
      names.add(record.alias.toLowerCase());
    if ((record.kind === 'column' || record.kind === 'star') && typeof record.table === 'string')
      qualifiers.push(record.table.toLowerCase());
    for (const value of Object.values(node))
      if (value !== null && typeof value === 'object') visit(value);
  };
  visit(query);
  return qualifiers.every((qualifier) => names.has(qualifier));
}
