/**
 * Fragments of a gathered query: the parts of a query that the partitions can evaluate on
 * their own rows although the whole query cannot (`colocation.ts` refuses it).
 *
 * In a SELECT block, the tables joined by inner joins (its FROM list, through INNER, CROSS and
 * STRAIGHT joins; an outer join, a NATURAL/USING join or a derived table is one opaque item)
 * form the block's inner region. A fragment is a maximal set of the region's sharded tables
 * that are co-located under the region's equalities, plus the reference tables joined to them,
 * with every WHERE/ON conjunct that names only its tables (and the subqueries correlated on
 * its shard key that keep it co-located). Each partition runs the fragment's join and returns
 * only the columns the rest of the query needs; the block then reads one gathered table, named
 * `exo_fragment_<n>`, in place of the fragment's tables, its column references rewritten to
 * the fragment's output columns. Inner-join conditions become WHERE conjuncts of the block,
 * which is equivalent for inner joins. Tables inside an outer join are never fragmented, so
 * nothing moves across a null-extended side.
 *
 * A fragment is formed only when it joins two tables or more, or pushes a subquery: a lone
 * table with its filters is what the gather plan already fetches. Blocks planned: the outermost
 * SELECT, each side of a set operation, and the derived tables of their FROM lists. Pure.
 */
import type { Expr, Query, SelectItem, SelectStatement, TableRef } from '../parser/ast.js';
import { walkExpr } from '../parser/index.js';
import type { TableLookup } from './colocation.js';
import { andAll, AGGREGATES } from './pushdown.js';
import { conjuncts } from './route.js';
import { collectTableUses, containsKind } from './tables.js';
import { mapBlock, scopeOf, Unresolvable, unresolvable, type Scope } from './fragment-scope.js';
import { chooseFragments, probeQuery, type Conjunct, type Group } from './fragment-choice.js';
import { fragmentOutputs, type FragmentOutputs } from './fragment-outputs.js';

export const FRAGMENT_PREFIX = 'exo_fragment_';
const FRAGMENTS_MAX = 16;

export interface Fragment {
  /** The gathered table's name in the merge query. */
  readonly name: string;
  /** What every partition runs: the join, its conjuncts, the output columns. */
  readonly query: SelectStatement;
  /** The names the query uses for the fragment's tables. */
  readonly tables: readonly string[];
}

export interface FragmentedQuery {
  /** The query the merge engine runs, reading the fragments as tables. */
  readonly query: Query;
  readonly fragments: readonly Fragment[];
}

export interface FragmentOptions {
  readonly lookup: TableLookup;
  /** Whether reference tables may join a fragment (not inside a transaction). */
  readonly references: boolean;
}

/** The query with its fragments; `undefined` when no block has one. */
export function planFragments(query: Query, options: FragmentOptions): FragmentedQuery | undefined {
  // A table of that name would be shadowed by a fragment.
  const named = (use: { name: string; ref: { name: string } }): boolean =>
    `${use.name} ${use.ref.name}`.toLowerCase().includes(FRAGMENT_PREFIX);
  if (collectTableUses(query).some(named)) return undefined;
  const fragments: Fragment[] = [];
  const planned = planQuery(query, options, fragments);
  return fragments.length === 0 ? undefined : { query: planned, fragments };
}

function planQuery(query: Query, options: FragmentOptions, fragments: Fragment[]): Query {
  if (query.kind === 'setOperation')
    return {
      ...query,
      left: planQuery(query.left, options, fragments),
      right: planQuery(query.right, options, fragments),
    };
  if (query.kind !== 'select' || query.from === undefined) return query;
  if (query.lock !== undefined || query.into !== undefined) return query;
  const derived = (ref: TableRef): TableRef => {
    if (ref.kind === 'join') return { ...ref, left: derived(ref.left), right: derived(ref.right) };
    if (ref.kind === 'derived' && ref.lateral !== true)
      return { ...ref, query: planQuery(ref.query, options, fragments) };
    return ref;
  };
  const select: SelectStatement = { ...query, from: query.from.map(derived) };
  try {
    const planned = planBlock(select, options, fragments.length);
    if (planned === undefined) return select;
    fragments.push(...planned.fragments);
    return planned.select;
  } catch (error) {
    if (error instanceof Unresolvable) return select;
    throw error;
  }
}

const NEVER_PUSHED: ReadonlySet<string> = new Set(['variable', 'assign', 'windowCall', 'default']);
const QUERY_KINDS: ReadonlySet<string> = new Set(['subquery', 'exists', 'quantified', 'in']);

