/**
 * Broadcast copies as Parquet over the leaf protocol: a partition query exported as Parquet
 * bytes (`exportBroadcastRows`) loads into a broadcast table on another leaf with its values
 * unchanged, including NUL and high bytes in BLOBs and NULLs; a bad export is a clear error, the
 * connection stays usable, and no file stays behind.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SqlError } from '../../src/errors.js';
import { BROADCAST_CATALOG, type LeafApi } from '../../src/leaf/api.js';
import { connectLeaf } from '../../src/leaf/client.js';
import { startLeaf, type LeafServer } from '../../src/leaf/server.js';
import { BROADCAST_FOLDER } from '../../src/storage/broadcast-store.js';

const P = { database: 'shop', ordinal: 0 };
const Q = { database: 'shop', ordinal: 1 };

describe('broadcast copies as Parquet over TCP', () => {
  let home: string;
  const servers: LeafServer[] = [];
  const clients: LeafApi[] = [];

  before(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'exo-bc-parquet-'));
    for (const name of ['source', 'target']) {
      const server = await startLeaf({
        dataDir: path.join(home, name),
        host: '127.0.0.1',
        port: 0,
        cores: 1,
      });
      servers.push(server);
      clients.push(await connectLeaf({ host: '127.0.0.1', port: server.port }));
    }
    const [source, target] = clients as [LeafApi, LeafApi];
    await source.createPartition(P);
    await target.createPartition(Q);
    await source.exec([
      {
        partition: P,
        engine: 'column',
        sql: 'CREATE TABLE c (id BIGINT, d DECIMAL(18,4), day DATE, s VARCHAR, b BLOB)',
      },
      {
        partition: P,
        engine: 'column',
        sql: "INSERT INTO c VALUES (1, -12345678901234.5678, DATE '1000-01-01', 'it''s 😀', '\\x00\\xFF\\x00'::BLOB), (2, NULL, NULL, NULL, NULL), (3, 0.0001, DATE '9999-12-31', '', ''::BLOB)",
      },
    ]);
  });

  after(async () => {
    for (const client of clients) await client.close();
    for (const server of servers) await server.close();
    await rm(home, { recursive: true, force: true });
  });

  it('moves rows between leaves as they are stored', async () => {
    const [source, target] = clients as [LeafApi, LeafApi];
    const sql = 'SELECT id, d, day, s, b FROM c WHERE id <> 4';
    const bytes = await source.exportBroadcastRows({ partition: P, sql });
    assert.ok(bytes.length > 0);
    const name = 'exo_bc_test_parquet';
    await target.createBroadcast({
      name,
      columns: [
        { name: 'id', engineType: 'BIGINT' },
        { name: 'd', engineType: 'DECIMAL(18,4)' },
        { name: 'day', engineType: 'DATE' },
        { name: 's', engineType: 'VARCHAR' },
        { name: 'b', engineType: 'BLOB' },
      ],
      rows: [],
      parquet: [bytes, bytes],
    });
    const read = async (api: LeafApi, partition: typeof P, table: string): Promise<unknown> =>
      (
        await api.exec([
          {
            partition,
            engine: 'column',
            sql: `SELECT id, CAST(d AS VARCHAR), CAST(day AS VARCHAR), s, hex(b) FROM ${table} ORDER BY id`,
          },
        ])
      )[0]?.rows;
    const copied = (await read(target, Q, `${BROADCAST_CATALOG}.main.${name}`)) as unknown[];
    const original = (await read(source, P, 'c')) as unknown[];
    // Two files of the same rows: each row twice.
    assert.deepEqual(
      copied,
      original.flatMap((row) => [row, row]),
    );
    await target.dropBroadcast(name);
  });

  it('refuses an export that is not a SELECT and stays usable', async () => {
    const [source] = clients as [LeafApi, LeafApi];
    await assert.rejects(
      source.exportBroadcastRows({ partition: P, sql: 'DELETE FROM c' }),
      (error: unknown) => error instanceof SqlError && error.errno === 1210,
    );
    await assert.rejects(
      source.exportBroadcastRows({ partition: P, sql: 'SELECT nothing FROM c' }),
      SqlError,
    );
    const rows = (await source.exec([{ partition: P, engine: 'column', sql: 'SELECT 1' }]))[0]
      ?.rows;
    assert.deepEqual(rows, [[1]]);
  });

  it('leaves no Parquet file behind', async () => {
    for (const name of ['source', 'target'])
      assert.deepEqual(await readdir(path.join(home, name, BROADCAST_FOLDER)), []);
  });
});
