/**
 * The tables a statement reads, found by walking its syntax tree. CTE names are scoped: a
 * reference to a CTE is not a table. Pure: no catalog, no I/O.
 */
import type { Query, TableRef, TableRefTable } from '../parser/ast.js';

export interface TableUse {
  readonly ref: TableRefTable;
  /** The name the query uses for it: its alias, or its name. */
  readonly name: string;
}

/** Every base-table reference in `node` (a statement, query or expression), in source order. */
export function collectTableUses(node: unknown): TableUse[] {
  const uses: TableUse[] = [];
  visit(node, new Set(), uses);
  return uses;
}

function visit(node: unknown, ctes: ReadonlySet<string>, uses: TableUse[]): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, ctes, uses);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as { kind?: unknown };
  if (record.kind === 'with') {
    const withNode = node as Extract<Query, { kind: 'with' }>;
    const scoped = new Set(ctes);
    for (const cte of withNode.ctes) {
      // A recursive CTE may name itself; every CTE sees the ones before it.
      scoped.add(cte.name.toLowerCase());
      visit(cte.query, scoped, uses);
    }
    visit(withNode.query, scoped, uses);
    return;
  }
  if (record.kind === 'table' && 'name' in node && !('columns' in node)) {
    const ref = node as TableRefTable;
    if (ref.database === undefined && ctes.has(ref.name.toLowerCase())) return;
    uses.push({ ref, name: ref.alias ?? ref.name });
    return;
  }
  for (const value of Object.values(node)) {
    if (value !== null && typeof value === 'object') visit(value, ctes, uses);
  }
}

/** True when a FROM list is exactly one table (no joins, no derived tables). */
export function singleTable(from: readonly TableRef[] | undefined): TableRefTable | undefined {
  if (from === undefined || from.length !== 1) return undefined;
  const only = from[0];
  return only !== undefined && only.kind === 'table' ? only : undefined;
}

/** True when the tree contains a node of one of `kinds` (e.g. subqueries, aggregates). */
export function containsKind(node: unknown, kinds: ReadonlySet<string>): boolean {
  if (Array.isArray(node)) return node.some((item) => containsKind(item, kinds));
  if (node === null || typeof node !== 'object') return false;
  const kind = (node as { kind?: unknown }).kind;
  if (typeof kind === 'string' && kinds.has(kind)) return true;
  return Object.values(node).some(
    (value) => value !== null && typeof value === 'object' && containsKind(value, kinds),
  );
}

const NESTED: ReadonlySet<string> = new Set(['subquery', 'exists', 'quantified']);

/** Whether an expression (or list of them) holds a subquery, including `x IN (SELECT …)`. */
export function hasSubquery(node: unknown): boolean {
  if (containsKind(node, NESTED)) return true;
  if (Array.isArray(node)) return node.some(hasSubquery);
  if (node === null || typeof node !== 'object') return false;
  const record = node as { kind?: unknown; query?: unknown };
  if (record.kind === 'in' && record.query !== undefined) return true;
  return Object.values(node).some(
    (value) => value !== null && typeof value === 'object' && hasSubquery(value),
  );
}
