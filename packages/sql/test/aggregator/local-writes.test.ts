/**
 * Autocommit point writes of rowstore tables committed by the aggregator to the partition files
 * of a leaf on the same host (aggregator/local-writes.ts): clients must see exactly what the
 * leaf path gives — MySQL's affected-row counts, the same errors, the leaf's lock waits — and
 * the path steps aside while a transaction of this aggregator wrote on the leaf.
 * `Exo_local_writes` (SHOW STATUS) counts the writes committed to the files. Real cluster (leaves
 * in this process, their files in a temporary folder) through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function localWrites(db: Connection): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>("SHOW STATUS LIKE 'Exo_local_writes'");
  return Number(rows[0]?.Value);
}

async function localStatus(db: Connection): Promise<{ writes: number; groups: number }> {
  const [rows] = await db.query<RowDataPacket[]>("SHOW STATUS LIKE 'Exo_local_write%'");
  const value = (name: string): number =>
    Number(rows.find((row) => row.Variable_name === name)?.Value);
  return { writes: value('Exo_local_writes'), groups: value('Exo_local_write_groups') };
}

async function valueOf(db: Connection, id: number, table = 'kv'): Promise<unknown> {
  // A range read goes to the leaf (local-reads.ts serves only point reads).
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT v FROM ${table} WHERE id BETWEEN ? AND ?`,
    [id, id],
  );
  return rows[0]?.v;
}

/** Writes until the aggregator has found the leaves' files (it checks them in the background). */
async function warmUp(db: Connection, table = 'kv'): Promise<void> {
  const end = Date.now() + 5_000;
  while (Date.now() < end) {
    const before = await localWrites(db);
    for (let id = 1; id <= 8; id += 1)
      await db.execute(`UPDATE ${table} SET n = n WHERE id = ?`, [id]);
    if ((await localWrites(db)) >= before + 8) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail('writes never went to the partition files');
}

async function fill(db: Connection, table: string): Promise<void> {
  await db.query(
    `CREATE ROWSTORE TABLE ${table} (id BIGINT PRIMARY KEY, v VARCHAR(20), n INT NOT NULL DEFAULT 0)`,
  );
  const rows = Array.from({ length: 8 }, (_, index) => `(${index + 1}, 'v${index + 1}', 0)`);
  await db.query(`INSERT INTO ${table} VALUES ${rows.join(', ')}`);
}

describe('autocommit writes to the partition files of leaves on this host', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let other: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2, lockWaitTimeoutMs: 300 });
    db = await cluster.connect();
    other = await cluster.connect();
    await db.query('CREATE DATABASE lw PARTITIONS 4; USE lw');
    await other.query('USE lw');
    await fill(db, 'kv');
    await warmUp(db);
  });

  after(async () => {
    await db.end();
    await other.end();
    await cluster.close();
  });

  it('counts affected rows as MySQL does, and the leaf sees every write at once', async () => {
    const count = await localWrites(db);
    const upsert = 'INSERT INTO kv (id, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)';
    const affected = async (sql: string, params: (string | number)[]): Promise<number> =>
      (await db.execute<ResultSetHeader>(sql, params))[0].affectedRows;
    assert.equal(await affected(upsert, [20, 'new']), 1);
    assert.equal(await affected(upsert, [20, 'changed']), 2);
    // Unchanged: 0, but mysql2 sets CLIENT_FOUND_ROWS, which counts the row found (1).
    assert.equal(await affected(upsert, [20, 'changed']), 1);
    assert.equal(await valueOf(other, 20), 'changed');
    assert.equal(await affected('INSERT INTO kv (id, v) VALUES (?, ?)', [21, 'plain']), 1);
    assert.equal(await valueOf(other, 21), 'plain');
    assert.equal(await affected('UPDATE kv SET v = ?, n = n + 1 WHERE id = ?', ['up', 21]), 1);
    assert.equal(await valueOf(other, 21), 'up');
    assert.equal(await affected('DELETE FROM kv WHERE id = ?', [21]), 1);
    assert.equal(await valueOf(other, 21), undefined);
    assert.ok((await localWrites(db)) >= count + 6, 'the writes were committed to the files');
  });

  it('reports the errors the leaf reports, and changes nothing', async () => {
    const count = await localWrites(db);
    await assert.rejects(db.execute('INSERT INTO kv (id, v) VALUES (?, ?)', [1, 'again']), {
      errno: 1062,
      message: "Duplicate entry '1' for key 'PRIMARY'",
    });
    await assert.rejects(db.execute('UPDATE kv SET n = NULL WHERE id = ?', [2]), {
      errno: 1048,
    });
    assert.equal(await valueOf(other, 1), 'v1');
    assert.equal(await localWrites(db), count, 'failed writes are not counted');
    await db.execute('UPDATE kv SET v = ? WHERE id = ?', ['after', 2]);
    assert.equal(await valueOf(other, 2), 'after');
  });

  it('commits the writes of connections running at once together, each with its own answer', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => cluster.connect('lw')));
    try {
      const before = await localStatus(db);
      const rounds = 25;
      const duplicates: unknown[] = [];
      for (let round = 0; round < rounds; round += 1) {
        await Promise.all([
          ...clients.map(async (client, index) => {
            const [result] = await client.execute<ResultSetHeader>(
              'INSERT INTO kv (id, v, n) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE n = n + 1',
              [100 + index, `c${index}`],
            );
            assert.equal(result.affectedRows, round === 0 ? 1 : 2);
          }),
          // A duplicate key among them fails alone: the others' writes stay.
          db
            .execute('INSERT INTO kv (id, v) VALUES (?, ?)', [1, 'dup'])
            .catch((error: unknown) => duplicates.push((error as { errno?: number }).errno)),
        ]);
      }
      assert.deepEqual(duplicates, new Array(rounds).fill(1062));
      const [rows] = await db.query<RowDataPacket[]>(
        'SELECT id, n FROM kv WHERE id BETWEEN 100 AND 107 ORDER BY id',
      );
      assert.deepEqual(
        rows.map((row) => [Number(row.id), Number(row.n)]),
        clients.map((_, index) => [100 + index, rounds]),
      );
      assert.equal(await valueOf(other, 1), 'v1');
      const after = await localStatus(db);
      assert.ok(after.writes - before.writes >= clients.length * rounds);
      assert.ok(
        after.groups - before.groups < after.writes - before.writes,
        `writes asked for together share transactions: ${JSON.stringify({ before, after })}`,
      );
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it('waits for a row another transaction holds, as the leaf makes it wait', async () => {
    await other.query('BEGIN');
    await other.execute('UPDATE kv SET v = ? WHERE id = ?', ['held', 3]);
    await assert.rejects(db.execute('UPDATE kv SET v = ? WHERE id = ?', ['waiting', 3]), {
      errno: 1205,
    });
    await other.query('COMMIT');
    assert.equal(await valueOf(db, 3), 'held');
  });

  it('writes through the leaf while it is down, and to its files again once it is back', async () => {
    await cluster.leaves[0]?.close();
    let failed = 0;
    for (let id = 1; id <= 8; id += 1) {
      try {
        await db.execute('UPDATE kv SET n = n + 1 WHERE id = ?', [id]);
      } catch (error) {
        assert.match((error as Error).message, /not reachable|unavailable|closed/i);
        failed += 1;
      }
    }
    assert.ok(failed > 0, 'writes to the stopped leaf partitions failed');
    await cluster.restartLeaf(0);
    await warmUp(db);
    const [rows] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM kv WHERE id <= 8');
    assert.equal(Number(rows[0]?.n), 8);
  });
});

