/**
 * What a statement handler sees: the aggregator's shared parts, the session it runs in, the
 * statement's parameters, and its start time (one `now` for every partition).
 */
import type { LocalReads } from './local-reads.js';
import type { LocalWrites } from './local-writes.js';
import type { PlanMemo } from './plan-memo.js';
import type { PreparedPlan } from './select.js';
import { SqlError, sqlError } from '../errors.js';
import type { Catalog } from '../catalog/catalog.js';
import type { SqlValue } from '../values.js';
import type { MyType } from '../dialect/index.js';
import type { Cluster } from './cluster.js';
import type { Coordinator, Transaction } from './coordinator.js';
import type { MergeEngine } from './merge-engine.js';
import type { PlanSlot } from './plan-cache.js';
import type { TemporaryTables } from './temporary-tables.js';
import type { TextCache } from './text-cache.js';
import type { TlsSessionInfo } from '../protocol/tls.js';
import type { UserLocks } from './user-locks.js';
import type { StatusCounters } from './status-counters.js';

export interface Warning {
  readonly level: 'Note' | 'Warning' | 'Error';
  readonly code: number;
  readonly message: string;
}

export interface AggregatorServices {
  readonly catalog: Catalog;
  readonly cluster: Cluster;
  readonly coordinator: Coordinator;
  readonly merge: MergeEngine;
  readonly singleNode: boolean;
  readonly variables: ReadonlyMap<string, SqlValue>;
  /** Live sessions by connection id (SHOW PROCESSLIST, KILL). */
  readonly sessions: ReadonlyMap<number, SessionState>;
  /** Global values of the variables that SET GLOBAL may change (new sessions start from them). */
  readonly globalVariables: Map<string, SqlValue>;
  /** The server's SHOW GLOBAL STATUS counters (`status-counters.ts`). */
  readonly status: StatusCounters;
  readonly startedAtMs: number;
  readonly hostname: string;
  readonly defaultPartitions: () => Promise<number>;
  /** Plans of repeated query texts, by shape (`text-cache.ts`). */
  readonly textCache: TextCache;
  /** Plans of queries on several partitions, by prepared query (`plan-memo.ts`). */
  readonly planMemo: PlanMemo<PreparedPlan>;
  /** Named user locks (GET_LOCK & co.), held by connections of this aggregator. */
  readonly userLocks: UserLocks;
  /** Point reads of rowstore partitions on leaves of this host (absent when turned off). */
  readonly localReads?: LocalReads;
  readonly localWrites?: LocalWrites;
}

export interface SessionState {
  readonly connectionId: number;
  readonly user: string;
  readonly host: string;
  database: string | undefined;
  readonly variables: Map<string, SqlValue>;
  readonly userVariables: Map<string, SqlValue>;
  /** The open explicit transaction (BEGIN, or autocommit=0 after the first statement). */
  transaction: Transaction | undefined;
  /** The transaction BEGIN / START TRANSACTION opened, and whether READ ONLY (`read-only.ts`). */
  begun?: { readonly transaction: Transaction; readonly readOnly: boolean } | undefined;
  warnings: Warning[];
  /**
   * Warnings the running statement raised while evaluating expressions (`warnings-statement.ts`);
   * they become `warnings` when it ends.
   */
  statementWarnings?: Warning[] | undefined;
  lastInsertId: number | bigint;
  foundRows: number;
  rowCount: number;
  /** The client counts rows matched, not changed (CLIENT_FOUND_ROWS), ROW_COUNT() too. */
  clientFoundRows?: boolean;
  /** The statement running now (SHOW PROCESSLIST), and when it started. */
  currentSql: string | undefined;
  statementStartMs: number;
  /** KILL CONNECTION reached this session: it ends (SHOW PROCESSLIST shows `Killed`). */
  killed: boolean;
  /** Interrupts the running statement (KILL, timeouts); undefined between statements. */
  statement: AbortController | undefined;
  /** The session's SHOW STATUS counters (`status-counters.ts`). */
  readonly status: StatusCounters;
  /** Ends the client connection (see `ConnectionInfo.disconnect`); absent for internal sessions. */
  readonly disconnect?: (afterAnswer: boolean) => void;
  /** The connection's TLS session (SHOW STATUS Ssl_version, Ssl_cipher); absent when plain. */
  readonly tls?: TlsSessionInfo;
  /** The session's temporary tables (CREATE TEMPORARY TABLE), dropped when it ends. */
  readonly temporaryTables: TemporaryTables;
}

export interface StatementContext {
  readonly services: AggregatorServices;
  readonly session: SessionState;
  readonly params: readonly SqlValue[];
  /** The types of a prepared statement's bound values (`param-types.ts`), when known. */
  readonly paramTypes?: readonly (MyType | undefined)[];
  /** The statement's start time, for NOW() everywhere. */
  readonly nowMs: number;
  /** The transaction writes run in (explicit, or an implicit one for this statement). */
  readonly transaction: Transaction | undefined;
  /** What earlier executions of this statement left for later ones (`plan-cache.ts`). */
  readonly plans?: PlanSlot;
  /**
   * SELECT … FOR UPDATE / FOR SHARE in a transaction: its reads take each partition's write
   * lock first (`leaf/api.ts` ExecRequest.lock).
   */
  readonly lockReads?: boolean;
  /**
   * Aborted by KILL and the statement time limits (`kill-statement.ts`): leaf requests, merge
   * queries and waits of the statement listen for it. Undefined outside a client's statement.
   */
  readonly signal: AbortSignal | undefined;
}

/** A failed statement leaves its error as the diagnostics and ROW_COUNT() -1 (MariaDB). */
export function recordFailure(session: SessionState, error: unknown): void {
  // Warnings the statement raised before it failed stay before the error (MariaDB).
  const raised = session.statementWarnings ?? [];
  session.statementWarnings = undefined;
  session.rowCount = -1;
  session.warnings = [
    ...raised,
    {
      level: 'Error',
      code: error instanceof SqlError ? error.errno : 1815,
      message: error instanceof Error ? error.message : String(error),
    },
  ];
}

export function currentDatabase(context: StatementContext, explicit: string | undefined): string {
  const database = explicit ?? context.session.database;
  if (database === undefined) throw sqlError('NO_DB', 'No database selected');
  return database;
}
