/**
 * The translation context: the dialect, the caller's options, and the scopes of column names
 * visible at the current point of a query (innermost first, for correlated subqueries).
 */
import { sqlError } from '../errors.js';
import type { ColumnMeta } from '../values.js';
import type { Dialect, MyType, TranslateOptions, Typed } from './types.js';

/** One table visible in a FROM clause, under the name queries use for it. */
export interface ScopeTable {
  /** The alias, or the table's own name. */
  readonly name: string;
  readonly columns: readonly ColumnMeta[];
  /** Lower-case names merged by USING/NATURAL: an unqualified reference takes the left table's. */
  readonly hidden?: ReadonlySet<string>;
  /** A derived table or CTE: its columns are a query's results, not a stored table's. */
  readonly derived?: boolean;
  /** See `ResolvedTable.transparent`. */
  readonly transparent?: boolean;
}

export interface Scope {
  readonly tables: readonly ScopeTable[];
  /** Select-list aliases, usable in GROUP BY / HAVING / ORDER BY as MySQL allows. */
  readonly aliases?: ReadonlyMap<string, Typed>;
  /**
   * Aliases that win over a table column of the same name (HAVING: every alias that is not a
   * GROUP BY column, as MariaDB resolves them); elsewhere the column wins.
   */
  readonly aliasesFirst?: ReadonlySet<string>;
  readonly parent?: Scope;
}

export interface Context {
  readonly dialect: Dialect;
  readonly options: TranslateOptions;
  readonly scope: Scope;
  /** Common table expressions visible here, by lower-case name. */
  readonly ctes: ReadonlyMap<string, readonly ColumnMeta[]>;
  /** Nesting depth, bounded so hostile input cannot exhaust the stack. */
  readonly depth: number;
  /**
   * `OVER (…)` while an aggregate is translated as a window function: each engine aggregate
   * call it is made of carries it (an exact AVG is a sum and a count). Never seen by arguments.
   */
  readonly over?: string;
  /**
   * Where the expression stands when that limits it: a WHERE condition or an aggregate's
   * argument take no aggregate (1111). A subquery starts afresh.
   */
  readonly clause?: 'where' | 'aggregate';
  /** Set in a SELECT … GROUP BY … WITH ROLLUP (not its subqueries): GROUPING() may be used. */
  readonly rollup?: boolean;
}

export const depthMax = 200;

export function childContext(context: Context, scope: Scope): Context {
  const { clause: _clause, rollup: _rollup, ...rest } = context;
  return { ...rest, scope, depth: context.depth + 1 };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteString(value: string): string {
  const quoted = `'${value.replaceAll("'", "''")}'`;
  // Both engines' parsers end a statement's text at a NUL byte: those are written as chr(0)
  // (DuckDB's function; registered for SQLite in sqlite-functions.ts).
  return value.includes('\u0000') ? `(${quoted.replaceAll('\u0000', "' || chr(0) || '")})` : quoted;
}

export interface ResolvedColumn {
  readonly table: ScopeTable;
  readonly column: ColumnMeta;
}

function findIn(scope: Scope, table: string | undefined, column: string): ResolvedColumn[] {
  const name = column.toLowerCase();
  const found: ResolvedColumn[] = [];
  for (const candidate of scope.tables) {
    if (table !== undefined && candidate.name.toLowerCase() !== table.toLowerCase()) continue;
    if (table === undefined && candidate.hidden?.has(name) === true) continue;
    const meta = candidate.columns.find((c) => c.name.toLowerCase() === name);
    if (meta !== undefined) found.push({ table: candidate, column: meta });
  }
  return found;
}

/** Finds a column the way MySQL does: innermost scope first; ambiguity is an error. */
export function resolveColumn(
  scope: Scope,
  table: string | undefined,
  column: string,
): ResolvedColumn {
  for (let current: Scope | undefined = scope; current !== undefined; current = current.parent) {
    const found = findIn(current, table, column);
    if (found.length > 1) {
      throw sqlError('NON_UNIQ', `Column '${column}' in field list is ambiguous`);
    }
    if (found[0] !== undefined) return found[0];
  }
  const shown = table === undefined ? column : `${table}.${column}`;
  throw sqlError('BAD_FIELD', `Unknown column '${shown}' in 'field list'`);
}

/** The column a name resolves to, or undefined when it does not resolve to exactly one. */
export function findColumn(
  scope: Scope,
  table: string | undefined,
  column: string,
): ResolvedColumn | undefined {
  for (let current: Scope | undefined = scope; current !== undefined; current = current.parent) {
    const found = findIn(current, table, column);
    if (found.length > 0) return found.length === 1 ? found[0] : undefined;
  }
  return undefined;
}

export function metaType(column: ColumnMeta): MyType {
  return {
    type: column.type,
    ...(column.length === undefined ? {} : { length: column.length }),
    ...(column.precision === undefined ? {} : { precision: column.precision }),
    ...(column.scale === undefined ? {} : { scale: column.scale }),
    ...(column.unsigned === undefined ? {} : { unsigned: column.unsigned }),
    ...(column.kind === undefined ? {} : { kind: column.kind }),
    ...(column.members === undefined ? {} : { members: column.members }),
    nullable: column.nullable ?? true,
  };
}

export function notSupported(what: string, dialect?: Dialect): never {
  const where = dialect === undefined ? '' : ` in the ${dialect} engine`;
  throw sqlError('NOT_SUPPORTED', `${what} is not supported${where}`);
}
