/**
 * Moving one partition between leaves. The source freezes the partition (writes wait, reads go
 * on) and snapshots its checkpointed files; the files stream to the destination in chunks,
 * where they are fsync'ed and installed; then the catalog names the destination (fsync'ed and
 * replaced atomically: the commit point of the move); then the source drops its copy.
 *
 * A crash at any step leaves every row in exactly one live partition: before the catalog
 * switch the source's copy is the live one (a half-received copy is discarded when the
 * destination opens; an installed but unswitched one is an orphan), after it the
 * destination's is (the source's copy is then an orphan). Orphans are partitions a leaf holds
 * that the catalog places elsewhere; `removeOrphans` deletes them.
 */
import { sqlError } from '../errors.js';
import type { LeafDef } from '../catalog/types.js';
import type { PartitionRef } from '../leaf/api.js';
import type { Cluster } from './cluster.js';
import type { PartitionMove } from './rebalance-plan.js';
import { failpoint } from '../failpoint.js';

/** Bytes per chunk request (the leaf accepts up to 8 MiB). */
const CHUNK_BYTES = 4 * 1024 * 1024;

export async function movePartition(cluster: Cluster, move: PartitionMove): Promise<void> {
  const { catalog, pool } = cluster;
  const partition: PartitionRef = { database: move.database, ordinal: move.ordinal };
  const source = await pool.get(cluster.leaf(move.from));
  const destination = await pool.get(cluster.leaf(move.to));
  const files = await source.freezePartition(partition);
  let switched = false;
  try {
    for (const file of files) {
      let offset = 0;
      do {
        const data =
          file.bytes === 0
            ? new Uint8Array()
            : await source.readPartitionChunk({
                partition,
                name: file.name,
                offset,
                bytes: Math.min(CHUNK_BYTES, file.bytes - offset),
              });
        if (data.length === 0 && offset < file.bytes)
          throw sqlError('INTERNAL', `Partition file ${file.name} ended early at ${offset}`);
        await destination.receivePartitionChunk({ partition, name: file.name, offset, data });
        offset += data.length;
        failpoint('rebalance-during-copy');
      } while (offset < file.bytes);
    }
    await destination.installPartition(partition);
    failpoint('rebalance-before-switch');
    const database = catalog.requireDatabase(move.database);
    if (database.placement[move.ordinal] !== move.from)
      throw sqlError('INTERNAL', `Partition ${move.ordinal} of ${move.database} moved meanwhile`);
    catalog.putDatabase({
      ...database,
      placement: database.placement.map((leaf, ordinal) =>
        ordinal === move.ordinal ? move.to : leaf,
      ),
    });
    switched = true;
    failpoint('rebalance-after-switch');
  } finally {
    if (!switched) {
      await destination.dropPartition(partition).catch(() => undefined);
      await source.thawPartition(partition).catch(() => undefined);
    }
  }
  // Should this fail, the source's copy is an orphan that `removeOrphans` deletes later.
  await source.dropPartition(partition).catch(() => undefined);
}

/**
 * Deletes the partitions leaves hold that the catalog places on another leaf (left by a move
 * cut short). Databases the catalog does not know are left alone: CREATE DATABASE creates
 * partitions before the catalog names them. Unreachable leaves are skipped.
 */
export async function removeOrphans(cluster: Cluster): Promise<number> {
  let removed = 0;
  for (const leaf of cluster.catalog.leaves()) {
    removed += await removeOrphansOn(cluster, leaf).catch(() => 0);
  }
  return removed;
}

async function removeOrphansOn(cluster: Cluster, leaf: LeafDef): Promise<number> {
  const api = await cluster.pool.get(leaf);
  let removed = 0;
  for (const partition of (await api.info()).partitions) {
    if (partition.ordinal < 0) continue;
    const database = cluster.catalog.database(partition.database);
    if (database === undefined) continue;
    const owner = database.placement[partition.ordinal];
    if (owner === undefined || owner === leaf.id) continue;
    await api.dropPartition(partition);
    removed += 1;
  }
  return removed;
}
