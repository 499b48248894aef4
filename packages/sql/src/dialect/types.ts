/**
 * Types shared by the dialect translator: the options a caller passes, how tables and columns
 * are resolved, and the typed SQL fragments the translator builds.
 */
import type { Expr, LiteralExpr } from '../parser/ast-expr.js';
import type { ColumnMeta, SqlType } from '../values.js';

export type Dialect = 'duckdb' | 'sqlite';

/** A table as the engine knows it: its engine name and its columns with their MySQL types. */
export interface ResolvedTable {
  readonly engineName: string;
  readonly columns: readonly ColumnMeta[];
  /** The engine's reference to the table when it is not the quoted `engineName` (another attached catalog). */
  readonly engineSql?: string;
  /**
   * A table of the same query's partial results (`exo_partial`, `exo_groups`): its columns keep
   * the origin they were read with, and the table itself never shows in result metadata.
   */
  readonly transparent?: boolean;
}

/** Resolves the tables a query names; `undefined` means the table does not exist. */
export interface TypeResolver {
  resolveTable(database: string | undefined, name: string): ResolvedTable | undefined;
}

/** The MySQL type of a value, as the client will see it. */
export interface MyType {
  readonly type: SqlType;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly unsigned?: boolean;
  readonly nullable?: boolean;
  /** A column's ENUM/SET/BIT/YEAR type, which the engines keep as text or integers. */
  readonly kind?: ColumnMeta['kind'];
  /** ENUM members in declaration order: an ENUM column sorts by member position. */
  readonly members?: readonly string[];
}

export interface TranslateOptions {
  readonly dialect: Dialect;
  readonly resolve: TypeResolver;
  /**
   * The statement's start time as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in the session time zone, so
   * every partition computes NOW() and friends alike. Defaults to the wall clock.
   */
  readonly now?: string;
  /** The statement's UTC start time, for UTC_TIMESTAMP(); defaults to `now`. */
  readonly utcNow?: string;
  /** Minutes east of UTC of the session's time zone (TIMESTAMP columns, UNIX_TIMESTAMP); 0 when absent. */
  readonly zoneMinutes?: number;
  /** Resolves DATABASE(), USER(), @@variables and the like to a literal before translation. */
  readonly resolveSystemCall?: (name: string, args: readonly Expr[]) => LiteralExpr | undefined;
  /**
   * Called when the translation folds in `now`/`utcNow` or a value `resolveSystemCall` gave:
   * its SQL then holds values of this statement alone and is not reused by other executions.
   */
  readonly onVolatile?: () => void;
  /** The current database, for unqualified table names. */
  readonly database?: string;
  /** The types of the bound parameters (by index), where known: `?` is typed as its value. */
  readonly paramTypes?: readonly (MyType | undefined)[];
  /** sql_mode has ONLY_FULL_GROUP_BY: ungrouped columns must depend on the grouped ones. */
  readonly onlyFullGroupBy?: boolean;
}

/**
 * A translated expression: engine SQL text and the MySQL type. `bool` marks SQL that yields
 * an engine boolean (a comparison, AND/OR/NOT…): MySQL shows those as 0/1 integers, so they are
 * converted when used as values, and kept as is inside WHERE/ON/HAVING.
 */
export interface Typed {
  readonly sql: string;
  readonly type: MyType;
  readonly bool?: boolean;
  /** The literal value when the expression is a constant the translator can read. */
  readonly constant?: LiteralExpr;
  /**
   * A binary string (BINARY x, CAST(x AS BINARY)) or a string under a binary collation: it
   * compares byte by byte, and so does anything it is compared with.
   */
  readonly binary?: boolean;
  /** Set on a function argument written `INTERVAL value unit`: the unit, upper case. */
  readonly intervalUnit?: string;
  /**
   * A SQLite DECIMAL that holds more digits than its scale shows: a quotient, which MySQL
   * computes to 9 digits beyond the dividend's (1/3 + 1/3 is 0.6667), or a result of one.
   */
  readonly unrounded?: boolean;
  /**
   * The fraction digits of a DuckDB DECIMAL that holds more than its type's scale shows: an
   * exact quotient (decimal-division.ts), or a sum, difference or product of one.
   */
  readonly engineScale?: number;
}

export interface TranslatedQuery {
  readonly sql: string;
  readonly columns: ColumnMeta[];
}
