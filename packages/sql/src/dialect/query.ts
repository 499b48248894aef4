/** SELECT, set operations and WITH, translated with MySQL's result columns. */
import type { Expr } from '../parser/ast-expr.js';
import type {
  Query,
  SelectStatement,
  SetOperationStatement,
  WithStatement,
} from '../parser/ast-query.js';
import { columnRead } from './time-zone.js';
import { sqlError } from '../errors.js';
import type { ColumnMeta } from '../values.js';
import {
  childContext,
  depthMax,
  findColumn,
  metaType,
  notSupported,
  quoteIdentifier,
  type Context,
  type Scope,
} from './context.js';
import { coerceTo } from './case.js';
import { asCondition, asValue, noCase } from './coerce.js';
import { translate } from './expr.js';
import { zeroDateNullTests } from './zero-date-is-null.js';
import { translateFrom } from './from.js';
import { translateWindowSpec } from './functions/window-spec.js';
import { requireDistinctNames, selectItemName } from './names.js';
import { isAggregatedSelect, wrapUngroupedColumns } from './ungrouped.js';
import { checkHavingColumns } from './having-columns.js';
import { inImplicitOrder } from './union-order.js';
import { sortKey, translateOrderItems } from './order.js';
import { aggregateType, isCollatedText, isDecimal, isInteger, nullType } from './type-rules.js';
import type { MyType, TranslatedQuery, Typed } from './types.js';

export function translateQueryIn(context: Context, query: Query): TranslatedQuery {
  if (context.depth > depthMax) throw sqlError('NOT_SUPPORTED', 'Query nesting is too deep');
  const inner = { ...context, depth: context.depth + 1 };
  switch (query.kind) {
    case 'select':
      return translateSelect(inner, query);
    case 'setOperation':
      return translateSetOperation(inner, query);
    case 'with':
      return translateWith(inner, query);
  }
}

/** The value the client sees: booleans as 0/1, DECIMAL at its scale, unsigned 64-bit kept. */
export function finalizeValue(context: Context, input: Typed): Typed {
  const value = asValue(context, input);
  const t = value.type;
  if (isDecimal(t)) {
    const scale = t.scale ?? 0;
    if (context.dialect === 'sqlite') return { ...value, sql: `round(${value.sql}, ${scale})` };
    return {
      ...value,
      sql: `CAST(${value.sql} AS DECIMAL(${Math.min(t.precision ?? 38, 38)},${scale}))`,
    };
  }
  // A DOUBLE with fixed decimals (PI(), a DOUBLE(M,D) column, `d * d`) is sent at full
  // precision, as MariaDB sends it to prepared statements; text rows print it rounded.
  if (isInteger(t) && context.dialect === 'duckdb') {
    return { ...value, sql: `CAST(${value.sql} AS ${t.unsigned === true ? 'UBIGINT' : 'BIGINT'})` };
  }
  return value;
}

interface Item {
  readonly name: string;
  readonly value: Typed;
  readonly origin?: {
    table: string;
    column: ColumnMeta;
    derived?: boolean;
    transparent?: boolean;
  };
  /** The item is a column reference (its text is a column's, not computed). */
  readonly namesColumn?: boolean;
}

function expandItems(context: Context, select: SelectStatement): Item[] {
  const items: Item[] = [];
  for (const item of select.columns) {
    if (item.expr.kind === 'star') {
      const star = item.expr;
      const tables = context.scope.tables.filter(
        (t) => star.table === undefined || t.name.toLowerCase() === star.table.toLowerCase(),
      );
      if (tables.length === 0)
        throw sqlError(
          'BAD_TABLE',
          star.table === undefined ? 'No tables used' : `Unknown table '${star.table}'`,
        );
      for (const table of tables) {
        for (const column of table.columns) {
          if (star.table === undefined && table.hidden?.has(column.name.toLowerCase()) === true)
            continue;
          const stored = `${quoteIdentifier(table.name)}.${quoteIdentifier(column.name)}`;
          const sql = columnRead(context, stored, column);
          items.push({
            name: column.name,
            value: { sql, type: metaType(column) },
            origin: {
              table: table.name,
              column,
              derived: table.derived === true,
              transparent: table.transparent === true,
            },
          });
        }
      }
      continue;
    }
    const value = translate(context, item.expr);
    const named = namesColumn(item.expr) ? { namesColumn: true } : {};
    const origin = item.expr.kind === 'column' ? columnOrigin(context, item.expr) : {};
    items.push({ name: selectItemName(item), value, ...named, ...origin });
  }
  return items;
}

