/**
 * The in-process leaf: owns the partitions found in (or created under) `dataDir`, the shared
 * DuckDB instance, the rowstore write locks, the transactions and the prepare log. The TCP
 * server (`server.ts`) and tests call it directly; it implements `LeafApi`.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { silentLogger, type Logger } from '@exosphere/common';
import { SqlError, sqlError } from '../errors.js';
import { DuckEngine } from '../storage/duckdb-store.js';
import {
  decodeDatabaseName,
  describePartition,
  parseOrdinalDirectory,
  partitionKey,
  validatePartition,
} from '../storage/names.js';
import { Partition, type PartitionContext } from '../storage/partition.js';
import { PrepareLog } from '../storage/prepare-log.js';
import { Transactions } from '../storage/transactions.js';
import { recoverPrepared } from '../storage/txn-recovery.js';
import { removeLeftoverLoadFiles } from '../storage/load-files.js';
import { LockTable } from '../storage/write-lock.js';
import { FENCE_CLOSED, fenceOf } from '../storage/write-fence.js';
import { BROADCAST_FOLDER, BroadcastStore } from '../storage/broadcast-store.js';
import type {
  BroadcastRequest,
  ExportRowsRequest,
  ExecRequest,
  ExecResult,
  InsertRequest,
  LeafApi,
  LeafInfo,
  LoadRequest,
  LoadResult,
  PartitionChunkRequest,
  PartitionFileInfo,
  PartitionRef,
  SavepointRequest,
  TxnId,
} from './api.js';
import { LEAF_TOKEN_FILE } from './api.js';
import { isWriteRequest, MoveGate } from './partition-moves.js';
import {
  installIncoming,
  readSnapshotChunk,
  removeMoveScratch,
  removeSnapshot,
  snapshotPartition,
  writeIncomingChunk,
} from '../storage/partition-files.js';
import { failpoint } from '../failpoint.js';

export const DEFAULT_LOCK_WAIT_TIMEOUT_MS = 50_000;
const PREPARE_LOG_FILE = 'txn.log';
const LEAF_ID_FILE = 'leaf.id';

export interface LeafOptions {
  readonly dataDir: string;
  readonly cores?: number;
  /** innodb_lock_wait_timeout: how long a rowstore writer waits for a partition's write lock. */
  readonly lockWaitTimeoutMs?: number;
  /** DuckDB memory_limit for the whole leaf (e.g. "4GB"); DuckDB's default is 80% of RAM. */
  readonly memoryLimit?: string;
  readonly logger?: Logger;
}

export class Leaf implements LeafApi {
  private readonly partitions = new Map<string, Partition>();
  private readonly opening = new Map<string, Promise<Partition>>();
  private address = { host: '', port: 0 };
  private closed = false;
  private transactions!: Transactions;
  private log!: PrepareLog;
  /** Reported by `info` once serving; its fence is in every rowstore file here (`write-fence.ts`). */
  private readonly token = randomUUID();
  private readonly fence = fenceOf(this.token);
  private readonly broadcasts: BroadcastStore;
  private readonly moves = new MoveGate();

  private constructor(
    readonly id: string,
    readonly cores: number,
    private readonly context: PartitionContext,
    private readonly logger: Logger,
  ) {
    this.broadcasts = new BroadcastStore(
      context.duck.instance,
      path.join(context.dataDir, BROADCAST_FOLDER),
    );
  }

