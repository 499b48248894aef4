/**
 * The catalog's records: databases, tables, views, leaves and accounts. Plain JSON data, persisted by
 * `catalog-store.ts` and kept in memory by `Catalog`.
 */
import type { SqlType } from '../values.js';

export type StorageKind = 'column' | 'row';

/** A column as the catalog keeps it: MySQL's view (for clients) and enough to build engine DDL. */
export interface ColumnDef {
  readonly name: string;
  readonly type: SqlType;
  /** The MySQL type as SHOW COLUMNS prints it: "int(11)", "varchar(100)", "decimal(10,2)". */
  readonly mysqlType: string;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly unsigned?: boolean;
  /** Binary string types (BINARY/VARBINARY/BLOB): compared byte by byte. */
  readonly binary?: boolean;
  readonly nullable: boolean;
  /** The DEFAULT clause as MySQL text (a literal, CURRENT_TIMESTAMP, or an expression), if any. */
  readonly defaultSql?: string;
  readonly autoIncrement?: boolean;
  readonly onUpdateCurrentTimestamp?: boolean;
  readonly comment?: string;
  /** ENUM/SET members. */
  readonly values?: readonly string[];
  /** A columnstore TIME column kept as DuckDB TIME (created before TIME became INTERVAL). */
  readonly legacyTime?: boolean;
}

/** A CHECK constraint (`aggregator/ddl-checks.ts` makes them). */
export interface CheckConstraint {
  readonly name: string;
  /** The expression as MySQL text, for SHOW CREATE TABLE. */
  readonly text: string;
  /** The columns it reads: they cannot be dropped or renamed while it stands. */
  readonly columns: readonly string[];
  /** The engine's constraint clause for the table's storage; absent when NOT ENFORCED. */
  readonly engineSql?: string;
  /**
   * The column it was written with (information_schema LEVEL 'Column'); absent when written
   * with the table.
   */
  readonly column?: string;
}

export type ForeignKeyAction = 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'NO ACTION' | 'SET DEFAULT';

/**
 * A foreign key, kept as metadata only: nothing checks it (`aggregator/ddl-foreign-keys.ts`,
 * docs/sql-types.md "Foreign keys"). The actions are absent when not written (RESTRICT).
 */
export interface ForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly refDatabase: string;
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onDelete?: ForeignKeyAction;
  readonly onUpdate?: ForeignKeyAction;
}

export interface KeyDef {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly using?: string;
  /**
   * Each column's prefix length (`KEY (title(20))`), null for a whole column; absent when no
   * column has one. Shown only (SHOW CREATE TABLE, SHOW INDEX, STATISTICS.SUB_PART): the
   * engines index whole values.
   */
  readonly prefixes?: readonly (number | null)[];
  /** Made for a foreign key (MariaDB's): a later key starting with its columns replaces it. */
  readonly forForeignKey?: true;
}

export interface TableDef {
  readonly database: string;
  readonly name: string;
  readonly storage: StorageKind;
  /** Reference tables are copied whole to every leaf. */
  readonly reference: boolean;
  readonly columns: readonly ColumnDef[];
  /** Empty when the table has no primary key. */
  readonly primaryKey: readonly string[];
  /** Unique keys other than the primary key, and plain indexes. */
  readonly keys: readonly KeyDef[];
  /** Columns hashed to choose a partition; empty = keyless (rows spread evenly). */
  readonly shardKey: readonly string[];
  readonly sortKey: readonly string[];
  /** CHECK constraints, in definition order. */
  readonly checks?: readonly CheckConstraint[];
  /** Foreign keys, in definition order; absent in catalogs written before they were kept. */
  readonly foreignKeys?: readonly ForeignKey[];
  /**
   * A columnstore table created before keys with text columns got fold indexes
   * (`folded-keys.ts`): its keys keep comparing bytes ('a' and 'A' are two keys).
   */
  readonly binaryKeys?: boolean;
  readonly comment?: string;
  /** Monotonic id: engine table names carry it so a dropped and re-created table never mixes. */
  readonly id: number;
  /**
   * A session's temporary table (`aggregator/temporary-tables.ts`): the name its session knows
   * it by. `name` is then a reserved, session-unique name the engines use; the catalog lists
   * such a table nowhere, and drops it when its session ends or at the next start.
   */
  readonly temporary?: string;
  readonly createdAtMs: number;
}

/**
 * A view: its SELECT kept as written (SHOW CREATE VIEW prints it back) and parsed again when a
 * query reads the view (`aggregator/view-expand.ts`).
 */
export interface ViewDef {
  readonly database: string;
  readonly name: string;
  /** The SELECT's source text. */
  readonly definition: string;
  /** The view's column list, when one was written. */
  readonly columns?: readonly string[];
  /** Where unqualified table names in `definition` live: the current database at CREATE. */
  readonly resolveDatabase: string;
  readonly algorithm: 'UNDEFINED' | 'MERGE' | 'TEMPTABLE';
  readonly definer: { readonly user: string; readonly host: string };
  readonly security: 'DEFINER' | 'INVOKER';
  readonly checkOption: 'NONE' | 'CASCADED' | 'LOCAL';
  readonly characterSetClient: string;
  readonly collationConnection: string;
  readonly createdAtMs: number;
}

export interface DatabaseDef {
  readonly name: string;
  readonly partitions: number;
  /** Leaf id holding each partition ordinal. */
  readonly placement: readonly string[];
  readonly createdAtMs: number;
}

export interface LeafDef {
  readonly id: string;
  readonly host: string;
  readonly port: number;
}

export interface GrantDef {
  /** '*' for all databases. */
  readonly database: string;
  readonly privileges: readonly string[];
  readonly withGrantOption: boolean;
}

export interface AccountDef {
  readonly user: string;
  readonly host: string;
  /** Hex of SHA1(SHA1(password)); empty without password. */
  readonly nativeHash: string;
  /** Hex of SHA256(SHA256(password)); empty without password. */
  readonly sha2Hash: string;
  readonly grants: readonly GrantDef[];
}

export interface CatalogData {
  readonly version: 1;
  readonly nextTableId: number;
  readonly databases: Readonly<Record<string, DatabaseDef>>;
  /** Keyed by "database.table". */
  readonly tables: Readonly<Record<string, TableDef>>;
  readonly leaves: readonly LeafDef[];
  readonly accounts: readonly AccountDef[];
  /** Keyed by "database.view"; absent in catalogs written before views existed. */
  readonly views?: Readonly<Record<string, ViewDef>>;
  /**
   * 'interval' once columnstore TIME columns are created as DuckDB INTERVAL (the whole MySQL
   * range); absent in older catalogs, whose TIME columns are then marked `legacyTime` on load.
   */
  readonly timeStorage?: 'interval';
  /**
   * 'folded' once columnstore keys with text columns get fold indexes (`folded-keys.ts`); absent
   * in older catalogs, whose columnstore tables are then marked `binaryKeys` on load.
   */
  readonly keyCompare?: 'folded';
  /** Next AUTO_INCREMENT value reserved on disk, per "database.table". */
  readonly autoIncrement: Readonly<Record<string, number>>;
}
