/** Data-changing statements: INSERT/REPLACE, UPDATE, DELETE, LOAD DATA. */
import type { Expr, NodeBase, OrderItem, VariableExpr, ColumnRefExpr } from './ast-expr.js';
import type { Assignment, Limit, Query, SelectItem, TableName, TableRef } from './ast-query.js';
import type { SqlValue } from '../values.js';

export type InsertSource =
  | { readonly kind: 'values'; readonly rows: readonly (readonly Expr[])[] }
  | { readonly kind: 'query'; readonly query: Query }
  | { readonly kind: 'set'; readonly assignments: readonly Assignment[] }
  /**
   * VALUES rows whose items are all plain literals, read straight to their values by
   * `values-scan.ts` (no expression nodes); `undefined` stands for DEFAULT.
   */
  | { readonly kind: 'rows'; readonly rows: readonly (readonly (SqlValue | undefined)[])[] };

/** INSERT, and REPLACE with `replace: true`. */
export interface InsertStatement extends NodeBase {
  readonly kind: 'insert';
  readonly replace: boolean;
  readonly ignore: boolean;
  readonly priority?: 'LOW_PRIORITY' | 'DELAYED' | 'HIGH_PRIORITY';
  readonly table: TableName;
  readonly columns?: readonly string[];
  readonly source: InsertSource;
  /** `INSERT … VALUES … AS alias [(cols)]` (MySQL 8.0.19 row alias). */
  readonly rowAlias?: string;
  /** The alias's column names, `(cols)` above, when given. */
  readonly rowAliasColumns?: readonly string[];
  readonly onDuplicateKeyUpdate?: readonly Assignment[];
  /** `… RETURNING items` (MariaDB 10.5): a result set of the rows written. */
  readonly returning?: readonly SelectItem[];
}

/** Single-table and multi-table UPDATE; `tables` is the table reference list. */
export interface UpdateStatement extends NodeBase {
  readonly kind: 'update';
  readonly ignore: boolean;
  readonly lowPriority?: boolean;
  readonly tables: readonly TableRef[];
  readonly set: readonly Assignment[];
  readonly where?: Expr;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: Limit;
}

/**
 * `DELETE FROM t …` has `from: [t]` and no `targets`. The multi-table forms
 * `DELETE t1, t2 FROM refs …` and `DELETE FROM t1, t2 USING refs …` set `targets` to the
 * tables rows are deleted from (names or aliases) and `from` to the references.
 */
export interface DeleteStatement extends NodeBase {
  readonly kind: 'delete';
  readonly ignore: boolean;
  readonly lowPriority?: boolean;
  readonly quick?: boolean;
  readonly targets?: readonly TableName[];
  /** True for the `DELETE FROM targets USING refs` spelling. */
  readonly using?: boolean;
  readonly from: readonly TableRef[];
  readonly where?: Expr;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: Limit;
  /** `… RETURNING items` (MariaDB, single-table DELETE): a result set of the rows deleted. */
  readonly returning?: readonly SelectItem[];
}

export interface LoadDataStatement extends NodeBase {
  readonly kind: 'loadData';
  readonly local: boolean;
  readonly file: string;
  readonly duplicates?: 'replace' | 'ignore';
  readonly table: TableName;
  readonly charset?: string;
  readonly fields?: {
    readonly terminatedBy?: string;
    readonly enclosedBy?: string;
    readonly optionallyEnclosed?: boolean;
    readonly escapedBy?: string;
  };
  readonly lines?: { readonly startingBy?: string; readonly terminatedBy?: string };
  readonly ignoreLines?: number;
  /** Target columns or `@var` user variables, in file order. */
  readonly columns?: readonly (ColumnRefExpr | VariableExpr)[];
  readonly set: readonly Assignment[];
}