  static async open(options: LeafOptions): Promise<Leaf> {
    const logger = options.logger ?? silentLogger();
    const cores = options.cores ?? availableParallelism();
    await mkdir(options.dataDir, { recursive: true });
    const id = await readOrCreateId(path.join(options.dataDir, LEAF_ID_FILE));
    // Spilled blocks of a run that ended are garbage: nobody reads them again.
    const spillFolder = path.join(options.dataDir, SPILL_FOLDER);
    await rm(spillFolder, { recursive: true, force: true });
    const duck = await DuckEngine.create({
      threads: cores,
      spillFolder,
      ...(options.memoryLimit === undefined ? {} : { memoryLimit: options.memoryLimit }),
    });
    const context: PartitionContext = {
      dataDir: options.dataDir,
      duck,
      locks: new LockTable(),
      lockWaitTimeoutMs: options.lockWaitTimeoutMs ?? DEFAULT_LOCK_WAIT_TIMEOUT_MS,
    };
    const leaf = new Leaf(id, cores, context, logger);
    // A partition copy cut short by a crash is discarded (the catalog still names the source).
    await removeMoveScratch(options.dataDir);
    for (const ref of await findPartitions(options.dataDir)) {
      leaf.partitions.set(partitionKey(ref), await Partition.open(context, ref, leaf.fence));
    }
    const { log, records } = await PrepareLog.open(path.join(options.dataDir, PREPARE_LOG_FILE));
    leaf.log = log;
    leaf.transactions = new Transactions({
      partition: (ref) => leaf.partition(ref),
      partitions: () => leaf.partitions.values(),
      log,
      logger,
      failWaits: (txn, error) => context.locks.failWait(txn, error),
    });
    await recoverPrepared({
      records,
      transactions: leaf.transactions,
      log,
      partition: (ref) => leaf.partitions.get(partitionKey(ref)),
      logger,
    });
    const leftovers = await removeLeftoverLoadFiles(
      [...leaf.partitions.values()].map((partition) => partition.directory),
      leaf.transactions.liveLoadFiles(),
    );
    if (leftovers > 0) logger.info('removed load files of unfinished transactions', { leftovers });
    // The token is written (and reported) only now: until then no other process knows the
    // fence the partitions were opened with, so none writes to them during recovery.
    const tokenFile = path.join(options.dataDir, LEAF_TOKEN_FILE);
    await writeFile(`${tokenFile}.new`, leaf.token);
    await rename(`${tokenFile}.new`, tokenFile);
    logger.info('leaf opened', {
      id,
      partitions: leaf.partitions.size,
      inDoubt: leaf.transactions.inDoubt().length,
    });
    return leaf;
  }

  /** The address the TCP server listens on (reported by `info`). */
  setAddress(host: string, port: number): void {
    this.address = { host, port };
  }

  partition(ref: PartitionRef): Partition {
    const partition = this.partitions.get(partitionKey(ref));
    if (partition === undefined)
      throw sqlError('BAD_DB', `Unknown partition ${describePartition(ref)} on leaf ${this.id}`);
    return partition;
  }

  info(): Promise<LeafInfo> {
    return Promise.resolve({
      id: this.id,
      host: this.address.host,
      port: this.address.port,
      cores: this.cores,
      dataDir: path.resolve(this.context.dataDir),
      token: this.token,
      partitions: [...this.partitions.values()].map((partition) => partition.ref),
    });
  }

  async createPartition(ref: PartitionRef): Promise<void> {
    validatePartition(ref);
    this.assertOpen();
    const key = partitionKey(ref);
    if (this.partitions.has(key)) return;
    let opening = this.opening.get(key);
    if (opening === undefined) {
      opening = Partition.open(this.context, ref, this.fence);
      this.opening.set(key, opening);
    }
    try {
      this.partitions.set(key, await opening);
    } finally {
      this.opening.delete(key);
    }
  }

  async dropPartition(ref: PartitionRef): Promise<void> {
    validatePartition(ref);
    this.assertOpen();
    const key = partitionKey(ref);
    await this.opening.get(key)?.catch(() => undefined);
    const partition = this.partitions.get(key);
    if (partition === undefined) return;
    this.partitions.delete(key);
    // Writers waiting on a moved-away partition now fail with "unknown partition".
    await this.thawPartition(ref);
    await partition.destroy();
  }

