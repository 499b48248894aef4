/**
 * Columns of an aggregated query that are neither grouped nor inside an aggregate. MySQL
 * returns a value from some row of the group; the engines refuse such columns, so they are
 * wrapped in ANY_VALUE. Under sql_mode ONLY_FULL_GROUP_BY (MySQL 8's default, not MariaDB's,
 * which this server's default follows) a column is allowed only when it is functionally
 * dependent on the GROUP BY columns (its table's primary key is grouped, or reached through
 * equalities: group-dependencies.ts) and refused otherwise with MySQL's errors 1055 and 1140.
 */
import { SqlError, sqlError } from '../errors.js';
import type { Expr, SelectItem, SelectStatement } from '../parser/ast.js';
import { formatExpr, mapExpr, walkExpr } from '../parser/index.js';
import { aggregateNames } from './functions/aggregates.js';
import { findColumn, resolveColumn, type Context, type ResolvedColumn } from './context.js';
import { columnKey, determinedColumns } from './group-dependencies.js';

type Clause = 'SELECT list' | 'HAVING clause' | 'ORDER BY clause';

interface GroupKeys {
  readonly texts: ReadonlySet<string>;
  /** Grouped table columns, as `<scope table>.<column>` in lower case. */
  readonly columns: ReadonlySet<string>;
  /** The columns the grouped ones determine (group-dependencies.ts), made when first asked. */
  determined?: ReadonlySet<string>;
}

/** The select with its ungrouped columns wrapped (or an error); itself when nothing changes. */
export function wrapUngroupedColumns(context: Context, select: SelectStatement): SelectStatement {
  if (!isAggregatedSelect(select)) return select;
  const keys = groupKeys(context, select);
  const aliases = new Set(
    select.columns.flatMap((item) => (item.alias === undefined ? [] : [item.alias.toLowerCase()])),
  );
  let changed = false;
  const wrap = (expr: Expr, clause: Clause, position: number): Expr => {
    const exposed = exposedColumns(expr, keys);
    if (exposed.size === 0) return expr;
    return mapExpr(expr, (node) => {
      if (node.kind !== 'column' || !exposed.has(node)) return node;
      if (
        clause !== 'SELECT list' &&
        node.table === undefined &&
        aliases.has(node.column.toLowerCase())
      )
        return node;
      const resolved = ownColumn(context, node);
      if (resolved === undefined) return node;
      if (onlyFullGroupBy(context) && !dependsOnKeys(context, select, resolved, keys))
        throw refusal(context, select, { clause, position, resolved });
      changed = true;
      return { kind: 'call', name: 'ANY_VALUE', args: [node], pos: node.pos ?? 0 };
    });
  };
  const columns = expandStars(context, select.columns).map((item, index) => {
    if (item.expr.kind === 'star') return item;
    const expr = wrap(item.expr, 'SELECT list', index + 1);
    if (expr === item.expr) return item;
    // A wrapped column keeps the name it shows (`c.name` is still `name`, as in MySQL).
    const text = item.expr.kind === 'column' ? item.expr.column : item.text;
    return { ...item, expr, ...(text !== undefined ? { text } : {}) };
  });
  const having = select.having === undefined ? undefined : wrap(select.having, 'HAVING clause', 1);
  const orderBy = select.orderBy.map((item, index) =>
    item.expr.kind === 'literal'
      ? item
      : { ...item, expr: wrap(item.expr, 'ORDER BY clause', index + 1) },
  );
  if (!changed) return select;
  return { ...select, columns, ...(having !== undefined ? { having } : {}), orderBy };
}

/**
 * `*` and `t.*` of an aggregated query as their columns, so that each is checked and wrapped
 * like a column written out (`SELECT *, COUNT(*) … GROUP BY a`). A star that names no table
 * stays, for the translation to refuse.
 */
function expandStars(context: Context, items: readonly SelectItem[]): readonly SelectItem[] {
  if (!items.some((item) => item.expr.kind === 'star')) return items;
  return items.flatMap((item): SelectItem[] => {
    const star = item.expr;
    if (star.kind !== 'star') return [item];
    const tables = context.scope.tables.filter(
      (table) => star.table === undefined || table.name.toLowerCase() === star.table.toLowerCase(),
    );
    if (tables.length === 0) return [item];
    return tables.flatMap((table) =>
      table.columns
        .filter(
          (column) =>
            star.table !== undefined || table.hidden?.has(column.name.toLowerCase()) !== true,
        )
        .map((column) => ({
          expr: { kind: 'column', table: table.name, column: column.name, pos: star.pos ?? 0 },
          text: column.name,
        })),
    );
  });
}