/**
 * The origin of a select item that names a column: MariaDB sends its database, the table's
 * name in the query, the stored table and column, and the column's key and NOT NULL flags.
 */
function columnOrigin(
  context: Context,
  expr: Extract<Expr, { kind: 'column' }>,
): Pick<Item, 'origin'> {
  const found = findColumn(context.scope, expr.table, expr.column);
  if (found === undefined) return {};
  const { table, column } = found;
  return {
    origin: {
      table: table.name,
      column,
      derived: table.derived === true,
      transparent: table.transparent === true,
    },
  };
}

/** ORDER BY / GROUP BY may name a select alias or a 1-based position, as MySQL allows. */
function selectReference(
  expr: Expr,
  items: readonly Item[],
  scopeHasColumn: (name: string) => boolean,
): Item | undefined {
  if (expr.kind === 'literal' && expr.type === 'int') {
    const item = items[Number(expr.value) - 1];
    if (item === undefined)
      throw sqlError('BAD_FIELD', `Unknown column '${String(expr.value)}' in 'order clause'`);
    return item;
  }
  if (expr.kind === 'column' && expr.table === undefined) {
    const item = items.find((i) => i.name.toLowerCase() === expr.column.toLowerCase());
    if (item !== undefined && !scopeHasColumn(expr.column)) return item;
  }
  return undefined;
}

/**
 * WITH ROLLUP without ORDER BY: MariaDB returns the rows sorted by the GROUP BY keys, each
 * super-aggregate row after the rows it sums up. (Plain GROUP BY is sorted the same way by
 * aggregator/compat-group-order.ts, before planning, so distributed plans merge in order.)
 */
function rollupOrder(
  context: Context,
  values: readonly Typed[],
  keys: readonly string[],
  descending: readonly boolean[] | undefined,
): string[] {
  return values.flatMap((value, i) => {
    const key = keys[i] ?? 'NULL';
    const order = descending?.[i] === true ? 'DESC NULLS LAST' : 'ASC NULLS FIRST';
    return [`GROUPING(${key}) ASC`, `${sortKey(context, value, key)} ${order}`];
  });
}

