/** Schema statements: databases, tables (with SingleStore's shard and sort keys), indexes. */
import type { DataType, Expr, NodeBase } from './ast-expr.js';
import type { Query, TableName } from './ast-query.js';
import type { UserSpec } from './ast-admin.js';

export interface CreateDatabaseStatement extends NodeBase {
  readonly kind: 'createDatabase';
  readonly name: string;
  readonly ifNotExists: boolean;
  /** SingleStore's `PARTITIONS n`. */
  readonly partitions?: number;
  readonly charset?: string;
  readonly collation?: string;
}

export interface DropDatabaseStatement extends NodeBase {
  readonly kind: 'dropDatabase';
  readonly name: string;
  readonly ifExists: boolean;
}

export interface ColumnDef {
  readonly name: string;
  readonly type: DataType;
  readonly notNull?: boolean;
  /** An explicit `NULL`. */
  readonly null?: boolean;
  readonly default?: Expr;
  readonly onUpdate?: Expr;
  readonly autoIncrement?: boolean;
  /** Column-level `PRIMARY KEY` (or a bare `KEY`, which MySQL reads the same way). */
  readonly primaryKey?: boolean;
  readonly unique?: boolean;
  readonly comment?: string;
  /** `[GENERATED ALWAYS] AS (expr) [VIRTUAL|STORED|PERSISTED]`. */
  readonly generated?: { readonly expr: Expr; readonly stored: boolean };
  readonly check?: CheckDef;
  /** A column-level `REFERENCES t (c)`: MariaDB 10.5+ makes it a foreign key of the column. */
  readonly references?: ForeignKeyReference;
}

export interface IndexColumn {
  readonly name: string;
  /** Prefix length `col(10)`. */
  readonly length?: number;
  readonly desc?: boolean;
}

export interface IndexDef {
  readonly name?: string;
  readonly columns: readonly IndexColumn[];
  /** `USING HASH|BTREE|CLUSTERED COLUMNSTORE`, upper case. */
  readonly using?: string;
  readonly fulltext?: boolean;
  readonly comment?: string;
}

export type ReferenceAction = 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'NO ACTION' | 'SET DEFAULT';

/** What a foreign key refers to: `REFERENCES t (cols) [ON DELETE …] [ON UPDATE …]`. */
export type ForeignKeyReference = Pick<
  ForeignKeyDef,
  'refTable' | 'refColumns' | 'onDelete' | 'onUpdate'
>;

export interface ForeignKeyDef {
  readonly name?: string;
  readonly columns: readonly string[];
  readonly refTable: TableName;
  readonly refColumns: readonly string[];
  readonly onDelete?: ReferenceAction;
  readonly onUpdate?: ReferenceAction;
}

export interface CheckDef {
  readonly name?: string;
  readonly expr: Expr;
  /** `NOT ENFORCED`: kept in the table's definition, never checked. */
  readonly enforced?: false;
}

/**
 * `CREATE [ROWSTORE|COLUMNSTORE] [REFERENCE] [TEMPORARY] TABLE`. Column-level PRIMARY KEY /
 * UNIQUE stay on the column (`ColumnDef.primaryKey`/`unique`); table-level keys are here.
 * `shardKey: []` is `SHARD KEY ()` (keyless); absent means not written.
 * `options` keys are upper case and canonical (ENGINE, CHARSET for [DEFAULT] CHARSET/CHARACTER
 * SET, COLLATE, AUTO_INCREMENT, COMMENT, ROW_FORMAT, …); values are the text written.
 */
export interface CreateTableStatement extends NodeBase {
  readonly kind: 'createTable';
  readonly database?: string;
  readonly name: string;
  readonly ifNotExists: boolean;
  readonly rowstore: boolean;
  readonly columnstore?: boolean;
  readonly reference: boolean;
  readonly temporary?: boolean;
  readonly columns: readonly ColumnDef[];
  readonly primaryKey?: IndexDef;
  readonly uniqueKeys: readonly IndexDef[];
  readonly indexes: readonly IndexDef[];
  readonly shardKey?: readonly string[];
  readonly sortKey?: readonly IndexColumn[];
  readonly foreignKeys?: readonly ForeignKeyDef[];
  readonly checks?: readonly CheckDef[];
  readonly options: Readonly<Record<string, string>>;
  readonly like?: TableName;
  readonly asSelect?: Query;
}

export interface DropTableStatement extends NodeBase {
  readonly kind: 'dropTable';
  readonly temporary: boolean;
  readonly ifExists: boolean;
  readonly tables: readonly TableName[];
}