function planBlock(
  select: SelectStatement,
  options: FragmentOptions,
  numbered: number,
): { select: SelectStatement; fragments: Fragment[] } | undefined {
  if (select.columns.some((item) => item.expr.kind === 'star')) return undefined;
  const items: TableRef[] = [];
  const onConjuncts: Expr[] = [];
  const flatten = (ref: TableRef): void => {
    const inner = ref.kind === 'join' && ref.type !== 'left' && ref.type !== 'right';
    if (ref.kind !== 'join' || !inner || ref.natural === true || ref.using !== undefined) {
      items.push(ref);
      return;
    }
    flatten(ref.left);
    flatten(ref.right);
    if (ref.on !== undefined) onConjuncts.push(...conjuncts(ref.on));
  };
  for (const ref of select.from ?? []) flatten(ref);
  const tables = (ref: Parameters<TableLookup['table']>[0]) => options.lookup.table(ref);
  const scope = scopeOf(select.from, tables);
  if (scope.some((entry) => entry.name.startsWith(FRAGMENT_PREFIX))) return undefined;
  const region = scope.filter((entry) => entry.ref !== undefined && items.includes(entry.ref));
  const all = [...(select.where === undefined ? [] : conjuncts(select.where)), ...onConjuncts];
  const analysed = all.map((expr) => analyse(expr, scope, tables));
  const groups = chooseFragments(region, analysed, options);
  if (groups.length === 0) return undefined;
  if (numbered + groups.length > FRAGMENTS_MAX) return undefined;
  const names = groups.map((_, index) => `${FRAGMENT_PREFIX}${numbered + index + 1}`);
  const owner = new Map<string, number>();
  groups.forEach((group, index) => {
    for (const table of group.tables) owner.set(table.name, index);
  });
  const pushed = new Set(groups.flatMap((group) => group.conjuncts));
  const from: TableRef[] = [];
  const placed = new Set<number>();
  for (const item of items) {
    const entry = region.find((candidate) => candidate.ref === item);
    const index = entry === undefined ? undefined : owner.get(entry.name);
    if (index === undefined) from.push(item);
    else if (!placed.has(index)) {
      placed.add(index);
      from.push({ kind: 'table', name: names[index] ?? '' });
    }
  }
  const remaining = analysed.filter((conjunct) => !pushed.has(conjunct)).map((c) => c.expr);
  const { where: _where, ...rest } = select;
  void _where;
  const where = andAll(remaining);
  const outputs = groups.map((group) =>
    fragmentOutputs(
      group.tables,
      scope.flatMap((entry) => [...entry.columns.keys()]),
    ),
  );
  const aliases = new Set(
    select.columns.flatMap((item) => (item.alias === undefined ? [] : [item.alias.toLowerCase()])),
  );
  const rewritten = mapBlock(
    { ...rest, from, ...(where !== undefined ? { where } : {}) },
    scope,
    tables,
    (ref, resolution, aliasable) => {
      const alias = aliasable && ref.table === undefined && aliases.has(ref.column.toLowerCase());
      if (resolution === undefined) return alias ? undefined : unresolvable();
      if (resolution.level !== 0) return undefined;
      const index = owner.get(resolution.table.name);
      if (index === undefined) return undefined;
      // `ORDER BY x` naming both an alias and a fragment column: left to the gather plan.
      if (alias) unresolvable();
      const name = (outputs[index] as FragmentOutputs).use(resolution.table, resolution.column);
      return { kind: 'column', table: names[index] ?? '', column: name };
    },
  );
  const columns = rewritten.columns.map((item, index) => {
    const original = select.columns[index]?.expr;
    return item.alias === undefined && original?.kind === 'column' && item.expr !== original
      ? { ...item, alias: original.column }
      : item;
  });
  const fragments = groups.map((group, index) => ({
    name: names[index] ?? '',
    query: fragmentQuery(group, (outputs[index] as FragmentOutputs).items()),
    tables: group.tables.map((table) => table.name),
  }));
  return { select: { ...rewritten, columns }, fragments };
}

function analyse(
  expr: Expr,
  scope: Scope,
  tables: Parameters<typeof scopeOf>[1],
): Conjunct & { readonly expr: Expr } {
  const refs = new Set<string>();
  const probe: SelectStatement = {
    kind: 'select',
    distinct: false,
    columns: [{ expr }],
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  };
  mapBlock(probe, scope, tables, (_ref, resolution) => {
    if (resolution === undefined) unresolvable();
    if (resolution.level === 0) refs.add(resolution.table.name);
    return undefined;
  });
  let aggregate = false;
  walkExpr(expr, (node) => {
    if (node.kind === 'call' && AGGREGATES.has(node.name)) aggregate = true;
    return !aggregate;
  });
  return {
    expr,
    refs,
    hasQuery: containsKind(expr, QUERY_KINDS),
    pushable: !aggregate && !containsKind(expr, NEVER_PUSHED),
  };
}

function fragmentQuery(
  group: Group,
  outputs: readonly { table: string; column: string; name: string }[],
): SelectStatement {
  const columns: SelectItem[] = outputs.map((output) => ({
    expr: { kind: 'column', table: output.table, column: output.column },
    alias: output.name,
  }));
  // A query that reads no column of the fragment still counts its rows.
  if (columns.length === 0)
    columns.push({ expr: { kind: 'literal', type: 'int', value: 1, raw: '1' }, alias: 'exo_row' });
  return { ...probeQuery(group.tables, group.conjuncts), columns };
}