function translateSelect(outer: Context, source: SelectStatement): TranslatedQuery {
  if (source.into !== undefined) return notSupported('SELECT … INTO');
  const from = source.from === undefined ? undefined : translateFrom(outer, source.from);
  const scope: Scope = { tables: from?.tables ?? [], parent: outer.scope };
  // GROUPING() is allowed in this SELECT's own clauses (childContext drops it for subqueries).
  const rollup = source.withRollup ? { rollup: true } : {};
  const context: Context = { ...childContext(outer, scope), ...rollup };
  checkHavingColumns(source, scope);
  const select = wrapUngroupedColumns(context, source);
  const items = expandItems(context, select);
  const aliases = new Map(items.map((i) => [i.name.toLowerCase(), i.value] as const));
  const withAliases: Context = { ...childContext(context, { ...scope, aliases }), ...rollup };
  const has = (name: string): boolean =>
    scope.tables.some((t) => t.columns.some((c) => c.name.toLowerCase() === name.toLowerCase()));
  const finals = items.map((i) => finalizeValue(context, i.value));
  const parts = [
    `SELECT ${select.distinct ? 'DISTINCT ' : ''}${finals.map((f, i) => `${f.sql} AS ${quoteIdentifier(items[i]?.name ?? `c${i}`)}`).join(', ')}`,
  ];
  if (from !== undefined) parts.push(`FROM ${from.sql}`);
  // HAVING without grouping or aggregates filters rows, naming select aliases (MySQL allows
  // it; the engines would aggregate): it joins the WHERE, each alias read as its expression.
  const havingFilters = select.having !== undefined && !isAggregatedSelect(select);
  const conditions = [
    ...(select.where === undefined
      ? []
      : [asCondition(context, translateWhere({ ...context, clause: 'where' }, select.where))]),
    ...(havingFilters && select.having !== undefined
      ? [asCondition(withAliases, translate(withAliases, select.having))]
      : []),
  ];
  if (conditions.length > 0) parts.push(`WHERE ${conditions.join(' AND ')}`);
  let implicitOrder: string[] = [];
  if (select.groupBy.length > 0) {
    const values = select.groupBy.map(
      (g) => selectReference(g, items, has)?.value ?? translate(context, g),
    );
    const keys = values.map((v) => asValue(context, v).sql);
    implicitOrder = rollupOrder(context, values, keys, select.groupByDesc);
    if (select.withRollup) {
      if (context.dialect === 'sqlite')
        return notSupported('GROUP BY … WITH ROLLUP', context.dialect);
      parts.push(`GROUP BY ROLLUP (${keys.join(', ')})`);
    } else {
      parts.push(`GROUP BY ${keys.join(', ')}`);
    }
  }
  if (select.having !== undefined && !havingFilters) {
    // HAVING reads an alias before a table column of its name, unless GROUP BY names that
    // column (MariaDB: `SELECT a, COUNT(*) c … GROUP BY a HAVING c > 1` counts).
    const grouped = new Set(
      select.groupBy.flatMap((g) => (g.kind === 'column' ? [g.column.toLowerCase()] : [])),
    );
    // Only names written with AS: a plain column item is that column already.
    const aliasesFirst = new Set(
      select.columns.flatMap((item) =>
        item.alias === undefined || grouped.has(item.alias.toLowerCase())
          ? []
          : [item.alias.toLowerCase()],
      ),
    );
    const having: Context = {
      ...childContext(context, { ...scope, aliases, aliasesFirst }),
      ...rollup,
    };
    parts.push(`HAVING ${asCondition(having, translate(having, select.having))}`);
  }
  if (select.windows.length > 0) {
    parts.push(
      `WINDOW ${select.windows.map((w) => `${quoteIdentifier(w.name)} AS ${translateWindowSpec(context, w.spec)}`).join(', ')}`,
    );
  }
  // ORDER BY NULL asks MySQL not to sort (DuckDB refuses a constant sort key).
  const orderBy = select.orderBy.filter(
    (o) => !(o.expr.kind === 'literal' && o.expr.value === null),
  );
  if (orderBy.length > 0) {
    const orders = orderBy.map((o) => {
      const reference = selectReference(o.expr, items, has);
      if (reference === undefined) return translateOrderItems(withAliases, [o]);
      const name = quoteIdentifier(reference.name);
      const sql =
        select.distinct || context.dialect === 'sqlite'
          ? name
          : asValue(context, reference.value).sql;
      const keyed = sortKey(context, reference.value, sql);
      return `${keyed} ${o.desc ? 'DESC' : 'ASC'} NULLS ${(o.nulls ?? (o.desc ? 'last' : 'first')).toUpperCase()}`;
    });
    parts.push(`ORDER BY ${orders.join(', ')}`);
  } else if (outer.depth === 1 && select.withRollup && select.orderBy.length === 0) {
    // Only the statement's own SELECT (depth 1): a derived table's order means nothing.
    parts.push(`ORDER BY ${implicitOrder.join(', ')}`);
  }
  if (select.limit !== undefined) parts.push(translateLimit(context, select.limit));
  const columns = items.map((item, i) => column(item, finals[i] ?? item.value));
  return { sql: parts.join(' '), columns };
}

/** A column, or an ungrouped column wrapped in ANY_VALUE (ungrouped.ts). */
function namesColumn(expr: Expr): boolean {
  if (expr.kind === 'column') return true;
  return (
    expr.kind === 'call' &&
    expr.name.toUpperCase() === 'ANY_VALUE' &&
    expr.args.length === 1 &&
    expr.args[0]?.kind === 'column'
  );
}

/** MariaDB's decimals of computed text (NOT_FIXED_DEC); a table column's text has 0. */
const computedTextScale = 39;

function column(item: Item, value: Typed): ColumnMeta {
  const type = value.type;
  // Computed CHAR/VARCHAR (not a column, nor text a function formats itself with scale 0).
  const computedText =
    item.origin === undefined &&
    item.namesColumn !== true &&
    (type.type === 'varchar' || type.type === 'char') &&
    type.scale === undefined;
  // A column of a derived table or of partial results keeps the scale it had below.
  const t = computedText ? { ...type, scale: computedTextScale } : type;
  return {
    name: item.name,
    type: t.type === 'null' ? 'varchar' : t.type,
    ...(t.length === undefined ? {} : { length: t.length }),
    ...(t.precision === undefined ? {} : { precision: t.precision }),
    ...(t.scale === undefined ? {} : { scale: t.scale }),
    ...(t.unsigned === undefined ? {} : { unsigned: t.unsigned }),
    nullable: t.nullable ?? true,
    ...(t.kind === undefined ? {} : { kind: t.kind }),
    ...(t.members === undefined ? {} : { members: t.members }),
    ...(item.origin === undefined ? {} : originFields(item.origin)),
  };
}

