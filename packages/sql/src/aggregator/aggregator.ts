/**
 * The aggregator process: the MySQL protocol server in front, the catalog, the connections to
 * the leaves, the transaction coordinator with its decision log, and the merge engine.
 * `startAggregator` opens the home folder, recovers in-doubt transactions on every leaf it can
 * reach, and starts listening.
 */
import { StatusCounters } from './status-counters.js';
import { mkdirSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Catalog } from '../catalog/catalog.js';
import { startMysqlServer, type MysqlServer, type MysqlTlsOptions } from '../protocol/index.js';
import type { BackendSession, ConnectionInfo, SqlBackend } from '../protocol/backend.js';
import type { SqlValue } from '../values.js';
import { lookupAccount } from './accounts.js';
import { Cluster } from './cluster.js';
import type { AggregatorServices, SessionState, StatementContext } from './context.js';
import { localFiles } from './local-files.js';
import { Coordinator } from './coordinator.js';
import { DecisionLog } from './decision-log.js';
import { addLeaf } from './leaves.js';
import { dropLeftTemporaries } from './ddl-temporary.js';
import { removeOrphans } from './rebalance-move.js';
import { LeafPool } from './leaf-pool.js';
import { DeadlockDetector } from './deadlock-detector.js';
import { MergeEngine } from './merge-engine.js';
import { AggregatorSession } from './session.js';
import { defaultVariables, SERVER_VERSION } from './system-variables.js';
import { useDatabase } from './session-statements.js';
import { createTextCache } from './text-cache.js';
import { PlanMemo } from './plan-memo.js';
import { TemporaryTables } from './temporary-tables.js';
import { setClientCollation } from './session-charset.js';
import { UserLocks } from './user-locks.js';

export const DEFAULT_SQL_PORT = 3306;
export const DEFAULT_MAX_ALLOWED_PACKET_BYTES = 64 * 1024 * 1024;

export interface AggregatorOptions {
  /** Folder for the catalog and the decision log. */
  readonly home: string;
  readonly host?: string;
  readonly port?: number;
  /** Single-node mode: root without password is allowed from loopback addresses. */
  readonly singleNode?: boolean;
  /** Leaves to add when the catalog has none yet ("host:port"). */
  readonly leaves?: readonly { readonly host: string; readonly port: number }[];
  readonly maxAllowedPacketBytes?: number;
  readonly leafTimeoutMs?: number;
  /** PEM certificate and key: clients may then switch to TLS (CLIENT_SSL, SSLRequest). */
  readonly tls?: MysqlTlsOptions;
  /** require_secure_transport: refuse clients that do not use TLS (needs `tls`). */
  readonly requireSecureTransport?: boolean;
  readonly logger?: (event: string, fields: Record<string, unknown>) => void;
  /**
   * Point reads of rowstore tables on leaves of this host read the partition files directly
   * (`local-reads.ts`); default true. False sends every read to its leaf.
   */
  readonly localReads?: boolean;
  /**
   * Autocommit point writes of rowstore tables on leaves of this host write the partition
   * files directly (`local-writes.ts`); default true. False sends every write to its leaf.
   */
  readonly localWrites?: boolean;
}

