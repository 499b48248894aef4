/**
 * Expression nodes of the MySQL-dialect syntax tree. Plain readonly data: every node has a
 * `kind` discriminator and may carry `pos`, the offset in the source text of its first token.
 * Keywords and function names are canonical upper case; identifiers keep their spelling.
 */
import type { Query } from './ast-query.js';

export interface NodeBase {
  /** Offset of the node's first token in the source text (for error messages). */
  readonly pos?: number;
}

/**
 * `int` values are `number` within ±2^53 and `bigint` beyond. `decimal` values are the
 * literal's text ("1.50", as the data plane represents DECIMAL). `double` is a number.
 * `hex` holds the hex digits (from `0x1F` or `X'1F'`, upper case), `bit` the binary digits.
 * `date`/`time`/`timestamp` are `DATE '…'`, `TIME '…'`, `TIMESTAMP '…'` with the string.
 */
export type LiteralType =
  | 'int'
  | 'decimal'
  | 'double'
  | 'string'
  | 'hex'
  | 'bit'
  | 'null'
  | 'bool'
  | 'date'
  | 'time'
  | 'timestamp';

export interface LiteralExpr extends NodeBase {
  readonly kind: 'literal';
  readonly type: LiteralType;
  readonly value: number | bigint | string | null | boolean;
  /**
   * The source text of a numeric literal (absent for strings and keywords); for `hex`, present
   * only in the `0x1F` form, which MariaDB reads as a number in numeric context (X'1F' stays text).
   */
  readonly raw?: string;
  /** A charset introducer without its underscore, lower case: `_utf8mb4'x'` → "utf8mb4"; `N'x'` → "utf8". */
  readonly charset?: string;
  /** Written as a call the parser answers (`GET_FORMAT(DATE, 'ISO')`): a select item is named by its text. */
  readonly folded?: true;
}

/** A `?` placeholder; `index` counts from 0 in source order. */
export interface ParamExpr extends NodeBase {
  readonly kind: 'param';
  readonly index: number;
}

export interface ColumnRefExpr extends NodeBase {
  readonly kind: 'column';
  readonly database?: string;
  readonly table?: string;
  readonly column: string;
  /** Internal: the value as stored (a TIMESTAMP in UTC, not the session's zone), for copies. */
  readonly stored?: boolean;
}

/** `*` or `t.*` (or `db.t.*`). */
export interface StarExpr extends NodeBase {
  readonly kind: 'star';
  readonly database?: string;
  readonly table?: string;
}

/** `!x` and `NOT x` are both `NOT`; `BINARY x` is the MySQL cast-to-binary prefix operator. */
export type UnaryOp = '-' | '+' | '~' | 'NOT' | 'BINARY';

export interface UnaryExpr extends NodeBase {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
}

/**
 * Binary operators in canonical spelling: `!=` becomes `<>`, `&&` becomes `AND`, `||` becomes
 * `OR` (MySQL's default sql_mode), `MOD` becomes `%`.
 */
export type BinaryOp =
  | 'OR'
  | 'XOR'
  | 'AND'
  | '='
  | '<=>'
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | '|'
  | '&'
  | '<<'
  | '>>'
  | '+'
  | '-'
  | '*'
  | '/'
  | 'DIV'
  | '%'
  | '^';

