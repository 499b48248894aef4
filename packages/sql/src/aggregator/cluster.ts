/**
 * The aggregator's view of where data lives: which leaf holds each partition of a database,
 * and sending engine statements to a set of partitions in one round trip per leaf.
 */
import { sqlError } from '../errors.js';
import type { Catalog } from '../catalog/catalog.js';
import type { DatabaseDef, LeafDef, TableDef } from '../catalog/types.js';
import {
  REFERENCE_ORDINAL,
  type Engine,
  type ExecRequest,
  type ExecResult,
  type PartitionRef,
} from '../leaf/api.js';
import type { LeafPool } from './leaf-pool.js';
import type { LocalWrites } from './local-writes.js';
import type { Transaction } from './coordinator.js';
import { allParts } from './fan-out.js';

export interface PartitionTarget {
  readonly partition: PartitionRef;
  readonly leaf: LeafDef;
}

/** A statement for one target, before the partition, engine and transaction are added. */
type Built = Omit<ExecRequest, 'partition' | 'engine' | 'txn'>;

/** How `Cluster.exec` runs its statements. */
export interface ExecOptions {
  readonly txn?: Transaction;
  readonly write: boolean;
  /** The statement's interruption (`StatementContext.signal`); undefined: none. */
  readonly signal: AbortSignal | undefined;
  /** The session's lock wait limit (`lock-wait.ts`); undefined: the leaf's. */
  readonly lockWaitMs?: number;
}

export class Cluster {
  /** Autocommit point writes to partitions on this host's leaves (`local-writes.ts`), if on. */
  localWrites: LocalWrites | undefined;

  constructor(
    readonly catalog: Catalog,
    readonly pool: LeafPool,
  ) {}

  leaf(id: string): LeafDef {
    const found = this.catalog.leaves().find((leaf) => leaf.id === id);
    if (found === undefined) throw sqlError('LEAF_UNAVAILABLE', `Leaf ${id} is not in the cluster`);
    return found;
  }

  /** Every partition of a database, in ordinal order. */
  partitions(database: DatabaseDef): PartitionTarget[] {
    return database.placement.map((leafId, ordinal) => ({
      partition: { database: database.name, ordinal },
      leaf: this.leaf(leafId),
    }));
  }

  partition(database: DatabaseDef, ordinal: number): PartitionTarget {
    const leafId = database.placement[ordinal];
    if (leafId === undefined)
      throw new Error(`partition ${ordinal} of ${database.name} has no leaf`);
    return { partition: { database: database.name, ordinal }, leaf: this.leaf(leafId) };
  }

  /** The reference partition of a database on every leaf (reference tables are copied to all). */
  referencePartitions(database: DatabaseDef): PartitionTarget[] {
    return this.catalog.leaves().map((leaf) => ({
      partition: { database: database.name, ordinal: REFERENCE_ORDINAL },
      leaf,
    }));
  }

  /** Where a table's rows live: every partition, or every leaf's reference partition. */
  tableTargets(table: TableDef): PartitionTarget[] {
    const database = this.catalog.requireDatabase(table.database);
    return table.reference ? this.referencePartitions(database) : this.partitions(database);
  }

  /**
   * Runs one statement per target (built by `build`), grouped into one call per leaf, all
   * leaves in parallel. Results come back in target order.
   */
  async exec(
    targets: readonly PartitionTarget[],
    engine: Engine,
    build: (target: PartitionTarget) => Built,
    options: ExecOptions,
  ): Promise<ExecResult[]> {
    const built = targets.map((target) => build(target));
    const pending = this.execLocally(targets, engine, built, options);
    const local = pending === undefined ? undefined : await pending;
    if (local !== undefined) return local;
    const only = targets.length === 1 ? targets[0] : undefined;
    if (only !== undefined) return this.execOne(only, engine, built[0] as Built, options);
    const byLeaf = new Map<string, { leaf: LeafDef; indexes: number[]; requests: ExecRequest[] }>();
    targets.forEach((target, index) => {
      let group = byLeaf.get(target.leaf.id);
      if (group === undefined) {
        group = { leaf: target.leaf, indexes: [], requests: [] };
        byLeaf.set(target.leaf.id, group);
      }
      options.txn?.touch(target.leaf, target.partition, engine, options.write);
      group.indexes.push(index);
      group.requests.push({
        ...(built[index] as Built),
        partition: target.partition,
        engine,
        ...(options.txn !== undefined ? { txn: options.txn.id } : {}),
        ...(options.lockWaitMs !== undefined ? { lockWaitMs: options.lockWaitMs } : {}),
      });
    });
    const results: ExecResult[] = new Array<ExecResult>(targets.length);
    await allParts(
      [...byLeaf.values()].map(async (group) => {
        const api = await this.pool.get(group.leaf);
        const answers = await api.exec(group.requests, options.signal);
        answers.forEach((answer, position) => {
          results[group.indexes[position] ?? 0] = answer;
        });
      }),
    );
    return results;
  }

  /**
   * Autocommit rowstore writes to one partition, committed by this process to the partition's
   * file when its leaf is on this host (`local-writes.ts`), all in one transaction; undefined
   * (or a promise of undefined) when they go to the leaf.
   */
  private execLocally(
    targets: readonly PartitionTarget[],
    engine: Engine,
    built: readonly Built[],
    options: ExecOptions,
  ): Promise<ExecResult[] | undefined> | undefined {
    const first = targets[0];
    if (this.localWrites === undefined || first === undefined || !options.write) return undefined;
    const { database, ordinal } = first.partition;
    if (
      targets.some(
        (target) =>
          target.leaf.id !== first.leaf.id ||
          target.partition.database !== database ||
          target.partition.ordinal !== ordinal,
      )
    )
      return undefined;
    return this.localWrites.exec(first, { engine, transaction: options.txn }, built);
  }

  /** One target (a routed point query or write): no grouping, no promise hop when connected. */
  private async execOne(
    target: PartitionTarget,
    engine: Engine,
    built: Built,
    options: ExecOptions,
  ): Promise<ExecResult[]> {
    options.txn?.touch(target.leaf, target.partition, engine, options.write);
    const request: ExecRequest = {
      ...built,
      partition: target.partition,
      engine,
      ...(options.txn !== undefined ? { txn: options.txn.id } : {}),
      ...(options.lockWaitMs !== undefined ? { lockWaitMs: options.lockWaitMs } : {}),
    };
    const api = this.pool.ready(target.leaf) ?? (await this.pool.get(target.leaf));
    return [...(await api.exec([request], options.signal))];
  }
}
