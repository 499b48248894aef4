/**
 * Point reads of rowstore partitions on a leaf of this host, without the leaf hop. A leaf
 * reports its data folder and the token it wrote there when it opened (`Leaf.info`); when
 * this process finds the same token in that folder it shares the leaf's files, and an
 * autocommit point lookup (`SqliteReader`) reads the partition's SQLite file directly. SQLite
 * in WAL mode shows such a reader every committed transaction and nothing uncommitted: the
 * answer is the one the leaf would give outside a transaction (READ COMMITTED).
 *
 * A read goes to the leaf instead whenever the files might not hold every acknowledged write
 * or the placement may be stale: the leaf's connection is not open (it may be restarting and
 * recovering), it reconnected since it was checked (a new process: checked again), a commit
 * decision is still unconfirmed there (`Coordinator.commitPendingOn`), the catalog changed
 * since the file was opened (a dropped, re-created or moved partition: every file is closed),
 * or the reader failed in any way (the leaf then answers, or reports the error itself).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LeafDef } from '../catalog/types.js';
import { LEAF_TOKEN_FILE, type ExecResult } from '../leaf/api.js';
import type { StatementInput } from '../storage/exec-types.js';
import { partitionDirectory, ROWSTORE_FILE } from '../storage/names.js';
import { SqliteReader } from '../storage/sqlite-reader.js';
import type { PartitionTarget } from './cluster.js';
import type { LeafPool } from './leaf-pool.js';

const RETRY_AFTER_FAILURE_MS = 1_000;

/** What is known about a leaf's files, for one of its client's connections. */
interface LeafFiles {
  readonly generation: number;
  /** The leaf's data folder when it is on this host; undefined when it is not (or unknown). */
  readonly dataDir: string | undefined;
}

export interface LocalReadsOptions {
  readonly pool: LeafPool;
  /** Whether a commit decision may be unconfirmed on the leaf. */
  readonly commitPending: (leafId: string) => boolean;
  /** The catalog version now (placement changes move it). */
  readonly catalogVersion: () => number;
}

export class LocalReads {
  /** Point reads answered here since start (SHOW STATUS `Exo_local_reads`). */
  count = 0;
  private readonly leaves = new Map<string, LeafFiles>();
  private readonly probing = new Set<string>();
  /** Open readers by file; a file that failed is not tried again before `retryAtMs`. */
  private readonly readers = new Map<string, SqliteReader | { readonly retryAtMs: number }>();
  private readersVersion = -1;

  constructor(private readonly options: LocalReadsOptions) {}

  /** The statement's result read from the partition file, or undefined: ask the leaf. */
  read(target: PartitionTarget, input: StatementInput): ExecResult | undefined {
    const dataDir = this.localFolder(target.leaf);
    if (dataDir === undefined) return undefined;
    const file = path.join(partitionDirectory(dataDir, target.partition), ROWSTORE_FILE);
    const reader = this.reader(file);
    if (reader === undefined) return undefined;
    try {
      const outcome = reader.pointRead(input);
      if (outcome === undefined) return undefined;
      this.count += 1;
      return outcome.result;
    } catch {
      // A busy or recovering file, a schema read mid-change, an engine error: the leaf answers.
      this.fail(file);
      return undefined;
    }
  }

  close(): void {
    for (const file of [...this.readers.keys()]) this.closeReader(file);
    this.leaves.clear();
  }

  /** The leaf's data folder when its files may be read here now. */
  private localFolder(leaf: LeafDef): string | undefined {
    const client = this.options.pool.ready(leaf);
    if (client === undefined || !client.isConnected()) return undefined;
    const known = this.leaves.get(leaf.id);
    if (known === undefined || known.generation !== client.generation) {
      this.probe(leaf, client.generation);
      return undefined;
    }
    if (known.dataDir === undefined || this.options.commitPending(leaf.id)) return undefined;
    return known.dataDir;
  }

  /** Asks the leaf where its files are and checks its token there (in the background). */
  private probe(leaf: LeafDef, generation: number): void {
    if (this.probing.has(leaf.id)) return;
    this.probing.add(leaf.id);
    void (async () => {
      let dataDir: string | undefined;
      try {
        const info = await (await this.options.pool.get(leaf)).info();
        if (info.dataDir !== undefined && info.token !== undefined && info.token !== '') {
          const found = await readFile(path.join(info.dataDir, LEAF_TOKEN_FILE), 'utf8');
          if (found === info.token) dataDir = info.dataDir;
        }
      } catch {
        // Not readable from here, or the leaf went away: not local for this connection.
      }
      this.leaves.set(leaf.id, { generation, dataDir });
      this.probing.delete(leaf.id);
    })();
  }

  private reader(file: string): SqliteReader | undefined {
    const version = this.options.catalogVersion();
    if (version !== this.readersVersion) {
      for (const open of [...this.readers.keys()]) this.closeReader(open);
      this.readersVersion = version;
    }
    const known = this.readers.get(file);
    if (known instanceof SqliteReader) return known;
    if (known !== undefined && Date.now() < known.retryAtMs) return undefined;
    try {
      const reader = SqliteReader.open(file);
      this.readers.set(file, reader);
      return reader;
    } catch {
      this.fail(file);
      return undefined;
    }
  }

  /** Closes the file's reader; the leaf answers its reads for a while. */
  private fail(file: string): void {
    this.closeReader(file);
    this.readers.set(file, { retryAtMs: Date.now() + RETRY_AFTER_FAILURE_MS });
  }

  private closeReader(file: string): void {
    const reader = this.readers.get(file);
    this.readers.delete(file);
    if (!(reader instanceof SqliteReader)) return;
    try {
      reader.close();
    } catch {
      // Already closed.
    }
  }
}