/**
 * Where a column comes from, as MariaDB describes it: the table's name in the query, the
 * stored table (a derived table or CTE is its own: its name twice, its column's name), the
 * database, and the column's key flags. A column an outer join may fill with NULLs has lost
 * NOT NULL already (`from.ts`).
 */
function originFields(origin: NonNullable<Item['origin']>): Partial<ColumnMeta> {
  const { column } = origin;
  if (origin.transparent === true) return keptOrigin(column);
  // A stored table's column names its table; a derived one's is its own.
  const stored = origin.derived === true ? undefined : column.orgTable;
  return {
    table: origin.table,
    orgName: stored === undefined ? column.name : (column.orgName ?? column.name),
    ...(column.database === undefined ? {} : { database: column.database }),
    orgTable: stored ?? origin.table,
    ...originFlags(column),
  };
}

/** The flags a table column's origin brings to result metadata. */
const ORIGIN_FLAGS = [
  'primaryKey',
  'autoIncrement',
  'noDefaultValue',
  'partKey',
  'uniqueKey',
  'multipleKey',
] as const;

function originFlags(column: ColumnMeta): Partial<Record<(typeof ORIGIN_FLAGS)[number], true>> {
  const flags: Partial<Record<(typeof ORIGIN_FLAGS)[number], true>> = {};
  for (const flag of ORIGIN_FLAGS) if (column[flag] === true) flags[flag] = true;
  return flags;
}

/** A partial result's column as its partition query described it. */
function keptOrigin(column: ColumnMeta): Partial<ColumnMeta> {
  if (column.table === undefined) return {};
  return {
    table: column.table,
    ...(column.orgTable === undefined ? {} : { orgTable: column.orgTable }),
    ...(column.orgName === undefined ? {} : { orgName: column.orgName }),
    ...(column.database === undefined ? {} : { database: column.database }),
    ...originFlags(column),
  };
}

/** The engines count rows in a signed BIGINT; MySQL's "no limit" idiom is 2^64-1. */
const rowsMax = 9_223_372_036_854_775_807n;

function limitValue(context: Context, expr: Expr): string {
  if (
    expr.kind === 'literal' &&
    expr.type === 'int' &&
    (typeof expr.value === 'bigint' ||
      typeof expr.value === 'number' ||
      typeof expr.value === 'string') &&
    /^\d+$/.test(String(expr.value)) &&
    BigInt(String(expr.value)) > rowsMax
  )
    return String(rowsMax);
  return asValue(context, translate(context, expr)).sql;
}

function translateLimit(context: Context, limit: NonNullable<SelectStatement['limit']>): string {
  const count = limitValue(context, limit.count);
  const offset = limit.offset === undefined ? '' : ` OFFSET ${limitValue(context, limit.offset)}`;
  return `LIMIT ${count}${offset}`;
}

