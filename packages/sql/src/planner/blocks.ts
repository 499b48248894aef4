/**
 * Query blocks for distribution planning: the tables each SELECT block reads (under the names
 * it uses for them), how a column reference resolves through the nested blocks the way MySQL
 * resolves it (innermost block first), a canonical key for comparing expressions, and a shallow
 * rewrite of an expression's direct children. Pure.
 */
import type { ColumnRefExpr, Expr } from '../parser/ast.js';
import { mapExpr } from '../parser/index.js';
import type { TableDef } from '../catalog/types.js';
import type { ColumnMeta } from '../values.js';

/** One table read by a block. */
export interface BlockTable {
  /** Unique within one analysed query. */
  readonly id: number;
  /** The alias or table name, lower case. */
  readonly name: string;
  readonly table: TableDef;
  /** On the null-extended side of an outer join. */
  readonly nullExtended: boolean;
  /** A partition-local derived table (`group-local.ts`): its columns as the engine types them. */
  readonly metas?: readonly ColumnMeta[];
}

export interface Block {
  readonly tables: readonly BlockTable[];
  readonly parent?: Block;
}

export interface ColumnOwner {
  readonly use: BlockTable;
  /** The column's name as the table defines it. */
  readonly column: string;
  /** 0 when the column belongs to the block itself, 1 for its parent, and so on. */
  readonly depth: number;
}

/** The table column a reference names; `undefined` when unknown or ambiguous. */
export function resolveColumn(block: Block, ref: ColumnRefExpr): ColumnOwner | undefined {
  const wanted = ref.column.toLowerCase();
  let depth = 0;
  for (let current: Block | undefined = block; current !== undefined; current = current.parent) {
    const found: ColumnOwner[] = [];
    for (const use of current.tables) {
      if (ref.table !== undefined && use.name !== ref.table.toLowerCase()) continue;
      const column = use.table.columns.find((candidate) => candidate.name.toLowerCase() === wanted);
      if (column !== undefined) found.push({ use, column: column.name, depth });
    }
    if (found.length > 1) return undefined;
    if (found[0] !== undefined) return found[0];
    depth += 1;
  }
  return undefined;
}

/** True when some table of the block itself (not an enclosing one) has a column `name`. */
export function blockHasColumn(block: Block, name: string): boolean {
  const wanted = name.toLowerCase();
  return block.tables.some((use) =>
    use.table.columns.some((column) => column.name.toLowerCase() === wanted),
  );
}

/**
 * A text that is equal for two expressions exactly when they are the same expression over the
 * same table columns (qualified or not, any spelling of the names).
 */
export function canonicalKey(expr: Expr, block: Block): string {
  const resolved = mapExpr(expr, (node) => {
    if (node.kind !== 'column') return node;
    const owner = resolveColumn(block, node);
    return owner === undefined
      ? { kind: 'column', column: node.column.toLowerCase() }
      : { kind: 'column', table: `#${owner.use.id}`, column: owner.column.toLowerCase() };
  });
  return JSON.stringify(resolved, (key, value: unknown) => {
    if (key === 'pos') return undefined;
    return typeof value === 'bigint' ? `${value}n` : value;
  });
}

const EXPR_KINDS: ReadonlySet<string> = new Set([
  'literal',
  'param',
  'column',
  'star',
  'unary',
  'binary',
  'between',
  'in',
  'like',
  'regexp',
  'isNull',
  'isBool',
  'case',
  'cast',
  'convertUsing',
  'call',
  'windowCall',
  'interval',
  'extract',
  'trim',
  'exists',
  'subquery',
  'quantified',
  'row',
  'variable',
  'assign',
  'collate',
  'jsonExtract',
  'memberOf',
  'default',
]);

function mapValue(value: unknown, rewrite: (child: Expr) => Expr): unknown {
  if (Array.isArray(value)) return value.map((item) => mapValue(item, rewrite));
  if (value === null || typeof value !== 'object') return value;
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind === 'string') return EXPR_KINDS.has(kind) ? rewrite(value as Expr) : value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, mapValue(inner, rewrite)]),
  );
}

/**
 * `expr` with each direct child expression replaced by `rewrite(child)` (subqueries are left
 * as they are): the building block of top-down rewrites, which match a whole expression before
 * looking at its parts.
 */
export function mapChildren(expr: Expr, rewrite: (child: Expr) => Expr): Expr {
  return Object.fromEntries(
    Object.entries(expr).map(([key, value]) => [key, mapValue(value, rewrite)]),
  ) as unknown as Expr;
}
