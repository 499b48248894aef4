/**
 * The aggregator's view of a leaf. A leaf holds partitions; each partition keeps its
 * columnstore tables in DuckDB and its rowstore tables in SQLite. The aggregator sends
 * engine-dialect SQL (already translated from MySQL) and bulk rows; results come back in
 * the compact binary row format (`leaf/rows-codec.ts`), never as MySQL text rows.
 *
 * `LeafClient` (TCP) implements this interface; so does the in-process `Leaf` itself, which
 * lets tests run a leaf without a socket.
 */
import type { ColumnMeta, SqlValue } from '../values.js';

export type Engine = 'row' | 'column';

/** A partition is named by its database and ordinal ("shop", 3); reference tables live in ordinal -1. */
export interface PartitionRef {
  readonly database: string;
  readonly ordinal: number;
}

export const REFERENCE_ORDINAL = -1;

/** A transaction id, unique per aggregator ("<aggregatorId>:<counter>"). */
export type TxnId = string;

export interface ExecRequest {
  readonly partition: PartitionRef;
  readonly engine: Engine;
  /** SQL in the engine's dialect, with `?` placeholders bound from `params`. */
  readonly sql: string;
  readonly params?: readonly SqlValue[];
  /** Run inside this transaction (opened on first use on this partition and engine). */
  readonly txn?: TxnId;
  /** Result column types to coerce to (same length as the result), when the aggregator knows them. */
  readonly columns?: readonly ColumnMeta[];
  /**
   * SELECT … FOR UPDATE / FOR SHARE in a transaction: the partition's write lock is taken before
   * the read and held to the transaction's end, as a write takes it (`storage/write-lock.ts`).
   */
  readonly lock?: boolean;
  /** How long a lock wait may last (the session's innodb_lock_wait_timeout); else the leaf's. */
  readonly lockWaitMs?: number;
}

export interface ExecResult {
  readonly columns: readonly ColumnMeta[];
  readonly rows: readonly (readonly SqlValue[])[];
  readonly affectedRows: number;
  /** Engine changes count (SQLite `changes`, DuckDB rows changed). */
  readonly lastInsertRowid?: number | bigint;
}

export type ConflictMode = 'error' | 'ignore' | 'replace';

export interface InsertRequest {
  readonly partition: PartitionRef;
  readonly engine: Engine;
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly SqlValue[])[];
  readonly onConflict: ConflictMode;
  readonly txn?: TxnId;
  /** How long a lock wait may last (the session's innodb_lock_wait_timeout); else the leaf's. */
  readonly lockWaitMs?: number;
}

/**
 * A bulk load chunk (LOAD DATA fast path): complete lines of delimited text for one partition,
 * already routed by the aggregator. The leaf keeps the bytes as a file in the partition's folder
 * (the durable write set once prepared) and inserts the lines whose fields pass `accept`,
 * casting each with `values`; both are engine SQL over the raw fields `c0`…`c<fieldCount-1>`
 * (VARCHAR, NULL for `\N`). Lines failing `accept` come back as raw fields for the aggregator's
 * exact (slow) path.
 */
export interface LoadRequest {
  readonly partition: PartitionRef;
  readonly engine: Engine;
  readonly txn: TxnId;
  readonly table: string;
  /** Target columns, one per entry of `values`. */
  readonly columns: readonly string[];
  readonly values: readonly string[];
  readonly accept: string;
  readonly fieldCount: number;
  /** One ASCII byte separating fields; lines end with `\n`, no quotes, no escapes but `\N`. */
  readonly delimiter: string;
  /** How many lines `data` holds. */
  readonly lines: number;
  /**
   * Present when every line has its columns' canonical shape (aggregator/load-shapes.ts): the
   * DuckDB type to read each field as, which gives exactly the values `values` would, all
   * accepted, so the chunk skips `accept`.
   */
  readonly typed: readonly string[] | undefined;
  /** The lines, whole or in runs (the aggregator's runs of lines, joined in order). */
  readonly data: Uint8Array | readonly Uint8Array[];
}

export interface LoadResult {
  readonly affectedRows: number;
  /** The raw fields of the lines that failed `accept`, in no particular order. */
  readonly rejected: readonly (readonly (string | null)[])[];
}

/**
 * A broadcast table: the rows of a small table (already filtered and narrowed by the
 * aggregator) copied to a leaf for one statement, so that the statement's partition queries
 * join it locally as they join reference tables. It lives in the leaf's in-memory catalog
 * `BROADCAST_CATALOG` (an ATTACHed DuckDB database, visible to every connection of the leaf's
 * DuckDB, unlike TEMP tables, which belong to one connection) until dropped, or until the
 * connection that created it closes.
 */
export interface BroadcastRequest {
  /** Unique per statement; `BROADCAST_NAME_PATTERN`. */
  readonly name: string;
  /** Column names with their DuckDB types. */
  readonly columns: readonly { readonly name: string; readonly engineType: string }[];
  readonly rows: readonly (readonly SqlValue[])[];
  /**
   * The rows as Parquet files written by `exportBroadcastRows` (columns in `columns` order),
   * loaded by DuckDB without a value passing through JavaScript; `rows` is then empty.
   */
  readonly parquet?: readonly Uint8Array[];
}