describe('local writes while a transaction of this aggregator wrote on the leaf', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let other: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    other = await cluster.connect();
    await db.query('CREATE DATABASE lw PARTITIONS 2; CREATE DATABASE lw2 PARTITIONS 2; USE lw');
    await other.query('USE lw');
    await fill(db, 'kv');
    await fill(db, 'lw2.kv');
    await warmUp(db);
  });

  after(async () => {
    await db.end();
    await other.end();
    await cluster.close();
  });

  it('leaves a leaf to itself while a transaction of this aggregator wrote there', async () => {
    await other.query('BEGIN');
    await other.execute('UPDATE kv SET v = ? WHERE id = ?', ['open', 4]);
    // Another database (other partition files) on the same leaf: not locked, but while the
    // transaction may be redone by a leaf restart its writes go through the leaf.
    let count = await localWrites(db);
    for (let id = 1; id <= 8; id += 1)
      await db.execute('UPDATE lw2.kv SET v = ? WHERE id = ?', ['during', id]);
    assert.equal(await localWrites(db), count);
    await other.query('ROLLBACK');
    count = await localWrites(db);
    for (let id = 1; id <= 8; id += 1)
      await db.execute('UPDATE lw2.kv SET v = ? WHERE id = ?', ['later', id]);
    assert.equal(await localWrites(db), count + 8);
    for (let id = 1; id <= 8; id += 1) assert.equal(await valueOf(other, id, 'lw2.kv'), 'later');
    assert.equal(await valueOf(other, 4), 'v4');
  });
});

describe('an aggregator with local writes turned off', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ localWrites: false });
    db = await cluster.connect();
    await db.query('CREATE DATABASE lw_off; USE lw_off');
    await fill(db, 'kv');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('sends every write to the leaf', async () => {
    for (let round = 0; round < 10; round += 1)
      await db.execute('UPDATE kv SET n = n + 1 WHERE id = ?', [1]);
    const [rows] = await db.query<RowDataPacket[]>('SELECT n FROM kv WHERE id = 1');
    assert.equal(Number(rows[0]?.n), 10);
    assert.equal(await localWrites(db), 0);
  });
});
