/**
 * Choosing a block's fragments: each grows from a sharded table of the block's inner region,
 * taking the other sharded tables joined to it on equal shard keys, then the reference tables
 * joined to it, then the subquery conjuncts that keep it co-located. Whether a set of tables
 * (with its conjuncts) is co-located is what `colocation.ts` says of the query joining them.
 * Pure.
 */
import type { Expr, SelectStatement } from '../parser/ast.js';
import { analyzeColocation, type TableLookup } from './colocation.js';
import { andAll } from './pushdown.js';
import type { ScopeTable } from './fragment-scope.js';

export interface Conjunct {
  readonly expr: Expr;
  /** Names of the block's tables it reads (directly or from a correlated subquery). */
  readonly refs: ReadonlySet<string>;
  readonly hasQuery: boolean;
  readonly pushable: boolean;
}

export interface Group {
  readonly tables: ScopeTable[];
  readonly conjuncts: Conjunct[];
}

/** Grows each fragment from a sharded table: co-located tables, references, subqueries. */
export function chooseFragments(
  region: readonly ScopeTable[],
  analysed: readonly Conjunct[],
  options: { readonly lookup: TableLookup; readonly references: boolean },
): Group[] {
  const groups: Group[] = [];
  const taken = new Set<string>();
  const plain = analysed.filter((c) => c.pushable && !c.hasQuery && c.refs.size > 0);
  const within = (names: ReadonlySet<string>, c: Conjunct): boolean =>
    [...c.refs].every((name) => names.has(name));
  const colocated = (group: readonly ScopeTable[], extra: readonly Conjunct[]): boolean => {
    const names = new Set(group.map((table) => table.name));
    const query = probeQuery(group, [...plain.filter((c) => within(names, c)), ...extra]);
    const colocation = analyzeColocation(query, options.lookup);
    return colocation !== undefined && colocation.sharded.length > 0;
  };
  const linked = (group: readonly ScopeTable[], candidate: ScopeTable): boolean => {
    const names = new Set([...group.map((table) => table.name), candidate.name]);
    return plain.some((c) => c.refs.has(candidate.name) && c.refs.size > 1 && within(names, c));
  };
  const grow = (group: ScopeTable[], candidates: readonly ScopeTable[]): void => {
    for (let changed = true; changed;) {
      changed = false;
      for (const candidate of candidates) {
        if (taken.has(candidate.name) || group.includes(candidate)) continue;
        if (!linked(group, candidate) || !colocated([...group, candidate], [])) continue;
        group.push(candidate);
        changed = true;
      }
    }
  };
  const sharded = region.filter((table) => table.table?.reference === false);
  const references = region.filter((table) => table.table?.reference === true);
  for (const seed of sharded) {
    if (taken.has(seed.name) || !colocated([seed], [])) continue;
    const group = [seed];
    grow(group, sharded);
    if (options.references) grow(group, references);
    const names = new Set(group.map((table) => table.name));
    const accepted: Conjunct[] = [];
    for (const c of analysed) {
      if (!c.hasQuery || !c.pushable || c.refs.size === 0 || !within(names, c)) continue;
      if (colocated(group, [...accepted, c])) accepted.push(c);
    }
    for (const table of group) taken.add(table.name);
    if (group.length < 2 && accepted.length === 0) continue;
    groups.push({
      tables: group,
      conjuncts: [...plain.filter((c) => within(names, c)), ...accepted],
    });
  }
  return groups;
}

export function probeQuery(
  group: readonly ScopeTable[],
  exprs: readonly Conjunct[],
): SelectStatement {
  const where = andAll(exprs.map((c) => c.expr));
  return {
    kind: 'select',
    distinct: false,
    columns: [{ expr: { kind: 'literal', type: 'int', value: 1, raw: '1' } }],
    from: group.flatMap((table) => (table.ref === undefined ? [] : [table.ref])),
    ...(where !== undefined ? { where } : {}),
    groupBy: [],
    withRollup: false,
    windows: [],
    orderBy: [],
  };
}