/**
 * The rows of a columnstore query on one partition as a Parquet file (DuckDB `COPY … TO`),
 * for a broadcast copy: the bytes travel to the other leaves as they are.
 */
export interface ExportRowsRequest {
  readonly partition: PartitionRef;
  /** A DuckDB SELECT without parameters, over the partition's tables. */
  readonly sql: string;
}

export const BROADCAST_CATALOG = 'exo_broadcast';
export const BROADCAST_NAME_PATTERN = /^exo_bc_[0-9a-z_]{1,80}$/;

/**
 * A savepoint of a transaction, numbered by the aggregator. `keep` lists the savepoints the
 * aggregator still holds (older marks not in it are dropped).
 */
export interface SavepointRequest {
  readonly txn: TxnId;
  readonly savepoint: number;
  readonly keep: readonly number[];
}

/**
 * A random token rewritten by every leaf process once it has opened (recovery done). `info`
 * reports it with the data folder: a reader that finds the same token in that folder shares
 * this leaf's files (same host), and a stale copy of the folder elsewhere never matches.
 */
export const LEAF_TOKEN_FILE = 'leaf.token';

export interface LeafInfo {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly cores: number;
  /** The leaf's data folder and the token in its `leaf.token` file (see `LEAF_TOKEN_FILE`). */
  readonly dataDir?: string;
  readonly token?: string;
  readonly partitions: readonly PartitionRef[];
}

/** One file of a partition being moved: its name and size (see `freezePartition`). */
export interface PartitionFileInfo {
  readonly name: string;
  readonly bytes: number;
}

export interface PartitionChunkRequest {
  readonly partition: PartitionRef;
  readonly name: string;
  readonly offset: number;
}

export interface LeafApi {
  info(): Promise<LeafInfo>;
  /** Creates the partition's files (idempotent). */
  createPartition(partition: PartitionRef): Promise<void>;
  /** Deletes the partition's files (idempotent). */
  dropPartition(partition: PartitionRef): Promise<void>;
  /**
   * Runs one statement. Several requests in one call run concurrently and answer in order.
   * `signal` (here and below) is the statement's interruption: once aborted, the leaf is asked
   * to stop the request, and its answer is still awaited (storage/interrupt-scope.ts).
   */
  exec(requests: readonly ExecRequest[], signal?: AbortSignal): Promise<readonly ExecResult[]>;
  /** Bulk insert (DuckDB appender / SQLite prepared insert in one transaction). */
  insert(request: InsertRequest, signal?: AbortSignal): Promise<{ affectedRows: number }>;
  /** Bulk load of one chunk inside a transaction (see `LoadRequest`). */
  load(request: LoadRequest, signal?: AbortSignal): Promise<LoadResult>;
  /** Creates a broadcast table (see `BroadcastRequest`); fails if the name exists. */
  createBroadcast(request: BroadcastRequest): Promise<void>;
  /** Drops a broadcast table (idempotent). */
  dropBroadcast(name: string): Promise<void>;
  /** A partition query's rows as Parquet bytes (see `ExportRowsRequest`). */
  exportBroadcastRows(request: ExportRowsRequest, signal?: AbortSignal): Promise<Uint8Array>;
  /** 2PC phase one: makes the transaction's writes durable on this leaf; after it, commit cannot fail. */
  prepare(txn: TxnId): Promise<void>;
  commit(txn: TxnId): Promise<void>;
  rollback(txn: TxnId): Promise<void>;
  /** Marks a savepoint at the transaction's current writes on this leaf. */
  savepoint(request: SavepointRequest): Promise<void>;
  /**
   * Drops the transaction's writes made on this leaf after the savepoint (all of them when this
   * leaf never saw it); the transaction stays open. `keep` is unused.
   */
  rollbackToSavepoint(request: SavepointRequest): Promise<void>;
  /** Prepared transactions waiting for a decision (after a leaf restart, or a lost aggregator). */
  inDoubt(): Promise<readonly TxnId[]>;
  /** The write-lock waits here, as [waiter, holder] pairs (transaction ids or statement tokens). */
  lockWaits(): Promise<readonly (readonly [string, string])[]>;
  /** Ends the transaction's lock wait here with a deadlock (1213): it closed a cycle of waits. */
  failLockWait(txn: TxnId): Promise<void>;
  /**
   * Moving a partition away: blocks new writes to it (reads go on), waits for the writes under
   * way, checkpoints and snapshots its files. It stays frozen until `thawPartition`, until it is
   * dropped, or until the connection that froze it closes.
   */
  freezePartition(partition: PartitionRef): Promise<readonly PartitionFileInfo[]>;
  /** Up to `bytes` bytes of a frozen partition's snapshot file, from `offset`. */
  readPartitionChunk(
    request: PartitionChunkRequest & { readonly bytes: number },
  ): Promise<Uint8Array>;
  thawPartition(partition: PartitionRef): Promise<void>;
  /** Moving a partition here: stores one chunk aside (offset 0 of the first file restarts). */
  receivePartitionChunk(
    request: PartitionChunkRequest & { readonly data: Uint8Array },
  ): Promise<void>;
  /** Makes the received files durable and opens the partition here. */
  installPartition(partition: PartitionRef): Promise<void>;
  close(): Promise<void>;
}
