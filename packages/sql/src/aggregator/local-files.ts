/**
 * The aggregator's direct use of the files of leaves on its host: point reads
 * (`local-reads.ts`) and autocommit point writes (`local-writes.ts`), each of which can be
 * turned off.
 */
import type { Coordinator } from './coordinator.js';
import type { LeafPool } from './leaf-pool.js';
import { LocalLeaves } from './local-leaves.js';
import { LocalReads } from './local-reads.js';
import { LocalWrites } from './local-writes.js';

export interface LocalFiles {
  readonly reads: LocalReads | undefined;
  readonly writes: LocalWrites | undefined;
  close(): void;
}

export function localFiles(options: {
  readonly pool: LeafPool;
  readonly coordinator: Coordinator;
  readonly catalogVersion: () => number;
  readonly reads: boolean;
  readonly writes: boolean;
}): LocalFiles {
  const { coordinator, catalogVersion } = options;
  const leaves = new LocalLeaves({
    pool: options.pool,
    commitPending: (leafId) => coordinator.commitPendingOn(leafId),
  });
  const reads = options.reads ? new LocalReads(leaves, catalogVersion) : undefined;
  const writes = options.writes
    ? new LocalWrites({
        leaves,
        catalogVersion,
        writing: (leafId) => coordinator.writingOn(leafId),
      })
    : undefined;
  return {
    reads,
    writes,
    close: () => {
      reads?.close();
      writes?.close();
      leaves.clear();
    },
  };
}
