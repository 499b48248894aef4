/**
 * Session, transaction, introspection, account and cluster statements (including SingleStore's
 * ADD LEAF / REMOVE LEAF / REBALANCE PARTITIONS).
 */
import type { Expr, NodeBase, VariableExpr } from './ast-expr.js';
import type { Limit, TableName } from './ast-query.js';
import type { Statement } from './ast.js';

export interface UseStatement extends NodeBase {
  readonly kind: 'use';
  readonly database: string;
}

/**
 * `SET a = 1, @b := 2, GLOBAL c = 3`. Every target is a variable: bare names are system
 * variables (`system: true`), and a scope keyword carries over to the following bare names as
 * MySQL does. A bare word value (`SET autocommit = ON`) is a column reference named after it.
 */
export interface SetStatement extends NodeBase {
  readonly kind: 'set';
  readonly assignments: readonly { readonly target: VariableExpr; readonly value: Expr }[];
}

/** `SET NAMES cs [COLLATE c]` / `SET NAMES DEFAULT` (charset "DEFAULT"). */
export interface SetNamesStatement extends NodeBase {
  readonly kind: 'setNames';
  readonly charset: string;
  readonly collation?: string;
}

/** `SET CHARACTER SET cs` / `SET CHARSET cs`. */
export interface SetCharsetStatement extends NodeBase {
  readonly kind: 'setCharset';
  readonly charset: string;
}

export type IsolationLevel =
  'READ UNCOMMITTED' | 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface SetTransactionStatement extends NodeBase {
  readonly kind: 'setTransaction';
  readonly scope?: 'global' | 'session';
  readonly isolationLevel?: IsolationLevel;
  readonly accessMode?: 'READ ONLY' | 'READ WRITE';
}

export interface SetPasswordStatement extends NodeBase {
  readonly kind: 'setPassword';
  readonly user?: UserSpec;
  readonly password: string;
}

/** BEGIN [WORK] and START TRANSACTION [READ ONLY|READ WRITE|WITH CONSISTENT SNAPSHOT]. */
export interface BeginStatement extends NodeBase {
  readonly kind: 'begin';
  readonly accessMode?: 'READ ONLY' | 'READ WRITE';
  readonly consistentSnapshot?: boolean;
}

export interface CommitStatement extends NodeBase {
  readonly kind: 'commit';
  readonly chain?: boolean;
  readonly release?: boolean;
}

/** ROLLBACK [WORK] [TO [SAVEPOINT] name]. */
export interface RollbackStatement extends NodeBase {
  readonly kind: 'rollback';
  readonly savepoint?: string;
  readonly chain?: boolean;
  readonly release?: boolean;
}

export interface SavepointStatement extends NodeBase {
  readonly kind: 'savepoint';
  readonly name: string;
}

export interface ReleaseSavepointStatement extends NodeBase {
  readonly kind: 'releaseSavepoint';
  readonly name: string;
}

export type ShowWhat =
  | 'databases'
  | 'tables'
  | 'columns'
  | 'createTable'
  | 'createDatabase'
  | 'createView'
  | 'createUser'
  | 'index'
  | 'partitions'
  | 'processlist'
  | 'variables'
  | 'status'
  | 'warnings'
  | 'errors'
  | 'collation'
  | 'charset'
  | 'engines'
  | 'grants'
  | 'leaves'
  | 'aggregators'
  | 'tableStatus'
  | 'plugins'
  | 'masterStatus'
  | 'slaveStatus'
  | 'binaryLogs'
  | 'triggers'
  | 'procedureStatus'
  | 'functionStatus'
  | 'events'
  | 'pipelines'
  | 'privileges'
  | 'openTables';

/**
 * One node for every SHOW. `table` is the table of COLUMNS/INDEX/CREATE TABLE/CREATE VIEW;
 * `database` is FROM/IN/ON db, or the name in SHOW CREATE DATABASE; `count` is
 * `SHOW COUNT(*) WARNINGS|ERRORS`.
 */
export interface ShowStatement extends NodeBase {
  readonly kind: 'show';
  readonly what: ShowWhat;
  readonly full?: boolean;
  readonly scope?: 'global' | 'session';
  readonly like?: string;
  readonly where?: Expr;
  readonly table?: TableName;
  readonly database?: string;
  readonly user?: UserSpec;
  readonly limit?: Limit;
  readonly count?: boolean;
  readonly ifNotExists?: boolean;
}

/** DESCRIBE/DESC/EXPLAIN t [column-or-pattern]. */
export interface DescribeStatement extends NodeBase {
  readonly kind: 'describe';
  readonly table: TableName;
  readonly column?: string;
}

