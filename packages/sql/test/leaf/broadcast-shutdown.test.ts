/**
 * Broadcast copies created at once on one leaf, and a leaf shutting down while its aggregator's
 * connection still owns copies: closing the connection drops them, and the leaf closes its
 * DuckDB connections only after those drops end. Before: copies created at once shared one
 * DuckDB connection and failed ("Attempting to execute an unsuccessful or closed pending query
 * result"), and closing that connection while a drop ran on it crashed (SIGSEGV) or hung the
 * leaf. Each round closes a leaf holding many copies, with drops in flight, and must finish; a
 * restarted leaf starts without them.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectLeaf } from '../../src/leaf/client.js';
import { startLeaf } from '../../src/leaf/server.js';

const COPIES = 100;
const ROUNDS = 3;

describe('a leaf shutting down with broadcast copies', () => {
  let home: string;

  before(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'exo-bc-shutdown-'));
  });

  after(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it(
    'creates copies at once, and closes while they are being dropped',
    { timeout: 120_000 },
    async () => {
      const dataDir = path.join(home, 'leaf');
      for (let round = 0; round < ROUNDS; round += 1) {
        const server = await startLeaf({ dataDir, host: '127.0.0.1', port: 0, cores: 1 });
        const client = await connectLeaf({ host: '127.0.0.1', port: server.port });
        try {
          assert.deepEqual(server.leaf.broadcastTables(), [], 'a restarted leaf has no copies');
          // At once, as concurrent statements copy their tables to one leaf.
          await Promise.all(
            Array.from({ length: COPIES }, (_, index) =>
              client.createBroadcast({
                name: `exo_bc_shutdown_${round}_${index}`,
                columns: [
                  { name: 'k', engineType: 'BIGINT' },
                  { name: 's', engineType: 'VARCHAR' },
                ],
                rows: Array.from({ length: 2_000 }, (_, row) => [row, `row ${row}`]),
              }),
            ),
          );
          assert.equal(server.leaf.broadcastTables().length, COPIES);
          // Half the copies are being dropped by request, the others by the connection's end,
          // when the leaf closes.
          const dropped = Promise.allSettled(
            server.leaf
              .broadcastTables()
              .slice(0, COPIES / 2)
              .map((name) => client.dropBroadcast(name)),
          );
          // One turn of the event loop: the drop requests reach the leaf before it closes.
          await new Promise((resolve) => setTimeout(resolve, 0));
          await server.close();
          await dropped;
          assert.deepEqual(server.leaf.broadcastTables(), []);
        } finally {
          await client.close();
          await server.close();
        }
      }
    },
  );
});
