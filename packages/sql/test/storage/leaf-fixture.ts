import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Engine, ExecResult, PartitionRef } from '../../src/leaf/api.js';
import { Leaf } from '../../src/leaf/leaf.js';
import type { SqlValue } from '../../src/values.js';

export interface LeafFixture {
  readonly leaf: Leaf;
  readonly dataDir: string;
  run(
    engine: Engine,
    sql: string,
    params?: readonly SqlValue[],
    txn?: string,
    partition?: PartitionRef,
  ): Promise<ExecResult>;
  close(): Promise<void>;
}

export const SHOP: PartitionRef = { database: 'shop', ordinal: 0 };

/** A real leaf (SQLite and DuckDB files) in a temporary folder, with one partition. */
export async function openLeaf(options: { lockWaitTimeoutMs?: number } = {}): Promise<LeafFixture> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'exo-leaf-'));
  const leaf = await Leaf.open({
    dataDir,
    cores: 2,
    lockWaitTimeoutMs: options.lockWaitTimeoutMs ?? 2_000,
  });
  await leaf.createPartition(SHOP);
  return {
    leaf,
    dataDir,
    async run(engine, sql, params = [], txn, partition = SHOP) {
      const [result] = await leaf.exec([
        { partition, engine, sql, params, ...(txn === undefined ? {} : { txn }) },
      ]);
      if (result === undefined) throw new Error('no result');
      return result;
    },
    async close() {
      await leaf.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