export interface ExplainStatement extends NodeBase {
  readonly kind: 'explain';
  readonly statement: Statement;
  readonly format?: string;
  readonly analyze?: boolean;
  readonly extended?: boolean;
}

export interface KillStatement extends NodeBase {
  readonly kind: 'kill';
  readonly target: 'query' | 'connection';
  readonly id: Expr;
}

/**
 * An account: `'u'@'h'`, `u@h`; `host` is '%' when not written. `CURRENT_USER` is
 * `{ user: '', host: '', current: true }`.
 */
export interface UserSpec {
  readonly user: string;
  readonly host: string;
  readonly current?: boolean;
}

export interface UserAuth {
  readonly user: UserSpec;
  readonly password?: string;
  readonly plugin?: string;
}

export interface CreateUserStatement extends NodeBase {
  readonly kind: 'createUser';
  readonly ifNotExists: boolean;
  readonly users: readonly UserAuth[];
}

export interface DropUserStatement extends NodeBase {
  readonly kind: 'dropUser';
  readonly ifExists: boolean;
  readonly users: readonly UserSpec[];
}

export interface AlterUserStatement extends NodeBase {
  readonly kind: 'alterUser';
  readonly ifExists: boolean;
  readonly users: readonly UserAuth[];
}

/** A privilege, upper case ("SELECT", "ALL PRIVILEGES" for ALL, "GRANT OPTION"). */
export interface Privilege {
  readonly name: string;
  readonly columns?: readonly string[];
}

/** `*.*` → { database: '*', table: '*' }; `db.*`; `db.t`; `t` (current database: no `database`). */
export interface GrantTarget {
  readonly database?: string;
  readonly table: string;
}

export interface GrantStatement extends NodeBase {
  readonly kind: 'grant';
  readonly privileges: readonly Privilege[];
  readonly on: GrantTarget;
  readonly to: readonly UserAuth[];
  readonly withGrantOption: boolean;
}

export interface RevokeStatement extends NodeBase {
  readonly kind: 'revoke';
  readonly privileges: readonly Privilege[];
  readonly on: GrantTarget;
  readonly from: readonly UserSpec[];
}

/** SingleStore: `ADD LEAF user[:'password']@'host'[:port]`. */
export interface AddLeafStatement extends NodeBase {
  readonly kind: 'addLeaf';
  readonly user: string;
  readonly password?: string;
  readonly host: string;
  readonly port?: number;
}

/** SingleStore: `REMOVE LEAF 'host'[:port] [FORCE]`. */
export interface RemoveLeafStatement extends NodeBase {
  readonly kind: 'removeLeaf';
  readonly host: string;
  readonly port?: number;
  readonly force?: boolean;
}

export interface RebalancePartitionsStatement extends NodeBase {
  readonly kind: 'rebalancePartitions';
  /** Absent: every database. */
  readonly database?: string;
}

/** `FLUSH PRIVILEGES|TABLES [t, …] [WITH READ LOCK]|LOGS|STATUS…`: options upper case. */
export interface FlushStatement extends NodeBase {
  readonly kind: 'flush';
  readonly options: readonly string[];
  readonly tables?: readonly TableName[];
}

/** PREPARE name FROM 'text' | @variable: a prepared statement of the SQL level. */
export interface PrepareStatement extends NodeBase {
  readonly kind: 'prepare';
  readonly name: string;
  /** A string literal or a user variable holding the text. */
  readonly source: Expr;
}

/** EXECUTE name [USING value, …] (MariaDB takes any constant expression, not only @variables). */
export interface ExecuteStatement extends NodeBase {
  readonly kind: 'execute';
  readonly name: string;
  readonly using: readonly Expr[];
}

/** DEALLOCATE PREPARE name, DROP PREPARE name. */
export interface DeallocatePrepareStatement extends NodeBase {
  readonly kind: 'deallocatePrepare';
  readonly name: string;
}

export interface DoStatement extends NodeBase {
  readonly kind: 'do';
  readonly exprs: readonly Expr[];
}

export interface LockTablesStatement extends NodeBase {
  readonly kind: 'lockTables';
  readonly tables: readonly {
    readonly table: TableName;
    readonly alias?: string;
    readonly lock: 'READ' | 'READ LOCAL' | 'WRITE' | 'LOW_PRIORITY WRITE';
  }[];
}

export interface UnlockTablesStatement extends NodeBase {
  readonly kind: 'unlockTables';
}

/** ANALYZE / OPTIMIZE / CHECK / REPAIR TABLE: accepted and passed through. */
export interface TableMaintenanceStatement extends NodeBase {
  readonly kind: 'analyzeTable' | 'optimizeTable' | 'checkTable' | 'repairTable';
  readonly tables: readonly TableName[];
}
