/** Prints queries and table references as canonical MySQL text. */
import type { Limit, Query, SelectItem, SelectStatement, TableName, TableRef } from './ast.js';
import {
  formatExpr,
  formatOrderList,
  formatVariable,
  formatWindowSpec,
  quoteIdentifier,
  quoteString,
} from './format-expr.js';

export function formatTableName(table: TableName): string {
  return table.database === undefined
    ? quoteIdentifier(table.name)
    : `${quoteIdentifier(table.database)}.${quoteIdentifier(table.name)}`;
}

export function formatLimit(limit: Limit): string {
  const count = formatExpr(limit.count);
  if (limit.offset === undefined) return `LIMIT ${count}`;
  // Placeholders are numbered in source order, so keep the order they were written in.
  const countFirst =
    limit.count.kind === 'param' &&
    limit.offset.kind === 'param' &&
    limit.count.index < limit.offset.index;
  const offset = formatExpr(limit.offset);
  return countFirst ? `LIMIT ${count} OFFSET ${offset}` : `LIMIT ${offset}, ${count}`;
}

export function formatQuery(query: Query): string {
  switch (query.kind) {
    case 'select':
      return formatSelect(query);
    case 'with': {
      const ctes = query.ctes.map((cte) => {
        const columns =
          cte.columns === undefined ? '' : ` (${cte.columns.map(quoteIdentifier).join(', ')})`;
        return `${quoteIdentifier(cte.name)}${columns} AS (${formatQuery(cte.query)})`;
      });
      return `WITH ${query.recursive ? 'RECURSIVE ' : ''}${ctes.join(', ')} ${formatQuery(query.query)}`;
    }
    case 'setOperation': {
      // Operands are parenthesized unless they are plain SELECTs without their own tail, so
      // that nesting and trailing clauses read back exactly.
      const op = `${query.op.toUpperCase()}${query.all ? ' ALL' : ''}`;
      const left = formatOperand(query.left, query.op === 'intersect' ? 'intersect' : 'left');
      const right = formatOperand(query.right, 'right');
      const parts = [`${left} ${op} ${right}`];
      if (query.orderBy.length > 0) parts.push(`ORDER BY ${formatOrderList(query.orderBy)}`);
      if (query.limit !== undefined) parts.push(formatLimit(query.limit));
      return parts.join(' ');
    }
  }
}

function formatOperand(query: Query, side: 'left' | 'right' | 'intersect'): string {
  const text = formatQuery(query);
  if (query.kind === 'select') {
    const tail =
      query.orderBy.length > 0 ||
      query.limit !== undefined ||
      query.lock !== undefined ||
      query.into !== undefined;
    return tail ? `(${text})` : text;
  }
  if (
    query.kind === 'setOperation' &&
    side === 'left' &&
    query.op !== 'intersect' &&
    query.orderBy.length === 0 &&
    query.limit === undefined
  ) {
    return text;
  }
  return `(${text})`;
}

/** A select list (also INSERT … RETURNING's). */
export function formatSelectItems(items: readonly SelectItem[]): string {
  return items
    .map((item) =>
      item.alias === undefined
        ? formatExpr(item.expr)
        : `${formatExpr(item.expr)} AS ${quoteIdentifier(item.alias)}`,
    )
    .join(', ');
}

function formatSelect(select: SelectStatement): string {
  const parts = ['SELECT'];
  if (select.distinct) parts.push('DISTINCT');
  if (select.options !== undefined) parts.push(...select.options);
  parts.push(formatSelectItems(select.columns));
  if (select.from !== undefined) parts.push(`FROM ${select.from.map(formatTableRef).join(', ')}`);
  if (select.where !== undefined) parts.push(`WHERE ${formatExpr(select.where)}`);
  if (select.groupBy.length > 0) {
    parts.push(
      `GROUP BY ${select.groupBy.map((key, index) => `${formatExpr(key)}${select.groupByDesc?.[index] === true ? ' DESC' : ''}`).join(', ')}${select.withRollup ? ' WITH ROLLUP' : ''}`,
    );
  }
  if (select.having !== undefined) parts.push(`HAVING ${formatExpr(select.having)}`);
  if (select.windows.length > 0) {
    parts.push(
      `WINDOW ${select.windows.map((window) => `${quoteIdentifier(window.name)} AS (${formatWindowSpec(window.spec)})`).join(', ')}`,
    );
  }
  if (select.orderBy.length > 0) parts.push(`ORDER BY ${formatOrderList(select.orderBy)}`);
  if (select.limit !== undefined) parts.push(formatLimit(select.limit));
  if (select.into !== undefined) {
    const into = select.into;
    if (into.kind === 'variables') {
      parts.push(
        `INTO ${into.variables.map((variable) => formatVariable(variable.name, false, undefined)).join(', ')}`,
      );
    } else {
      parts.push(`INTO ${into.kind.toUpperCase()} ${quoteString(into.file)}`);
    }
  }
  if (select.lock === 'update') parts.push('FOR UPDATE');
  else if (select.lock === 'share') parts.push('LOCK IN SHARE MODE');
  return parts.join(' ');
}

export function formatTableRef(ref: TableRef): string {
  switch (ref.kind) {
    case 'table': {
      let text = formatTableName(ref);
      if (ref.alias !== undefined) text += ` AS ${quoteIdentifier(ref.alias)}`;
      for (const hint of ref.indexHints ?? []) {
        const forClause = hint.for === undefined ? '' : ` FOR ${hint.for.toUpperCase()}`;
        const names = hint.indexes.map((name) =>
          name === 'PRIMARY' ? name : quoteIdentifier(name),
        );
        text += ` ${hint.type.toUpperCase()} INDEX${forClause} (${names.join(', ')})`;
      }
      return text;
    }
    case 'derived': {
      const columns =
        ref.columnAliases === undefined
          ? ''
          : ` (${ref.columnAliases.map(quoteIdentifier).join(', ')})`;
      return `${ref.lateral === true ? 'LATERAL ' : ''}(${formatQuery(ref.query)}) AS ${quoteIdentifier(ref.alias)}${columns}`;
    }
    case 'join': {
      const left = formatTableRef(ref.left);
      const right =
        ref.right.kind === 'join' ? `(${formatTableRef(ref.right)})` : formatTableRef(ref.right);
      const keyword =
        ref.natural === true
          ? `NATURAL ${ref.type === 'inner' ? '' : `${ref.type.toUpperCase()} `}JOIN`
          : ref.type === 'inner'
            ? 'JOIN'
            : ref.type === 'cross'
              ? 'CROSS JOIN'
              : ref.type === 'straight'
                ? 'STRAIGHT_JOIN'
                : `${ref.type.toUpperCase()} JOIN`;
      let text = `${left} ${keyword} ${right}`;
      if (ref.on !== undefined) text += ` ON ${formatExpr(ref.on)}`;
      if (ref.using !== undefined) text += ` USING (${ref.using.map(quoteIdentifier).join(', ')})`;
      return text;
    }
  }
}