function translateSetOperation(context: Context, query: SetOperationStatement): TranslatedQuery {
  const left = translateQueryIn(context, query.left);
  const right = translateQueryIn(context, query.right);
  if (left.columns.length !== right.columns.length) {
    throw sqlError(
      'WRONG_NUMBER_OF_COLUMNS_IN_SELECT',
      'The used SELECT statements have a different number of columns',
    );
  }
  if (query.all && query.op !== 'union' && context.dialect === 'sqlite')
    return notSupported(`${query.op.toUpperCase()} ALL`, context.dialect);
  // A NULL select item is described as a VARCHAR without a length; it takes the other side's type.
  const unionType = (m: ColumnMeta): MyType =>
    m.type === 'varchar' && m.length === undefined && m.table === undefined
      ? nullType
      : metaType(m);
  const columns = left.columns.map((c, i) => {
    const other = right.columns[i] ?? c;
    const type = aggregateType([c, other].map(unionType));
    // MariaDB describes a UNION's text with decimals 0, as a column.
    const item = { name: c.name, value: { sql: '', type }, namesColumn: true };
    return { ...column(item, { sql: '', type }) };
  });
  // A side's text column under a binary result is converted to bytes (DuckDB's own cast takes
  // only ASCII).
  const sideColumn = (side: ColumnMeta, i: number): string => {
    const target = columns[i];
    const name = quoteIdentifier(side.name);
    if (target === undefined || target.type !== 'blob' || side.type === 'blob') return name;
    const value = { sql: name, type: metaType(side) };
    return coerceTo(context, value, metaType(target)).sql;
  };
  const ordered = query.implicitOrder;
  // An implicitly ordered chain names its columns by position: shown names may repeat.
  const nameOf = (c: ColumnMeta, i: number): string =>
    ordered === undefined ? quoteIdentifier(columns[i]?.name ?? c.name) : `"exo_c${i}"`;
  const names = left.columns.map((c, i) => `${sideColumn(c, i)} AS ${nameOf(c, i)}`).join(', ');
  const op = `${query.op.toUpperCase()}${query.all ? ' ALL' : ''}`;
  const rightNames = right.columns
    .map((c, i) => `${sideColumn(c, i)} AS ${nameOf(c, i)}`)
    .join(', ');
  const body = `SELECT ${names} FROM (${left.sql}) AS "exo_left" ${op} SELECT ${rightNames} FROM (${right.sql}) AS "exo_right"`;
  if (ordered !== undefined) {
    const limit = query.limit === undefined ? '' : translateLimit(context, query.limit);
    return inImplicitOrder(context, { body, columns, order: ordered, limit });
  }
  const parts = [body];
  if (query.orderBy.length > 0) {
    const orders = query.orderBy.map((o) => {
      const index =
        o.expr.kind === 'literal' && o.expr.type === 'int'
          ? Number(o.expr.value) - 1
          : o.expr.kind === 'column'
            ? columns.findIndex(
                (c) =>
                  c.name.toLowerCase() ===
                  (o.expr.kind === 'column' ? o.expr.column.toLowerCase() : ''),
              )
            : -1;
      const target = columns[index];
      if (target === undefined) return notSupported('ORDER BY an expression after UNION');
      const name = quoteIdentifier(target.name);
      return `${isCollatedText({ type: target.type }) ? noCase(name) : name} ${o.desc ? 'DESC' : 'ASC'} NULLS ${(o.nulls ?? (o.desc ? 'last' : 'first')).toUpperCase()}`;
    });
    parts.push(`ORDER BY ${orders.join(', ')}`);
  }
  if (query.limit !== undefined) parts.push(translateLimit(context, query.limit));
  const sql =
    parts.length === 1
      ? (parts[0] ?? '')
      : `SELECT * FROM (${parts[0] ?? ''}) AS "exo_set" ${parts.slice(1).join(' ')}`;
  return { sql, columns };
}

function translateWith(context: Context, query: WithStatement): TranslatedQuery {
  const ctes = new Map(context.ctes);
  const parts: string[] = [];
  for (const cte of query.ctes) {
    const key = cte.name.toLowerCase();
    let inner: TranslatedQuery;
    if (query.recursive && cte.query.kind === 'setOperation') {
      const anchor = translateQueryIn({ ...context, ctes }, cte.query.left);
      ctes.set(
        key,
        anchor.columns.map((c, i) => ({ ...c, name: cte.columns?.[i] ?? c.name })),
      );
      // The recursive member must name the CTE directly, not through a subquery.
      const step = translateQueryIn({ ...context, ctes }, cte.query.right);
      const op = `${cte.query.op.toUpperCase()}${cte.query.all ? ' ALL' : ''}`;
      inner = { sql: `${anchor.sql} ${op} ${step.sql}`, columns: anchor.columns };
    } else {
      inner = translateQueryIn({ ...context, ctes }, cte.query);
    }
    const columns = inner.columns.map((c, i) => ({ ...c, name: cte.columns?.[i] ?? c.name }));
    requireDistinctNames(columns);
    ctes.set(key, columns);
    parts.push(
      `${quoteIdentifier(cte.name)}(${columns.map((c) => quoteIdentifier(c.name)).join(', ')}) AS (${inner.sql})`,
    );
  }
  const body = translateQueryIn({ ...context, ctes }, query.query);
  return {
    sql: `WITH ${query.recursive ? 'RECURSIVE ' : ''}${parts.join(', ')} ${body.sql}`,
    columns: body.columns,
  };
}

/** A WHERE condition, with MariaDB's IS NULL of NOT NULL dates (zero-date-is-null.ts). */
function translateWhere(context: Context, where: Expr): Typed {
  return translate(context, zeroDateNullTests(context, where));
}