export interface BinaryExpr extends NodeBase {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

export interface BetweenExpr extends NodeBase {
  readonly kind: 'between';
  readonly not: boolean;
  readonly expr: Expr;
  readonly low: Expr;
  readonly high: Expr;
}

/**
 * `x [NOT] IN (list)` or `x [NOT] IN (subquery)`; exactly one of `list`/`query`/`keys` is set.
 * `keys` is a list of integer literals kept as values (`inListItems` spells them as literals):
 * the thousands of keys a semi-join reduction finds at run time (aggregator/semi-keys.ts) are
 * no children, so the planner's walks over the query do not visit them one by one.
 */
export interface InExpr extends NodeBase {
  readonly kind: 'in';
  readonly not: boolean;
  readonly expr: Expr;
  readonly list?: readonly Expr[];
  readonly query?: Query;
  readonly keys?: readonly (number | bigint)[];
}

export interface LikeExpr extends NodeBase {
  readonly kind: 'like';
  readonly not: boolean;
  readonly expr: Expr;
  readonly pattern: Expr;
  readonly escape?: Expr;
}

/** `REGEXP` and `RLIKE`. */
export interface RegexpExpr extends NodeBase {
  readonly kind: 'regexp';
  readonly not: boolean;
  readonly expr: Expr;
  readonly pattern: Expr;
}

/** `x IS [NOT] NULL` (also `IS [NOT] UNKNOWN`). */
export interface IsNullExpr extends NodeBase {
  readonly kind: 'isNull';
  readonly not: boolean;
  readonly expr: Expr;
}

/** `x IS [NOT] TRUE|FALSE`. */
export interface IsBoolExpr extends NodeBase {
  readonly kind: 'isBool';
  readonly not: boolean;
  readonly expr: Expr;
  readonly value: boolean;
}

export interface CaseExpr extends NodeBase {
  readonly kind: 'case';
  /** The `CASE x WHEN …` operand; absent for the searched form. */
  readonly operand?: Expr;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly else?: Expr;
}

/** `CAST(x AS type)` and `CONVERT(x, type)`. */
export interface CastExpr extends NodeBase {
  readonly kind: 'cast';
  readonly expr: Expr;
  readonly type: DataType;
}

/** `CONVERT(x USING charset)`. */
export interface ConvertUsingExpr extends NodeBase {
  readonly kind: 'convertUsing';
  readonly expr: Expr;
  readonly charset: string;
}

export interface OrderItem {
  readonly expr: Expr;
  readonly desc: boolean;
  readonly nulls?: 'first' | 'last';
}

/**
 * A function call. `name` is upper case (qualified calls keep `database`). Special syntaxes
 * are normalized into arguments: `SUBSTRING(x FROM a FOR b)` → args [x, a, b],
 * `POSITION(a IN b)` → [a, b], `DATE_ADD(x, INTERVAL n u)` → [x, Interval].
 * `CURRENT_TIMESTAMP` without parentheses is a call with no arguments.
 */
export interface CallExpr extends NodeBase {
  readonly kind: 'call';
  readonly name: string;
  readonly database?: string;
  readonly args: readonly Expr[];
  readonly distinct?: boolean;
  /** `COUNT(*)`. */
  readonly star?: boolean;
  /** GROUP_CONCAT's ORDER BY and SEPARATOR. */
  readonly orderBy?: readonly OrderItem[];
  readonly separator?: string;
}

export type FrameBound =
  | { readonly kind: 'unboundedPreceding' }
  | { readonly kind: 'preceding'; readonly value: Expr }
  | { readonly kind: 'currentRow' }
  | { readonly kind: 'following'; readonly value: Expr }
  | { readonly kind: 'unboundedFollowing' };

export interface WindowFrame {
  readonly unit: 'rows' | 'range';
  readonly start: FrameBound;
  /** Absent when the frame is written without BETWEEN. */
  readonly end?: FrameBound;
}

/** `OVER (…)`; `OVER w` is `{ name: 'w', partitionBy: [], orderBy: [] }`. */
export interface WindowSpec {
  readonly name?: string;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  readonly frame?: WindowFrame;
}

/** A window function or an aggregate with OVER. */
export interface WindowCallExpr extends NodeBase {
  readonly kind: 'windowCall';
  readonly name: string;
  readonly args: readonly Expr[];
  readonly distinct?: boolean;
  readonly star?: boolean;
  readonly over: WindowSpec;
}

/** Units upper case: MICROSECOND … YEAR and compounds such as DAY_HOUR, YEAR_MONTH. */
export interface IntervalExpr extends NodeBase {
  readonly kind: 'interval';
  readonly value: Expr;
  readonly unit: string;
}

export interface ExtractExpr extends NodeBase {
  readonly kind: 'extract';
  readonly unit: string;
  readonly expr: Expr;
}

/** `TRIM([LEADING|TRAILING|BOTH] [remove] FROM expr)` and plain `TRIM(expr)`. */
export interface TrimExpr extends NodeBase {
  readonly kind: 'trim';
  readonly side?: 'both' | 'leading' | 'trailing';
  readonly remove?: Expr;
  readonly expr: Expr;
}

export interface ExistsExpr extends NodeBase {
  readonly kind: 'exists';
  readonly query: Query;
}

export interface SubqueryExpr extends NodeBase {
  readonly kind: 'subquery';
  readonly query: Query;
}

/** `x op ANY|SOME|ALL (subquery)`: appears only as the right operand of a comparison. */
export interface QuantifiedExpr extends NodeBase {
  readonly kind: 'quantified';
  readonly quantifier: 'ANY' | 'SOME' | 'ALL';
  readonly query: Query;
}

/** A row constructor `(a, b)` or `ROW(a, b)`. */
export interface RowExpr extends NodeBase {
  readonly kind: 'row';
  readonly items: readonly Expr[];
}

/**
 * `@name` (user variable, `system: false`) or `@@[scope.]name` / a bare system variable in
 * SET (`system: true`). System variable names are lower case; `scope` is absent when not written.
 */
export interface VariableExpr extends NodeBase {
  readonly kind: 'variable';
  readonly name: string;
  readonly system: boolean;
  readonly scope?: 'global' | 'session' | 'local' | 'persist' | 'persist_only';
}

/** `@x := value` inside an expression. */
export interface AssignExpr extends NodeBase {
  readonly kind: 'assign';
  readonly target: VariableExpr;
  readonly value: Expr;
}

export interface CollateExpr extends NodeBase {
  readonly kind: 'collate';
  readonly expr: Expr;
  readonly collation: string;
}

/** `col->'$.a'` (`unquote: false`) and `col->>'$.a'` (`unquote: true`). */
export interface JsonExtractExpr extends NodeBase {
  readonly kind: 'jsonExtract';
  readonly expr: Expr;
  readonly path: Expr;
  readonly unquote: boolean;
}

/** `x MEMBER OF (json)`. */
export interface MemberOfExpr extends NodeBase {
  readonly kind: 'memberOf';
  readonly value: Expr;
  readonly json: Expr;
}

/** `DEFAULT` in VALUES/SET, or `DEFAULT(col)`. */
export interface DefaultExpr extends NodeBase {
  readonly kind: 'default';
  readonly column?: ColumnRefExpr;
}

export type Expr =
  | LiteralExpr
  | ParamExpr
  | ColumnRefExpr
  | StarExpr
  | UnaryExpr
  | BinaryExpr
  | BetweenExpr
  | InExpr
  | LikeExpr
  | RegexpExpr
  | IsNullExpr
  | IsBoolExpr
  | CaseExpr
  | CastExpr
  | ConvertUsingExpr
  | CallExpr
  | WindowCallExpr
  | IntervalExpr
  | ExtractExpr
  | TrimExpr
  | ExistsExpr
  | SubqueryExpr
  | QuantifiedExpr
  | RowExpr
  | VariableExpr
  | AssignExpr
  | CollateExpr
  | JsonExtractExpr
  | MemberOfExpr
  | DefaultExpr;

/**
 * A column or CAST type. `name` is canonical upper case: INTEGER → INT, NUMERIC/DEC/FIXED →
 * DECIMAL, BOOLEAN → BOOL, REAL/DOUBLE PRECISION → DOUBLE, CHARACTER → CHAR. CAST-only names:
 * SIGNED, UNSIGNED (`SIGNED INTEGER` → SIGNED), BINARY, CHAR, DECIMAL, DATE, DATETIME, TIME,
 * DOUBLE, FLOAT, JSON, YEAR. `length` is CHAR/VARCHAR/BINARY length, integer display width, BIT
 * width or FLOAT(p); `precision`/`scale` are DECIMAL(p,s) and DOUBLE(p,s); `scale` alone is the
 * fractional-seconds precision of DATETIME/TIMESTAMP/TIME.
 */
export interface DataType {
  readonly name: string;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly unsigned?: boolean;
  readonly zerofill?: boolean;
  readonly charset?: string;
  readonly collation?: string;
  /** ENUM/SET members. */
  readonly values?: readonly string[];
}