export interface TruncateTableStatement extends NodeBase {
  readonly kind: 'truncateTable';
  readonly table: TableName;
}

export type ColumnPosition = { readonly first: true } | { readonly after: string };

export type AlterAction =
  | {
      readonly kind: 'addColumn';
      readonly columns: readonly ColumnDef[];
      readonly position?: ColumnPosition;
    }
  | { readonly kind: 'dropColumn'; readonly name: string }
  | {
      readonly kind: 'modifyColumn';
      readonly column: ColumnDef;
      readonly position?: ColumnPosition;
    }
  | {
      readonly kind: 'changeColumn';
      readonly oldName: string;
      readonly column: ColumnDef;
      readonly position?: ColumnPosition;
    }
  | { readonly kind: 'renameTable'; readonly to: TableName }
  | { readonly kind: 'renameColumn'; readonly from: string; readonly to: string }
  | { readonly kind: 'renameIndex'; readonly from: string; readonly to: string }
  | {
      readonly kind: 'addIndex';
      readonly type: 'primary' | 'unique' | 'index' | 'fulltext' | 'shard' | 'sort';
      readonly index: IndexDef;
    }
  | { readonly kind: 'addForeignKey'; readonly foreignKey: ForeignKeyDef }
  | { readonly kind: 'addCheck'; readonly check: CheckDef }
  | { readonly kind: 'dropIndex'; readonly name: string }
  | { readonly kind: 'dropPrimaryKey' }
  | { readonly kind: 'dropForeignKey'; readonly name: string }
  /** `DROP CHECK name`, or `DROP CONSTRAINT name` (`any`: a key of that name too). */
  | { readonly kind: 'dropCheck'; readonly name: string; readonly any?: boolean }
  | { readonly kind: 'setDefault'; readonly column: string; readonly value: Expr }
  | { readonly kind: 'dropDefault'; readonly column: string }
  /** A table option (`ENGINE = x`, `AUTO_INCREMENT = n`, `[DEFAULT] CHARSET = x`, `COMMENT '…'`). */
  | { readonly kind: 'option'; readonly name: string; readonly value: string }
  | { readonly kind: 'convertCharset'; readonly charset: string; readonly collation?: string };

export interface AlterTableStatement extends NodeBase {
  readonly kind: 'alterTable';
  readonly table: TableName;
  readonly actions: readonly AlterAction[];
}

export interface CreateIndexStatement extends NodeBase {
  readonly kind: 'createIndex';
  readonly name: string;
  readonly table: TableName;
  readonly unique: boolean;
  readonly fulltext?: boolean;
  readonly columns: readonly IndexColumn[];
  readonly using?: string;
}

export interface DropIndexStatement extends NodeBase {
  readonly kind: 'dropIndex';
  readonly name: string;
  readonly table: TableName;
}

export interface RenameTableStatement extends NodeBase {
  readonly kind: 'renameTable';
  readonly renames: readonly { readonly from: TableName; readonly to: TableName }[];
}

export type ViewAlgorithm = 'UNDEFINED' | 'MERGE' | 'TEMPTABLE';

/**
 * `CREATE [OR REPLACE] [ALGORITHM = x] [DEFINER = user] [SQL SECURITY {DEFINER|INVOKER}] VIEW
 * [IF NOT EXISTS] name [(cols)] AS query [WITH [CASCADED|LOCAL] CHECK OPTION]`, and ALTER VIEW
 * of the same shape (`alter: true`; the view must exist).
 */
export interface CreateViewStatement extends NodeBase {
  readonly kind: 'createView';
  readonly orReplace: boolean;
  readonly alter?: boolean;
  /** MariaDB's `CREATE VIEW IF NOT EXISTS`. */
  readonly ifNotExists?: boolean;
  readonly algorithm?: ViewAlgorithm;
  readonly definer?: UserSpec;
  readonly security?: 'DEFINER' | 'INVOKER';
  readonly view: TableName;
  readonly columns?: readonly string[];
  readonly query: Query;
  /** `WITH [CASCADED|LOCAL] CHECK OPTION`; CASCADED when neither word is written. */
  readonly checkOption?: 'CASCADED' | 'LOCAL';
  /** The query's source text as written, kept for SHOW CREATE VIEW. */
  readonly text?: string;
}

export interface DropViewStatement extends NodeBase {
  readonly kind: 'dropView';
  readonly ifExists: boolean;
  readonly views: readonly TableName[];
}
