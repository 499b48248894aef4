/**
 * Which leaves run on this host, with files this process may use directly. A leaf reports its
 * data folder and the token it wrote there when it opened (`Leaf.info`); when this process
 * finds the same token in that folder, it shares the leaf's files (`local-reads.ts`,
 * `local-writes.ts`).
 *
 * What is known holds for one connection to the leaf (`LeafClient.generation`): while that
 * connection is open the same leaf process serves the files; a new connection may reach a
 * restarted leaf (checked again, in the background). Files are never used while a commit
 * decision may be unconfirmed on the leaf (`Coordinator.commitPendingOn`): they may lack an
 * acknowledged write.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LeafDef } from '../catalog/types.js';
import { LEAF_TOKEN_FILE } from '../leaf/api.js';
import { partitionDirectory, ROWSTORE_FILE } from '../storage/names.js';
import { fenceOf } from '../storage/write-fence.js';
import type { PartitionTarget } from './cluster.js';
import type { LeafPool } from './leaf-pool.js';

/** A leaf with in-doubt transactions at its check is checked again this often. */
const IN_DOUBT_RECHECK_MS = 1_000;
/** Partition file paths kept (dropped databases leave theirs until the next clearing). */
const FILE_PATHS_MAX = 10_000;

export interface LocalLeaf {
  readonly dataDir: string;
  /** The write fence its rowstore files hold while it serves them (`write-fence.ts`). */
  readonly fence: number;
  /**
   * Whether it had no in-doubt transaction when checked: one left by an earlier aggregator
   * process is redone if the leaf restarts, so its files are only read until it is resolved.
   */
  readonly settled: boolean;
}

/** What is known about a leaf, for one of its client's connections. */
interface Known {
  readonly generation: number;
  /** Undefined when the leaf is not on this host (or could not be checked). */
  readonly local: LocalLeaf | undefined;
  readonly checkedAtMs: number;
}

export interface LocalLeavesOptions {
  readonly pool: LeafPool;
  /** Whether a commit decision may be unconfirmed on the leaf. */
  readonly commitPending: (leafId: string) => boolean;
}

export class LocalLeaves {
  private readonly known = new Map<string, Known>();
  private readonly probing = new Set<string>();
  /** Rowstore file paths by data folder, database and ordinal (`file`). */
  private readonly files = new Map<string, string>();

  constructor(private readonly options: LocalLeavesOptions) {}

  /** The leaf's files when they may be used here now; undefined: ask the leaf. */
  local(leaf: LeafDef): LocalLeaf | undefined {
    const client = this.options.pool.ready(leaf);
    if (client === undefined || !client.isConnected()) return undefined;
    const known = this.known.get(leaf.id);
    if (known === undefined || known.generation !== client.generation) {
      this.probe(leaf, client.generation);
      return undefined;
    }
    const { local } = known;
    if (local === undefined || this.options.commitPending(leaf.id)) return undefined;
    if (!local.settled && Date.now() - known.checkedAtMs >= IN_DOUBT_RECHECK_MS)
      this.probe(leaf, client.generation);
    return local;
  }

  /** The rowstore file of a partition of a local leaf (paths kept: every point read asks). */
  file(local: LocalLeaf, target: PartitionTarget): string {
    const key = `${local.dataDir}\0${target.partition.database}\0${target.partition.ordinal}`;
    let file = this.files.get(key);
    if (file === undefined) {
      if (this.files.size >= FILE_PATHS_MAX) this.files.clear();
      file = path.join(partitionDirectory(local.dataDir, target.partition), ROWSTORE_FILE);
      this.files.set(key, file);
    }
    return file;
  }

  clear(): void {
    this.known.clear();
    this.files.clear();
  }

  /** Asks the leaf where its files are and checks its token there (in the background). */
  private probe(leaf: LeafDef, generation: number): void {
    if (this.probing.has(leaf.id)) return;
    this.probing.add(leaf.id);
    void (async () => {
      let local: LocalLeaf | undefined;
      try {
        const client = await this.options.pool.get(leaf);
        const info = await client.info();
        if (info.dataDir !== undefined && info.token !== undefined && info.token !== '') {
          const found = await readFile(path.join(info.dataDir, LEAF_TOKEN_FILE), 'utf8');
          if (found === info.token) {
            const inDoubt = await client.inDoubt();
            local = {
              dataDir: info.dataDir,
              fence: fenceOf(info.token),
              settled: inDoubt.length === 0,
            };
          }
        }
      } catch {
        // Not readable from here, or the leaf went away: not local for this connection.
      }
      this.known.set(leaf.id, { generation, local, checkedAtMs: Date.now() });
      this.probing.delete(leaf.id);
    })();
  }
}
