/**
 * Point reads of rowstore tables answered from the partition files of a leaf on the same host
 * (aggregator/local-reads.ts, aggregator/point-read.ts): the answer must always be the one the
 * leaf would give — the latest commit, the transaction's own writes inside a transaction, an
 * error rather than old rows when the leaf is down, the new table after DROP/CREATE DATABASE.
 * `Exo_local_reads` (SHOW STATUS) counts the reads answered from the files. Real cluster (two
 * leaves in this process, their files in a temporary folder) through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function localReads(db: Connection): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>("SHOW STATUS LIKE 'Exo_local_reads'");
  return Number(rows[0]?.Value);
}

async function valueOf(db: Connection, id: number): Promise<unknown> {
  const [rows] = await db.execute<RowDataPacket[]>('SELECT v FROM kv WHERE id = ?', [id]);
  return rows[0]?.v;
}

/** Reads until the aggregator has found the leaves' files (it checks them in the background). */
async function warmUp(db: Connection): Promise<void> {
  const end = Date.now() + 5_000;
  while (Date.now() < end) {
    const before = await localReads(db);
    for (let id = 1; id <= 8; id += 1) await valueOf(db, id);
    if ((await localReads(db)) >= before + 8) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail('point reads never came from the partition files');
}

describe('point reads from the partition files of leaves on this host', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let other: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    other = await cluster.connect();
    await db.query('CREATE DATABASE lr PARTITIONS 4; USE lr');
    await other.query('USE lr');
    await db.query('CREATE ROWSTORE TABLE kv (id BIGINT PRIMARY KEY, k INT, v VARCHAR(20))');
    const rows = Array.from(
      { length: 8 },
      (_, index) => `(${index + 1}, ${index % 2}, 'v${index + 1}')`,
    );
    await db.query(`INSERT INTO kv VALUES ${rows.join(', ')}`);
    await warmUp(db);
  });

  after(async () => {
    await db.end();
    await other.end();
    await cluster.close();
  });

  it('answers every committed write at once, prepared and as text', async () => {
    for (let round = 0; round < 20; round += 1) {
      const id = (round % 8) + 1;
      await other.execute('UPDATE kv SET v = ? WHERE id = ?', [`r${round}`, id]);
      const count = await localReads(db);
      assert.equal(await valueOf(db, id), `r${round}`);
      const [text] = await db.query<RowDataPacket[]>(`SELECT v FROM kv WHERE id = ${id}`);
      assert.equal(text[0]?.v, `r${round}`);
      assert.ok((await localReads(db)) >= count + 1, 'the prepared read came from the file');
    }
  });

  it('sends what is not a point read, and reads inside a transaction, to the leaf', async () => {
    const count = await localReads(db);
    const [range] = await db.execute<RowDataPacket[]>('SELECT id FROM kv WHERE id > ?', [6]);
    assert.deepEqual(
      range.map((row) => row.id as number).sort((a, b) => a - b),
      [7, 8],
    );
    const [byValue] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM kv WHERE k = 1');
    assert.equal(Number(byValue[0]?.n), 4);
    await db.query('BEGIN');
    await db.execute('UPDATE kv SET v = ? WHERE id = ?', ['mine', 3]);
    assert.equal(await valueOf(db, 3), 'mine');
    assert.equal(await localReads(db), count, 'none of these came from the files');
    assert.notEqual(await valueOf(other, 3), 'mine');
    await db.query('ROLLBACK');
    assert.notEqual(await valueOf(db, 3), 'mine');
  });

  it('does not read around a leaf that is down, and reads its files again once it is back', async () => {
    const ids = [1, 2, 3, 4, 5, 6, 7, 8];
    await cluster.leaves[0]?.close();
    let failed = 0;
    for (const id of ids) {
      try {
        await valueOf(db, id);
      } catch (error) {
        assert.match((error as Error).message, /not reachable|unavailable|closed/i);
        failed += 1;
      }
    }
    assert.ok(failed > 0, 'reads of the stopped leaf partitions failed');
    await cluster.restartLeaf(0);
    const before = await localReads(db);
    await warmUp(db);
    for (const id of ids) assert.match(String(await valueOf(db, id)), /^(v|r)\d+$/);
    assert.ok((await localReads(db)) > before);
  });

  it('reads the new table after DROP and CREATE DATABASE with the same name', async () => {
    await db.query('DROP DATABASE lr; CREATE DATABASE lr PARTITIONS 4; USE lr');
    await other.query('USE lr');
    await db.query('CREATE ROWSTORE TABLE kv (id BIGINT PRIMARY KEY, k INT, v VARCHAR(20))');
    const rows = Array.from({ length: 8 }, (_, index) => `(${index + 1}, 0, 'new${index + 1}')`);
    await db.query(`INSERT INTO kv VALUES ${rows.join(', ')}`);
    await warmUp(db);
    for (let id = 1; id <= 8; id += 1) assert.equal(await valueOf(other, id), `new${id}`);
  });
});

describe('an aggregator with local reads turned off', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ localReads: false });
    db = await cluster.connect();
    await db.query('CREATE DATABASE lr_off; USE lr_off');
    await db.query('CREATE ROWSTORE TABLE kv (id BIGINT PRIMARY KEY, k INT, v VARCHAR(20))');
    await db.query("INSERT INTO kv VALUES (1, 0, 'one'), (2, 0, 'two')");
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('sends every point read to the leaf', async () => {
    for (let round = 0; round < 10; round += 1) assert.equal(await valueOf(db, 1), 'one');
    assert.equal(await localReads(db), 0);
  });
});