/** Whether the block groups: GROUP BY, or an aggregate in its select list or HAVING. */
export function isAggregatedSelect(select: SelectStatement): boolean {
  return (
    select.groupBy.length > 0 ||
    select.columns.some((item) => hasAggregate(item.expr)) ||
    (select.having !== undefined && hasAggregate(select.having))
  );
}

function hasAggregate(expr: Expr): boolean {
  let found = false;
  walkExpr(expr, (node) => {
    if (found) return false;
    if (node.kind === 'call' && aggregateNames.has(node.name.toUpperCase())) found = true;
    return !found;
  });
  return found;
}

function keyText(expr: Expr): string {
  return formatExpr(expr).toLowerCase();
}

function groupKeys(context: Context, select: SelectStatement): GroupKeys {
  const texts = new Set<string>();
  const columns = new Set<string>();
  for (const key of select.groupBy) {
    // GROUP BY 2 and GROUP BY <alias> name a select item; a column of the FROM comes before
    // an alias of its name, as the translation of GROUP BY reads it (query.ts).
    let expr = key;
    if (key.kind === 'literal' && key.type === 'int')
      expr = select.columns[Number(key.value) - 1]?.expr ?? key;
    else if (key.kind === 'column' && key.table === undefined) {
      const named = select.columns.find(
        (item) => item.alias?.toLowerCase() === key.column.toLowerCase(),
      );
      if (named !== undefined && ownColumn(context, key) === undefined) expr = named.expr;
    }
    texts.add(keyText(expr));
    if (expr.kind === 'column') {
      const resolved = ownColumn(context, expr);
      if (resolved !== undefined) columns.add(columnKey(resolved));
      // A name that is no column anywhere is reported as the grouping's, before any check.
      else if (findColumn(context.scope, expr.table, expr.column) === undefined)
        requireGroupColumn(context, expr);
    }
  }
  return { texts, columns };
}

/** Column nodes not inside an aggregate call or a grouped expression. */
function exposedColumns(expr: Expr, keys: GroupKeys): Set<Expr> {
  const exposed = new Set<Expr>();
  walkExpr(expr, (node) => {
    if (node.kind === 'call' && aggregateNames.has(node.name.toUpperCase())) return false;
    if (node.kind === 'windowCall') return false;
    if (keys.texts.has(keyText(node))) return false;
    if (node.kind === 'column') exposed.add(node);
    return true;
  });
  return exposed;
}

/** The column in this query block's own FROM; undefined for outer references and aliases. */
function requireGroupColumn(context: Context, expr: Extract<Expr, { kind: 'column' }>): void {
  try {
    resolveColumn(context.scope, expr.table, expr.column);
  } catch (error) {
    if (error instanceof SqlError && error.errno === 1054) {
      const shown = expr.table === undefined ? expr.column : `${expr.table}.${expr.column}`;
      throw sqlError('BAD_FIELD', `Unknown column '${shown}' in 'group statement'`);
    }
    throw error;
  }
}

function ownColumn(
  context: Context,
  expr: Extract<Expr, { kind: 'column' }>,
): ResolvedColumn | undefined {
  try {
    return resolveColumn({ tables: context.scope.tables }, expr.table, expr.column);
  } catch {
    return undefined;
  }
}

function dependsOnKeys(
  context: Context,
  select: SelectStatement,
  resolved: ResolvedColumn,
  keys: GroupKeys,
): boolean {
  if (keys.columns.has(columnKey(resolved))) return true;
  keys.determined ??= determinedColumns(context, select, keys.columns);
  return keys.determined.has(columnKey(resolved));
}

function onlyFullGroupBy(context: Context): boolean {
  return context.options.onlyFullGroupBy === true;
}

function refusal(
  context: Context,
  select: SelectStatement,
  at: { clause: Clause; position: number; resolved: ResolvedColumn },
): Error {
  const { column, table } = at.resolved;
  const name = [
    column.database ?? context.options.database,
    column.orgTable ?? table.name,
    column.name,
  ]
    .filter((part) => part !== undefined)
    .join('.');
  if (select.groupBy.length === 0) {
    return sqlError(
      'MIX_OF_GROUP_FUNC_AND_FIELDS',
      `In aggregated query without GROUP BY, expression #${at.position} of ${at.clause} contains nonaggregated column '${name}'; this is incompatible with sql_mode=only_full_group_by`,
    );
  }
  return sqlError(
    'WRONG_FIELD_WITH_GROUP',
    `Expression #${at.position} of ${at.clause} is not in GROUP BY clause and contains nonaggregated column '${name}' which is not functionally dependent on columns in GROUP BY clause; this is incompatible with sql_mode=only_full_group_by`,
  );
}