  /**
   * Runs a batch: requests for different partitions at the same time, requests for the same
   * partition one after the other in batch order (an upsert's row lookup, then the upsert).
   */
  async exec(requests: readonly ExecRequest[]): Promise<readonly ExecResult[]> {
    this.assertOpen();
    if (requests.length === 1) return [await this.execOne(requests[0] as ExecRequest)];
    const previous = new Map<string, Promise<unknown>>();
    const settled = await Promise.allSettled(
      requests.map((request) => {
        const key = partitionKey(request.partition);
        const before = previous.get(key);
        const running =
          before === undefined
            ? this.execOne(request)
            : before.then(
                () => this.execOne(request),
                () => this.execOne(request),
              );
        previous.set(key, running);
        return running;
      }),
    );
    // The first failure that is a statement's own: a request that found the transaction
    // rolled back by a sibling's failure (1402) only follows from it.
    const failures = settled.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
    );
    if (failures.length > 0)
      throw (
        failures.find((reason) => !(reason instanceof SqlError && reason.errno === 1402)) ??
        failures[0]
      );
    return settled.map((outcome) => (outcome as PromiseFulfilledResult<ExecResult>).value);
  }

  /**
   * One autocommit rowstore request answered without waiting (see `SqliteStore.execNow`), or
   * undefined when it needs the asynchronous path (a transaction, columnstore, a held lock).
   */
  execNow(request: ExecRequest): ExecResult | undefined {
    if (this.closed || request.txn !== undefined || request.engine !== 'row') return undefined;
    if (this.moves.isFrozen(request.partition) && isWriteRequest(request)) return undefined;
    return this.partition(request.partition).execNow(request.engine, {
      sql: request.sql,
      params: request.params ?? [],
      columns: request.columns,
    })?.result;
  }

  private execOne(request: ExecRequest): Promise<ExecResult> {
    if (!isWriteRequest(request)) return this.execUngated(request);
    return this.moves.write(request.partition, this.wroteHere(request), () =>
      this.execUngated(request),
    );
  }

  /** Whether the request's transaction already wrote to its partition (a freeze waits for it). */
  private wroteHere(request: { readonly txn?: TxnId; readonly partition: PartitionRef }): boolean {
    if (request.txn === undefined) return false;
    const txn = this.transactions.txns.get(request.txn);
    if (txn === undefined) return false;
    for (const part of txn.parts.values())
      if (part.wrote && partitionKey(part.partition.ref) === partitionKey(request.partition))
        return true;
    return false;
  }

  private async execUngated(request: ExecRequest): Promise<ExecResult> {
    if (request.txn !== undefined) return this.transactions.exec(request.txn, request);
    const outcome = await this.partition(request.partition).exec(request.engine, {
      sql: request.sql,
      params: request.params ?? [],
      columns: request.columns,
      ...(request.lockWaitMs !== undefined ? { lockWaitMs: request.lockWaitMs } : {}),
    });
    return outcome.result;
  }

  async insert(request: InsertRequest): Promise<{ affectedRows: number }> {
    this.assertOpen();
    if (request.rows.some((row) => row.length !== request.columns.length)) {
      throw sqlError('WRONG_VALUE_COUNT', "Column count doesn't match value count at row 1");
    }
    return this.moves.write(request.partition, this.wroteHere(request), async () => {
      if (request.txn !== undefined)
        return { affectedRows: await this.transactions.insert(request.txn, request) };
      const affectedRows = await this.partition(request.partition).insert(request.engine, request);
      return { affectedRows };
    });
  }

  load(request: LoadRequest): Promise<LoadResult> {
    this.assertOpen();
    return this.moves.write(request.partition, this.wroteHere(request), () =>
      this.transactions.load(request.txn, request),
    );
  }

  async freezePartition(ref: PartitionRef): Promise<readonly PartitionFileInfo[]> {
    this.assertOpen();
    const partition = this.partition(ref);
    if (!this.moves.freeze(ref))
      throw sqlError('LEAF_IN_USE', `Partition ${describePartition(ref)} is already being moved`);
    try {
      await this.moves.drain(ref, () => this.hasWriters(ref), this.context.lockWaitTimeoutMs);
      // Writers in other processes stop too: the copy holds everything they committed.
      await partition.setFence(FENCE_CLOSED);
      await partition.checkpoint();
      const files = await snapshotPartition(this.context.dataDir, ref);
      failpoint('leaf-after-freeze');
      return files;
    } catch (error) {
      await this.thawPartition(ref);
      throw error;
    }
  }

  /** Whether a live transaction wrote to the partition (or is prepared there). */
  private hasWriters(ref: PartitionRef): boolean {
    const key = partitionKey(ref);
    for (const txn of this.transactions.txns.values())
      for (const part of txn.parts.values())
        if (part.wrote && partitionKey(part.partition.ref) === key) return true;
    return false;
  }

  readPartitionChunk(
    request: PartitionChunkRequest & { readonly bytes: number },
  ): Promise<Uint8Array> {
    this.assertOpen();
    if (!this.moves.isFrozen(request.partition))
      throw sqlError(
        'WRONG_USAGE',
        `Partition ${describePartition(request.partition)} is not frozen`,
      );
    return readSnapshotChunk({ dataDir: this.context.dataDir, ref: request.partition, ...request });
  }

  /** Ends a freeze; a partition still here (the move did not happen) is writable from outside again. */
  async thawPartition(ref: PartitionRef): Promise<void> {
    this.moves.thaw(ref);
    await removeSnapshot(this.context.dataDir, ref);
    await this.partitions.get(partitionKey(ref))?.setFence(this.fence);
  }

  async receivePartitionChunk(
    request: PartitionChunkRequest & { readonly data: Uint8Array },
  ): Promise<void> {
    this.assertOpen();
    validatePartition(request.partition);
    this.assertAbsent(request.partition);
    await writeIncomingChunk({ dataDir: this.context.dataDir, ref: request.partition, ...request });
    failpoint('leaf-after-chunk');
  }

  async installPartition(ref: PartitionRef): Promise<void> {
    this.assertOpen();
    validatePartition(ref);
    this.assertAbsent(ref);
    await installIncoming(this.context.dataDir, ref);
    await this.createPartition(ref);
    failpoint('leaf-after-install');
  }

  /** A moved partition may only arrive where no copy of it is open. */
  private assertAbsent(ref: PartitionRef): void {
    const key = partitionKey(ref);
    if (this.partitions.has(key) || this.opening.has(key))
      throw sqlError(
        'LEAF_IN_USE',
        `Partition ${describePartition(ref)} already exists on leaf ${this.id}`,
      );
  }

  createBroadcast(request: BroadcastRequest): Promise<void> {
    this.assertOpen();
    return this.broadcasts.create(request);
  }

  async dropBroadcast(name: string): Promise<void> {
    // Async, so that a closed leaf rejects rather than throws in a caller's synchronous path
    // (a connection's close handler drops its copies with only a `.catch`).
    this.assertOpen();
    return this.broadcasts.drop(name);
  }

  exportBroadcastRows(request: ExportRowsRequest): Promise<Uint8Array> {
    this.assertOpen();
    const partition = this.partition(request.partition);
    return this.broadcasts.exportRows(request.sql, (sql) =>
      partition.exec('column', { sql, params: [], columns: undefined }),
    );
  }

  /** The broadcast tables alive now (what a statement or a closed connection left behind). */
  broadcastTables(): string[] {
    return this.broadcasts.tables();
  }

  prepare(txn: TxnId): Promise<void> {
    this.assertOpen();
    return this.transactions.prepare(txn);
  }

  commit(txn: TxnId): Promise<void> {
    this.assertOpen();
    return this.transactions.commit(txn);
  }

  rollback(txn: TxnId): Promise<void> {
    this.assertOpen();
    return this.transactions.rollback(txn);
  }

  savepoint(request: SavepointRequest): Promise<void> {
    this.assertOpen();
    return this.transactions.savepoint(request.txn, request.savepoint, request.keep);
  }

  rollbackToSavepoint(request: SavepointRequest): Promise<void> {
    this.assertOpen();
    return this.transactions.rollbackToSavepoint(request.txn, request.savepoint);
  }

  /** See `Transactions.abandon`: the connection that carried `txn` closed. */
  abandonTransaction(txn: TxnId): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.transactions.abandon(txn);
  }

  inDoubt(): Promise<readonly TxnId[]> {
    return Promise.resolve(this.transactions.inDoubt());
  }

  lockWaits(): Promise<readonly (readonly [string, string])[]> {
    return Promise.resolve(this.context.locks.waits());
  }

  failLockWait(txn: TxnId): Promise<void> {
    this.context.locks.failWait(txn);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.transactions.closeAll();
    // Files of a stopped leaf are not written from outside (a busy file keeps its fence: the
    // next start opens it with a new one anyway).
    for (const partition of this.partitions.values())
      await partition.setFence(FENCE_CLOSED).catch(() => undefined);
    await this.broadcasts.close();
    for (const partition of this.partitions.values()) await partition.close();
    this.partitions.clear();
    await this.log.close();
    await this.context.duck.close();
    this.logger.info('leaf closed', { id: this.id });
  }

  private assertOpen(): void {
    if (this.closed) throw sqlError('LEAF_UNAVAILABLE', `Leaf ${this.id} is closed`);
  }
}

async function readOrCreateId(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const id = randomUUID();
    await writeFile(file, `${id}\n`, { flush: true });
    return id;
  }
}

/** Where DuckDB spills what outgrows memory (a dot name: never a database folder). */
const SPILL_FOLDER = '.duckdb-spill';

/** `<dataDir>/<encoded database>/<ordinal or "ref">/` directories. */
async function findPartitions(dataDir: string): Promise<PartitionRef[]> {
  const found: PartitionRef[] = [];
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    const database = entry.isDirectory() ? decodeDatabaseName(entry.name) : undefined;
    if (database === undefined) continue;
    for (const child of await readdir(path.join(dataDir, entry.name), { withFileTypes: true })) {
      const ordinal = child.isDirectory() ? parseOrdinalDirectory(child.name) : undefined;
      if (ordinal !== undefined) found.push({ database, ordinal });
    }
  }
  return found;
}
