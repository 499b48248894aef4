/**
 * How a merge query reads its sub-plans' results as tables (`aggregator/subplan-copies.ts`
 * copies them to the leaves): each derived table that only renames a sub-plan's columns
 * (`(SELECT c1 AS k, … FROM exo_subplan_1) AS alias`, as `subplans.ts` writes it) becomes the
 * sub-plan's table under that alias, whose copy takes the derived table's column names; a
 * sub-plan read otherwise (an IN or EXISTS subquery, or renamed differently in two places)
 * keeps its `c1`…`cn` names. Pure.
 */
import type { Query, SelectStatement, TableRef, TableRefDerived } from '../parser/ast.js';
import { isSubplanName, subplanColumn } from './subplans.js';

export interface SubplanTables {
  readonly query: Query;
  /** The column names of each sub-plan read as a table (by sub-plan name, lower case). */
  readonly names: ReadonlyMap<string, readonly string[]>;
}

/**
 * The query with each derived table that only renames a sub-plan's columns read as the
 * sub-plan's table under the derived table's alias, and the column names each such sub-plan's
 * copy takes.
 */
export function readSubplansAsTables(query: Query): SubplanTables {
  // The names of each sub-plan's derived readers; a sub-plan read otherwise keeps `c1`…`cn`.
  const readers = new Map<string, (readonly string[] | null)[]>();
  const note = (name: string, names: readonly string[] | null): void => {
    const key = name.toLowerCase();
    readers.set(key, [...(readers.get(key) ?? []), names]);
  };
  visit(query, (node) => {
    if (node.kind === 'derived') {
      const reader = derivedReader(node);
      if (reader !== undefined) {
        note(reader.subplan, reader.names);
        return false;
      }
    }
    if (node.kind === 'table' && node.database === undefined && isSubplanName(node.name))
      note(node.name, null);
    return true;
  });
  const names = new Map<string, readonly string[]>();
  for (const [key, uses] of readers) {
    const first = uses[0];
    if (first === null || first === undefined) continue;
    if (uses.every((use) => use !== null && sameNames(use, first))) names.set(key, first);
  }
  const rewritten = mapRefs(query, (ref) => {
    if (ref.kind !== 'derived') return ref;
    const reader = derivedReader(ref);
    if (reader === undefined || !names.has(reader.subplan.toLowerCase())) return ref;
    return { kind: 'table', name: reader.subplan, alias: ref.alias };
  });
  return { query: rewritten as Query, names };
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index]);
}

/** `(SELECT c1 AS a, …, cn AS z FROM exo_subplan_k) AS alias` without column aliases. */
function derivedReader(
  ref: TableRefDerived,
): { readonly subplan: string; readonly names: readonly string[] } | undefined {
  const query = ref.query;
  if (query.kind !== 'select' || ref.columnAliases !== undefined || ref.lateral === true)
    return undefined;
  const only = query.from?.length === 1 ? query.from[0] : undefined;
  if (only?.kind !== 'table' || only.database !== undefined || !isSubplanName(only.name))
    return undefined;
  if (!isPlainProjection(query)) return undefined;
  const names: string[] = [];
  for (const [index, item] of query.columns.entries()) {
    const { expr } = item;
    if (expr.kind !== 'column' || expr.table !== undefined || item.alias === undefined)
      return undefined;
    if (expr.column !== subplanColumn(index)) return undefined;
    names.push(item.alias);
  }
  return { subplan: only.name, names };
}

function isPlainProjection(select: SelectStatement): boolean {
  return (
    !select.distinct &&
    select.where === undefined &&
    select.groupBy.length === 0 &&
    select.having === undefined &&
    select.windows.length === 0 &&
    select.orderBy.length === 0 &&
    select.limit === undefined
  );
}

/** Walks every table reference (FROM lists, joins, subqueries), until `visitor` says stop. */
function visit(node: unknown, visitor: (ref: TableRef) => boolean): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, visitor);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as { kind?: unknown };
  if (
    (record.kind === 'table' || record.kind === 'derived' || record.kind === 'join') &&
    !visitor(node as TableRef)
  )
    return;
  for (const value of Object.values(node))
    if (value !== null && typeof value === 'object') visit(value, visitor);
}

/** `node` with each table reference replaced by `map`'s answer (identity kept when unchanged). */
function mapRefs(node: unknown, map: (ref: TableRef) => TableRef): unknown {
  if (Array.isArray(node)) {
    const items = node.map((item) => mapRefs(item, map));
    return items.some((item, index) => item !== node[index]) ? items : node;
  }
  if (node === null || typeof node !== 'object') return node;
  const record = node as { kind?: unknown };
  if (record.kind === 'derived') {
    const replaced = map(node as TableRef);
    if (replaced !== node) return replaced;
  }
  let changed = false;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    result[key] = mapRefs(value, map);
    if (result[key] !== value) changed = true;
  }
  return changed ? result : node;
}
