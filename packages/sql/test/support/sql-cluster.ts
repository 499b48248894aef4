/**
 * A real data plane for tests: leaves and an aggregator in this process, on port 0, with
 * their files in a temporary folder that `close()` removes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import {
  startAggregator,
  startLeaf,
  type LeafServer,
  type RunningAggregator,
} from '../../src/index.js';
import type { BroadcastRequest } from '../../src/leaf/api.js';

export interface SqlCluster {
  readonly port: number;
  readonly home: string;
  readonly leaves: LeafServer[];
  aggregator: RunningAggregator;
  connect(database?: string): Promise<Connection>;
  /** A connection that returns every value as the text the server sent (NULL as null). */
  connectAsText(): Promise<Connection>;
  /**
   * Restarts the aggregator on the same home (and the same port); `stopped` runs while it is
   * down (to change its files).
   */
  restartAggregator(stopped?: () => Promise<void>): Promise<void>;
  /** Restarts a leaf on its data folder and port. */
  restartLeaf(index: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSqlCluster(
  options: {
    leaves?: number;
    lockWaitTimeoutMs?: number;
    localReads?: boolean;
    localWrites?: boolean;
  } = {},
): Promise<SqlCluster> {
  const home = await mkdtemp(join(tmpdir(), 'exo-sql-'));
  const leaves: LeafServer[] = [];
  const leafAt = (index: number, port: number): Promise<LeafServer> =>
    startLeaf({
      dataDir: join(home, `leaf${index}`),
      host: '127.0.0.1',
      port,
      lockWaitTimeoutMs: options.lockWaitTimeoutMs ?? 2000,
    });
  for (let index = 0; index < (options.leaves ?? 1); index += 1)
    leaves.push(await leafAt(index, 0));
  const start = (port: number): Promise<RunningAggregator> =>
    startAggregator({
      home: join(home, 'aggregator'),
      port,
      singleNode: true,
      leaves: leaves.map((leaf) => ({ host: '127.0.0.1', port: leaf.port })),
      ...(options.localReads !== undefined ? { localReads: options.localReads } : {}),
      ...(options.localWrites !== undefined ? { localWrites: options.localWrites } : {}),
    });
  const cluster: SqlCluster = {
    home,
    leaves,
    aggregator: await start(0),
    get port() {
      return this.aggregator.port;
    },
    connect: (database) =>
      createConnection({
        host: '127.0.0.1',
        port: cluster.aggregator.port,
        user: 'root',
        ...(database !== undefined ? { database } : {}),
        multipleStatements: true,
        supportBigNumbers: true,
        dateStrings: true,
        decimalNumbers: false,
      }),
    connectAsText: () =>
      createConnection({
        host: '127.0.0.1',
        port: cluster.aggregator.port,
        user: 'root',
        typeCast: (field) => field.string('utf8'),
      }),
    restartAggregator: async (stopped) => {
      const port = cluster.aggregator.port;
      await cluster.aggregator.close();
      await stopped?.();
      cluster.aggregator = await start(port);
    },
    restartLeaf: async (index) => {
      const leaf = leaves[index];
      if (leaf === undefined) throw new Error(`no leaf ${index}`);
      await leaf.close();
      leaves[index] = await leafAt(index, leaf.port);
    },
    close: async () => {
      await cluster.aggregator.close();
      for (const leaf of leaves) await leaf.close();
      await rm(home, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** Calls `record` with each broadcast copy a leaf of `cluster` is asked to create. */
export function onBroadcastCopy(
  cluster: SqlCluster,
  record: (request: BroadcastRequest) => void,
): void {
  for (const server of cluster.leaves) {
    const leaf = server.leaf;
    const create = leaf.createBroadcast.bind(leaf);
    leaf.createBroadcast = (request) => {
      record(request);
      return create(request);
    };
  }
}
