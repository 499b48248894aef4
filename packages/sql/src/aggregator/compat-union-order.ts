/**
 * MariaDB answers `a UNION ALL b` without ORDER BY part by part, each part in the order it
 * reads (its table's primary key, its GROUP BY keys, …), and `a UNION b` keeps each row where
 * it first appears in that order (its temporary table drops the later copies). Here the parts
 * meet in the merge engine, which answers in no particular order. The rewrite gives every part
 * hidden trailing items — its number, then one slot per ordering column of any part (NULL in
 * the other parts) — and marks the set operation so the translator sorts by them, keeps each
 * row's first appearance for UNION, and leaves them out of the result (dialect/query.ts).
 */
import type { Expr, OrderItem } from '../parser/ast-expr.js';
import type {
  Query,
  SelectItem,
  SelectStatement,
  SetOperationStatement,
} from '../parser/ast-query.js';

/** A part's implicit order (GROUP BY keys, primary key), as `withKeyOrder` makes it. */
export type PartOrder = (part: SelectStatement) => SelectStatement;

interface OrderedPart {
  readonly select: SelectStatement;
  readonly keys: readonly Expr[];
  readonly order: readonly OrderItem[];
}

export function withUnionOrder(query: SetOperationStatement, partOrder: PartOrder): Query {
  if (query.orderBy.length > 0) return query;
  const chain = unionChain(query);
  if (chain === undefined) return query;
  const ordered: OrderedPart[] = [];
  for (const part of chain.parts) {
    if (part.kind !== 'select' || part.into !== undefined || part.lock !== undefined) return query;
    ordered.push(orderedPart(part, partOrder));
  }
  const slots = ordered.flatMap((part) => part.order);
  let first = 0;
  const selects = ordered.map((part, index) => {
    const hidden: SelectItem[] = [
      { expr: { kind: 'literal', type: 'int', value: index + 1 }, alias: 'exo_part' },
    ];
    slots.forEach((_, slot) => {
      const own = part.keys[slot - first];
      const expr: Expr = own ?? { kind: 'literal', type: 'null', value: null };
      hidden.push({ expr, alias: `exo_k${slot}` });
    });
    first += part.keys.length;
    return { ...part.select, columns: [...part.select.columns, ...hidden] };
  });
  const [head, ...rest] = selects;
  if (head === undefined) return query;
  const chained = rest.reduce<Query>(
    (left, right) => ({ kind: 'setOperation', op: 'union', all: true, left, right, orderBy: [] }),
    head,
  );
  if (chained.kind !== 'setOperation') return query;
  return {
    ...chained,
    ...(query.pos === undefined ? {} : { pos: query.pos }),
    ...(query.limit === undefined ? {} : { limit: query.limit }),
    implicitOrder: {
      keys: slots.map(({ desc, nulls }) => (nulls === undefined ? { desc } : { desc, nulls })),
      distinctParts: chain.distinctParts,
    },
  };
}

/**
 * The parts of a left-deep chain of UNIONs (`a UNION b UNION ALL c` is `(a UNION b) UNION ALL
 * c`), and how many leading parts a DISTINCT union covers: one to the right overrides every ALL
 * to its left. Undefined when an operand is another set operation, or the chain holds an
 * INTERSECT or EXCEPT, or an inner ORDER BY or LIMIT.
 */
function unionChain(
  query: SetOperationStatement,
): { readonly parts: Query[]; readonly distinctParts: number } | undefined {
  const parts: Query[] = [];
  const joins: boolean[] = [];
  let node: Query = query;
  while (node.kind === 'setOperation') {
    if (node.op !== 'union' || node.implicitOrder !== undefined) return undefined;
    if (node.right.kind === 'setOperation') return undefined;
    if (node !== query && (node.orderBy.length > 0 || node.limit !== undefined)) return undefined;
    parts.unshift(node.right);
    joins.unshift(node.all);
    node = node.left;
  }
  parts.unshift(node);
  const lastDistinct = joins.lastIndexOf(false);
  return { parts, distinctParts: lastDistinct < 0 ? 0 : lastDistinct + 2 };
}

/**
 * The part with the order MariaDB reads it in. An ORDER BY without LIMIT in a part is dropped,
 * as MariaDB drops it; with LIMIT the part keeps its order, which decides the rows it gives.
 */
function orderedPart(part: SelectStatement, partOrder: PartOrder): OrderedPart {
  const explicit = part.orderBy.length > 0 && part.limit !== undefined;
  const source = part.orderBy.length > 0 && !explicit ? { ...part, orderBy: [] } : part;
  const ordered = explicit ? source : partOrder(source);
  const select = part.limit === undefined ? { ...ordered, orderBy: [] } : ordered;
  const keys: Expr[] = [];
  for (const item of ordered.orderBy) {
    const key = shownExpr(ordered.columns, item.expr, explicit);
    // A DISTINCT would read hidden items as part of its rows.
    if (key === undefined || ordered.distinct) return { select, keys: [], order: [] };
    keys.push(key);
  }
  return { select, keys, order: ordered.orderBy };
}

/**
 * An order item as an expression a select item can hold: a position names its item; a bare
 * name an item's alias (ORDER BY looks at aliases first; GROUP BY looks at the tables first,
 * so a name that is both an alias and maybe a column is not resolved here).
 */
function shownExpr(
  items: readonly SelectItem[],
  expr: Expr,
  aliasFirst: boolean,
): Expr | undefined {
  if (expr.kind === 'literal' && expr.type === 'int') {
    const item = items[Number(expr.value) - 1];
    return item === undefined || item.expr.kind === 'star' ? undefined : item.expr;
  }
  if (expr.kind !== 'column' || expr.table !== undefined) return expr;
  const name = expr.column.toLowerCase();
  const aliased = items.find((item) => item.alias?.toLowerCase() === name);
  if (aliased === undefined) return expr;
  const same = aliased.expr.kind === 'column' && aliased.expr.column.toLowerCase() === name;
  return same || aliasFirst ? aliased.expr : undefined;
}