export interface RunningAggregator {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The merge engine's folder in the home: Parquet files in flight, spilled blocks. */
const MERGE_FOLDER = 'merge';

export async function startAggregator(options: AggregatorOptions): Promise<RunningAggregator> {
  mkdirSync(options.home, { recursive: true, mode: 0o700 });
  const catalog = new Catalog(options.home);
  const log = new DecisionLog(options.home);
  const merge = await MergeEngine.create({
    threads: availableParallelism(),
    folder: path.join(options.home, MERGE_FOLDER),
  });
  const coordinatorRef: { current?: Coordinator } = {};
  const pool = new LeafPool({
    timeoutMs: options.leafTimeoutMs ?? 10_000,
    onConnect: async (leaf, api) => {
      await coordinatorRef.current?.recover(api, leaf.id);
    },
    onError: (leaf, error) => {
      options.logger?.('leaf_recovery_failed', { leaf: leaf.id, error: String(error) });
    },
  });
  const cluster = new Cluster(catalog, pool);
  const coordinator = new Coordinator({
    idPrefix: `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`,
    log,
    leaf: (leaf) => pool.get(leaf),
  });
  coordinatorRef.current = coordinator;
  const local = localFiles({
    pool,
    coordinator,
    catalogVersion: () => catalog.version,
    reads: options.localReads !== false,
    writes: options.localWrites !== false,
  });
  cluster.localWrites = local.writes;
  // Two open transactions at least make a cycle of waits across leaves possible.
  const deadlocks = new DeadlockDetector({
    leaves: () => catalog.leaves(),
    leaf: (leaf) => pool.get(leaf),
    busy: () => coordinator.openCount > 1,
    onVictim: (txn) => options.logger?.('deadlock_victim', { txn }),
  });
  const sessions = new Map<number, SessionState>();
  const maxAllowedPacketBytes = options.maxAllowedPacketBytes ?? DEFAULT_MAX_ALLOWED_PACKET_BYTES;
  const host = options.host ?? '127.0.0.1';
  const variables = defaultVariables({
    port: options.port ?? DEFAULT_SQL_PORT,
    hostname: hostname(),
    dataDir: options.home,
    maxAllowedPacketBytes,
    tls: options.tls !== undefined,
    requireSecureTransport: options.requireSecureTransport === true,
  });
  const services: AggregatorServices = {
    catalog,
    cluster,
    coordinator,
    merge,
    singleNode: options.singleNode === true,
    variables,
    globalVariables: variables,
    sessions,
    status: new StatusCounters(),
    startedAtMs: Date.now(),
    hostname: hostname(),
    textCache: createTextCache(),
    planMemo: new PlanMemo(),
    userLocks: new UserLocks(),
    ...(local.reads !== undefined ? { localReads: local.reads } : {}),
    ...(local.writes !== undefined ? { localWrites: local.writes } : {}),
    defaultPartitions: async () => {
      const infos = await Promise.all(
        catalog.leaves().map(async (leaf) => (await pool.get(leaf)).info()),
      );
      return Math.max(
        1,
        infos.reduce((sum, info) => sum + info.cores, 0),
      );
    },
  };

  const newState = (info: ConnectionInfo): SessionState => ({
    connectionId: info.connectionId,
    user: info.user,
    host: info.remoteAddress,
    database: undefined,
    variables: new Map<string, SqlValue>(variables),
    userVariables: new Map(),
    transaction: undefined,
    warnings: [],
    lastInsertId: 0,
    // A new connection's ROW_COUNT() and FOUND_ROWS(), as MariaDB answers them.
    foundRows: 1,
    rowCount: 0,
    ...(info.foundRows === true ? { clientFoundRows: true } : {}),
    currentSql: undefined,
    statementStartMs: Date.now(),
    killed: false,
    statement: undefined,
    status: new StatusCounters(),
    temporaryTables: new TemporaryTables(
      `${services.startedAtMs.toString(36)}-${info.connectionId}`,
    ),
    ...(info.tls !== undefined ? { tls: info.tls } : {}),
    ...(info.disconnect !== undefined ? { disconnect: info.disconnect } : {}),
  });

  const system = newState({
    connectionId: 0,
    user: 'root',
    remoteAddress: '127.0.0.1',
    database: undefined,
  });
  const systemContext = (): StatementContext => ({
    services,
    session: system,
    params: [],
    nowMs: Date.now(),
    transaction: undefined,
    signal: undefined,
  });
  // Leaves named at start join the cluster; a known leaf (same id) that moved to another
  // address (a restart on a new port) is followed.
  for (const address of options.leaves ?? []) {
    const probe = { id: `${address.host}:${address.port}`, host: address.host, port: address.port };
    const { id } = await (await pool.get(probe)).info();
    pool.forget(probe.id);
    const known = catalog.leaves().find((leaf) => leaf.id === id);
    if (known === undefined) {
      await addLeaf(systemContext(), {
        kind: 'addLeaf',
        user: 'root',
        host: address.host,
        port: address.port,
      });
    } else if (known.host !== address.host || known.port !== address.port) {
      catalog.putLeaves(
        catalog
          .leaves()
          .map((leaf) =>
            leaf.id === id ? { ...leaf, host: address.host, port: address.port } : leaf,
          ),
      );
    }
  }
  // Finish what a previous run left in doubt before taking new work.
  for (const leaf of catalog.leaves()) {
    try {
      await pool.get(leaf);
    } catch (error) {
      options.logger?.('leaf_unreachable', {
        leaf: `${leaf.host}:${leaf.port}`,
        error: (error as Error).message,
      });
    }
  }

  // Copies left by a partition move cut short (the catalog places them elsewhere) go.
  const orphans = await removeOrphans(cluster);
  if (orphans > 0) options.logger?.('orphan_partitions_removed', { orphans });
  // The temporary tables of a previous run's sessions (a crash) go before anyone connects.
  const temporaries = await dropLeftTemporaries(systemContext());
  if (temporaries > 0) options.logger?.('temporary_tables_dropped', { tables: temporaries });

  const backend: SqlBackend = {
    serverVersion: SERVER_VERSION,
    lookupAccount: (user, address) => lookupAccount(catalog, services.singleNode, user, address),
    openSession: (info: ConnectionInfo): Promise<BackendSession> =>
      Promise.resolve().then(() => openSession(info)),
    questions: () => services.status.questions,
  };
  const openSession = (info: ConnectionInfo): BackendSession => {
    const state = newState(info);
    // The handshake's collation sets the connection's character set, as in MariaDB: utf8mb3
    // for the `mariadb` CLI, utf8mb4_unicode_ci for mysql2 (session-charset.ts).
    if (info.collation !== undefined) setClientCollation(state.variables, info.collation);
    // A client that says it is interactive gets interactive_timeout as its wait_timeout.
    if (info.interactive === true)
      state.variables.set('wait_timeout', variables.get('interactive_timeout') ?? 28800);
    // A closed connection's named locks go with it, as in MariaDB.
    const session = new AggregatorSession(services, state, () => {
      sessions.delete(info.connectionId);
      services.userLocks.releaseAll(info.connectionId);
    });
    if (info.database !== undefined && info.database !== '') {
      useDatabase(
        {
          services,
          session: state,
          params: [],
          nowMs: Date.now(),
          transaction: undefined,
          signal: undefined,
        },
        { kind: 'use', database: info.database },
      );
    }
    sessions.set(info.connectionId, state);
    services.status.connections += 1;
    services.status.maxUsedConnections = Math.max(
      services.status.maxUsedConnections,
      sessions.size,
    );
    return session;
  };
  let server: MysqlServer;
  try {
    server = await startMysqlServer({
      backend,
      host,
      port: options.port ?? DEFAULT_SQL_PORT,
      maxAllowedPacketBytes,
      ...(options.tls !== undefined ? { tls: options.tls } : {}),
      requireSecureTransport: options.requireSecureTransport === true,
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
    });
  } catch (error) {
    deadlocks.stop();
    local.close();
    await pool.close();
    merge.close();
    log.close();
    throw error;
  }
  variables.set('port', server.port);
  return {
    host,
    port: server.port,
    close: async () => {
      await server.close();
      deadlocks.stop();
      local.close();
      catalog.releaseAutoIncrement();
      await pool.close();
      merge.close();
      log.close();
    },
  };
}
