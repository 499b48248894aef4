/** Query nodes: SELECT, set operations, WITH, and the FROM clause's table references. */
import type {
  ColumnRefExpr,
  Expr,
  NodeBase,
  OrderItem,
  VariableExpr,
  WindowSpec,
} from './ast-expr.js';

/** A possibly qualified table name. */
export interface TableName {
  readonly database?: string;
  readonly name: string;
}

export interface SelectItem {
  readonly expr: Expr;
  readonly alias?: string;
  /** The item's source text, which names an unaliased result column as in MySQL. */
  readonly text?: string;
}

export interface Limit {
  readonly count: Expr;
  readonly offset?: Expr;
}

/** `SELECT … INTO OUTFILE 'f' | DUMPFILE 'f' | @a, @b`. */
export type SelectInto =
  | { readonly kind: 'outfile'; readonly file: string }
  | { readonly kind: 'dumpfile'; readonly file: string }
  | { readonly kind: 'variables'; readonly variables: readonly VariableExpr[] };

export interface NamedWindow {
  readonly name: string;
  readonly spec: WindowSpec;
}

/**
 * Select options recorded in source order, upper case: SQL_CALC_FOUND_ROWS, SQL_NO_CACHE,
 * SQL_CACHE, HIGH_PRIORITY, STRAIGHT_JOIN, SQL_SMALL_RESULT, SQL_BIG_RESULT, SQL_BUFFER_RESULT.
 */
export interface SelectStatement extends NodeBase {
  readonly kind: 'select';
  readonly distinct: boolean;
  /**
   * Set by the planner on a DISTINCT whose readers only test membership (a semi-join's keys,
   * `planner/semijoin.ts`): rows may repeat, so a distributed plan over few partitions keeps
   * each partition's DISTINCT and skips the merge's (`planner/distribute.ts`).
   */
  readonly membershipOnly?: true;
  readonly options?: readonly string[];
  readonly columns: readonly SelectItem[];
  /** The comma-separated FROM list; absent without FROM or with `FROM DUAL`. */
  readonly from?: readonly TableRef[];
  readonly where?: Expr;
  readonly groupBy: readonly Expr[];
  /** `GROUP BY a DESC, b`: which keys sort descending; absent when none does. */
  readonly groupByDesc?: readonly boolean[];
  readonly withRollup: boolean;
  readonly having?: Expr;
  readonly windows: readonly NamedWindow[];
  readonly orderBy: readonly OrderItem[];
  readonly limit?: Limit;
  readonly lock?: 'update' | 'share';
  readonly into?: SelectInto;
}

/**
 * `left UNION|INTERSECT|EXCEPT [ALL] right`, left-associative (INTERSECT binds tighter, as in
 * MySQL 8.0.31). `orderBy`/`limit` apply to the whole result.
 */
export interface SetOperationStatement extends NodeBase {
  readonly kind: 'setOperation';
  readonly op: 'union' | 'intersect' | 'except';
  readonly all: boolean;
  readonly left: Query;
  readonly right: Query;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: Limit;
  /**
   * Set on a chain of UNIONs without ORDER BY (aggregator/compat-union-order.ts): every part
   * ends in hidden items, its number and then one slot per `keys` entry, by which the result is
   * sorted as MariaDB answers it and which it does not show. Of the first `distinctParts`
   * parts only each row's first appearance is kept (the chain itself is UNION ALL).
   */
  readonly implicitOrder?: {
    readonly keys: readonly Pick<OrderItem, 'desc' | 'nulls'>[];
    readonly distinctParts: number;
  };
}

export interface CommonTableExpr {
  readonly name: string;
  readonly columns?: readonly string[];
  readonly query: Query;
}

export interface WithStatement extends NodeBase {
  readonly kind: 'with';
  readonly recursive: boolean;
  readonly ctes: readonly CommonTableExpr[];
  readonly query: Query;
}

export type Query = SelectStatement | SetOperationStatement | WithStatement;

/** `USE|FORCE|IGNORE {INDEX|KEY} [FOR JOIN|ORDER BY|GROUP BY] (names)`: accepted and recorded. */
export interface IndexHint {
  readonly type: 'use' | 'force' | 'ignore';
  readonly for?: 'join' | 'order by' | 'group by';
  readonly indexes: readonly string[];
}

export interface TableRefTable extends NodeBase {
  readonly kind: 'table';
  readonly database?: string;
  readonly name: string;
  readonly alias?: string;
  readonly indexHints?: readonly IndexHint[];
}

export interface TableRefDerived extends NodeBase {
  readonly kind: 'derived';
  readonly query: Query;
  readonly alias: string;
  readonly columnAliases?: readonly string[];
  readonly lateral?: boolean;
}

/**
 * A join. `type` is the join written: `JOIN`/`INNER JOIN` → inner, `CROSS JOIN` → cross,
 * `STRAIGHT_JOIN` → straight; NATURAL joins set `natural` with inner/left/right.
 * A parenthesized comma list `(a, b)` becomes cross joins.
 */
export interface TableRefJoin extends NodeBase {
  readonly kind: 'join';
  readonly type: 'inner' | 'left' | 'right' | 'cross' | 'straight';
  readonly natural?: boolean;
  readonly left: TableRef;
  readonly right: TableRef;
  readonly on?: Expr;
  readonly using?: readonly string[];
}

export type TableRef = TableRefTable | TableRefDerived | TableRefJoin;

/** `column = value` in UPDATE SET, INSERT … SET, ON DUPLICATE KEY UPDATE and LOAD DATA SET. */
export interface Assignment {
  readonly column: ColumnRefExpr;
  readonly value: Expr;
}
