/**
 * The dialect translator: MySQL syntax trees to DuckDB or SQLite SQL that computes MySQL's
 * results, with the MySQL column types the client must see. See README.md in this folder.
 */
import type { Expr } from '../parser/ast-expr.js';
import type { Assignment, Query } from '../parser/ast-query.js';
import { SqlError } from '../errors.js';
import type { ColumnMeta } from '../values.js';
import type { Context, Scope, ScopeTable } from './context.js';
import {
  countedUpdateSql,
  deleteSql,
  updateSql,
  type UpdateChecks,
  type WriteTarget,
} from './dml.js';
import { mergeUpsertClauses, upsertClause, type UpsertKeys } from './upsert.js';
export type { UpsertKeys } from './upsert.js';
export type { UpdateChecks } from './dml.js';
import { translate, translateCondition } from './expr.js';
import { finalizeValue, translateQueryIn } from './query.js';
import { bindMarkers } from './params.js';
import type { MyType, ResolvedTable, TranslateOptions } from './types.js';

export type { Dialect, MyType, ResolvedTable, TranslateOptions, TypeResolver } from './types.js';
export { registerSqliteFunctions } from './sqlite-functions.js';
export { registerDuckFunctions } from './duckdb-functions.js';

export interface TranslatedSql {
  readonly sql: string;
  /** Parameter indexes (of the `?` in the MySQL text) in the order the engine SQL uses them. */
  readonly params: readonly number[];
}

export interface TranslatedSelect extends TranslatedSql {
  readonly columns: ColumnMeta[];
}

export interface ExpressionScope {
  /** Tables visible to the expression, under the names it uses for them. */
  readonly tables: readonly { readonly name: string; readonly columns: readonly ColumnMeta[] }[];
}

function rootContext(options: TranslateOptions, tables: readonly ScopeTable[] = []): Context {
  const scope: Scope = { tables };
  return { dialect: options.dialect, options, scope, ctes: new Map(), depth: 0 };
}

export function translateQuery(query: Query, options: TranslateOptions): TranslatedSelect {
  const context = rootContext(options);
  const result = translateQueryIn(context, query);
  return { ...bindMarkers(result.sql), columns: result.columns };
}

/**
 * One expression as a value (booleans as 0/1, DECIMAL at its scale) or, with `condition`,
 * as an engine condition for WHERE.
 */
export function translateExpr(
  expr: Expr,
  options: TranslateOptions & { scope?: ExpressionScope; condition?: boolean },
): TranslatedSql & { type: MyType } {
  const context = rootContext(options, options.scope?.tables ?? []);
  if (options.condition === true) {
    const sql = translateCondition(context, expr);
    return { ...bindMarkers(sql), type: { type: 'int', length: 1 } };
  }
  const value = finalizeValue(context, translate(context, expr));
  return { ...bindMarkers(value.sql), type: value.type };
}

/** The MySQL type of an expression's result. */
export function inferType(
  expr: Expr,
  options: TranslateOptions & { scope?: ExpressionScope },
): MyType {
  return translateExpr(expr, options).type;
}

/** Whether `expr` (or a query) can run in `dialect`; false means the planner must run it elsewhere. */
export function canTranslate(
  node: Expr | Query,
  options: TranslateOptions & { scope?: ExpressionScope },
): boolean {
  try {
    if (node.kind === 'select' || node.kind === 'setOperation' || node.kind === 'with')
      translateQuery(node, options);
    else translateExpr(node, options);
    return true;
  } catch (error) {
    if (error instanceof SqlError && error.errno === 1235) return false;
    throw error;
  }
}

export interface WriteOptions extends TranslateOptions {
  /** The table as statements name it (alias or table name). */
  readonly name: string;
  readonly table: ResolvedTable;
}

function writeContext(
  options: WriteOptions,
  extra: readonly ScopeTable[] = [],
): { context: Context; target: WriteTarget } {
  const target = { name: options.name, table: options.table };
  return {
    context: rootContext(options, [
      { name: options.name, columns: options.table.columns },
      ...extra,
    ]),
    target,
  };
}

export function translateUpdate(
  assignments: readonly Assignment[],
  where: Expr | undefined,
  options: WriteOptions,
): TranslatedSql {
  const { context, target } = writeContext(options);
  return bindMarkers(updateSql(context, target, assignments, where));
}

/**
 * UPDATE as two statements for one partition: the count of rows matched, then the UPDATE of
 * the rows whose values change (its engine count is MySQL's "Changed").
 */
export function translateCountedUpdate(
  assignments: readonly Assignment[],
  where: Expr | undefined,
  options: WriteOptions & {
    readonly stamped?: readonly Assignment[];
    readonly checks?: UpdateChecks;
    /** Reported by the count of matched rows: the largest value over them, last column. */
    readonly reported?: Expr;
  },
): { readonly matched: TranslatedSql; readonly update: TranslatedSql } {
  const { context, target } = writeContext(options);
  const { matched, update } = countedUpdateSql(
    context,
    target,
    assignments,
    where,
    options.stamped,
    options.checks,
    options.reported,
  );
  return { matched: bindMarkers(matched), update: bindMarkers(update) };
}

export function translateDelete(where: Expr | undefined, options: WriteOptions): TranslatedSql {
  const { context, target } = writeContext(options);
  return bindMarkers(deleteSql(context, target, where));
}

/**
 * The `ON CONFLICT (keys) DO UPDATE SET …` clause to append to the caller's INSERT for
 * `ON DUPLICATE KEY UPDATE`; `VALUES(col)` refers to the proposed row (`excluded`).
 * The caller's INSERT must name the table without an alias. With `merge`, the clauses to
 * append to the caller's `MERGE INTO <table> USING (<proposed row>) AS excluded` instead.
 */
export function translateUpsert(
  assignments: readonly Assignment[],
  keyColumns: readonly string[],
  options: WriteOptions & {
    readonly stamped?: readonly Assignment[];
    /** For a table with a fold index: the clauses of a MERGE meeting the row on these keys. */
    readonly merge?: UpsertKeys;
  },
): TranslatedSql {
  const hidden = new Set(options.table.columns.map((c) => c.name.toLowerCase()));
  const excluded: ScopeTable = { name: 'excluded', columns: options.table.columns, hidden };
  const named = { ...options, name: options.table.engineName };
  const { context, target } = writeContext(named, [excluded]);
  const { merge, stamped } = options;
  return bindMarkers(
    merge === undefined
      ? upsertClause(context, target, keyColumns, assignments, stamped)
      : mergeUpsertClauses(context, target, merge, assignments, stamped),
  );
}
