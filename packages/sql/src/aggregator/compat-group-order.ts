/**
 * MariaDB sorts a grouped result by its GROUP BY keys when the query has no ORDER BY (MySQL did
 * so before 8.0), each ascending unless written `DESC`, and clients comparing answers come to
 * rely on it; `ORDER BY NULL` asks for no
 * sorting. This rewrite runs on the statement before planning, so every plan (one partition,
 * distributed with a merge, gather) orders the rows the same way.
 */
import type { OrderItem } from '../parser/ast-expr.js';
import type { Query, SelectStatement } from '../parser/ast-query.js';

function isOrderByNull(orderBy: readonly OrderItem[]): boolean {
  return (
    orderBy.length > 0 &&
    orderBy.every((item) => item.expr.kind === 'literal' && item.expr.value === null)
  );
}

function orderedSelect(select: SelectStatement): SelectStatement {
  if (isOrderByNull(select.orderBy)) return { ...select, orderBy: [] };
  // WITH ROLLUP is ordered by the translator, which can place super-aggregate rows (GROUPING).
  if (select.groupBy.length === 0 || select.orderBy.length > 0 || select.withRollup) return select;
  return {
    ...select,
    orderBy: select.groupBy.map((expr, index) => ({
      expr,
      desc: select.groupByDesc?.[index] === true,
    })),
  };
}

/** The query with MariaDB's implicit GROUP BY order made explicit on its outermost SELECT. */
export function withImplicitGroupOrder(query: Query): Query {
  switch (query.kind) {
    case 'select':
      return orderedSelect(query);
    case 'with': {
      const inner = withImplicitGroupOrder(query.query);
      return inner === query.query ? query : { ...query, query: inner };
    }
    case 'setOperation':
      return query;
  }
}
