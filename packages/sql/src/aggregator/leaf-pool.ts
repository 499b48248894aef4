/**
 * Connections from the aggregator to its leaves, one multiplexed client per leaf, opened on
 * first use and reopened after a failure; `onConnect` runs on every new connection before
 * it serves anything else. A leaf that cannot be reached fails the statement
 * with ER_LEAF_UNAVAILABLE; it is never silently skipped, because a missing partition would
 * make results wrong.
 */
import { sqlError } from '../errors.js';
import type { LeafApi } from '../leaf/api.js';
import { connectLeaf } from '../leaf/index.js';
import type { LeafClient, RecoveryApi } from '../leaf/client.js';
import type { LeafDef } from '../catalog/types.js';

export class LeafPool {
  private readonly clients = new Map<string, Promise<LeafClient>>();
  /** Clients whose connection is open, for callers that need no promise hop (`ready`). */
  private readonly opened = new Map<string, LeafClient>();

  constructor(
    private readonly options: {
      timeoutMs: number;
      onConnect?: (leaf: LeafDef, api: RecoveryApi) => Promise<void>;
      /** A reconnect's `onConnect` failed (the next reconnect tries again). */
      onError?: (leaf: LeafDef, error: unknown) => void;
    },
  ) {}

  /** The leaf's client when it is already connected; undefined means use `get`. */
  ready(leaf: LeafDef): LeafClient | undefined {
    return this.opened.get(leaf.id);
  }

  async get(leaf: LeafDef): Promise<LeafApi> {
    let client = this.clients.get(leaf.id);
    if (client === undefined) {
      client = this.open(leaf);
      this.clients.set(leaf.id, client);
    }
    try {
      return await client;
    } catch (error) {
      this.clients.delete(leaf.id);
      this.opened.delete(leaf.id);
      throw sqlError(
        'LEAF_UNAVAILABLE',
        `Leaf ${leaf.host}:${leaf.port} is not reachable: ${(error as Error).message}`,
      );
    }
  }

  private async open(leaf: LeafDef): Promise<LeafClient> {
    const onConnect = this.options.onConnect;
    const api = await connectLeaf({
      host: leaf.host,
      port: leaf.port,
      timeoutMs: this.options.timeoutMs,
      // A leaf that restarted since holds its prepared transactions in doubt (and their
      // locks) until they are resolved: done before the new connection serves anything.
      ...(onConnect !== undefined
        ? {
            onReconnect: (recovery: RecoveryApi) => onConnect(leaf, recovery),
            onReconnectError: (error: unknown) => this.options.onError?.(leaf, error),
          }
        : {}),
    });
    if (this.options.onConnect !== undefined) await this.options.onConnect(leaf, api);
    // Only a client still registered for this leaf becomes ready (not one forgotten meanwhile).
    if (this.clients.has(leaf.id)) this.opened.set(leaf.id, api);
    return api;
  }

  /** Forgets a client after a connection error, so the next call reconnects. */
  forget(leafId: string): void {
    const client = this.clients.get(leafId);
    this.clients.delete(leafId);
    this.opened.delete(leafId);
    void client?.then((api) => api.close()).catch(() => undefined);
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    this.opened.clear();
    await Promise.all(
      clients.map((client) => client.then((api) => api.close()).catch(() => undefined)),
    );
  }
}
