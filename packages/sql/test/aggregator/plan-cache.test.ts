/**
 * Plans cached per prepared statement (aggregator/plan-cache.ts): a statement executed again
 * after DDL, USE, SET or a change of parameters must give the answer a fresh plan would give,
 * never a stale one. Real cluster (2 leaves, 8 partitions per database) through mysql2, whose
 * `execute()` prepares a text once per connection and re-executes that statement id.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function executeRows(
  db: Connection,
  sql: string,
  params: readonly (string | number | null)[],
): Promise<Record<string, unknown>[]> {
  const [rows] = await db.execute<RowDataPacket[]>(sql, params as (string | number | null)[]);
  return rows.map((row) => ({ ...row }));
}

/** Whether `read` returns something other than `initial` before the deadline. */
async function changesBefore(
  deadlineMs: number,
  read: () => Promise<unknown>,
  initial: unknown,
): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if ((await read()) !== initial) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe('plans cached per prepared statement', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let other: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    other = await cluster.connect();
    await db.query('CREATE DATABASE cache_a PARTITIONS 8; CREATE DATABASE cache_b PARTITIONS 8');
    await db.query('USE cache_a');
    await other.query('USE cache_a');
  });

  after(async () => {
    await db.end();
    await other.end();
    await cluster.close();
  });

  it('routes each execution by its parameters, to every partition', async () => {
    await db.query('CREATE ROWSTORE TABLE spread (id BIGINT PRIMARY KEY, v VARCHAR(20))');
    const values = Array.from({ length: 64 }, (_, index) => `(${index + 1}, 'v${index + 1}')`);
    await db.query(`INSERT INTO spread VALUES ${values.join(', ')}`);
    const sql = 'SELECT id, v FROM spread WHERE id = ?';
    for (let id = 1; id <= 64; id += 1)
      assert.deepEqual(await executeRows(db, sql, [id]), [{ id, v: `v${id}` }]);
    // A string is converted to the key's type before hashing, as rows were placed.
    assert.deepEqual(await executeRows(db, sql, ['17']), [{ id: 17, v: 'v17' }]);
    // NULL routes nowhere: the statement falls back to a full plan and finds nothing.
    assert.deepEqual(await executeRows(db, sql, [null]), []);
    assert.deepEqual(await executeRows(db, sql, [1000]), []);
    // Shapes the route template does not take still route through the planner.
    const list = 'SELECT id FROM spread WHERE id IN (?) ORDER BY id';
    assert.deepEqual(await executeRows(db, list, [9]), [{ id: 9 }]);
    const extra = 'SELECT id FROM spread WHERE v = ? AND id = ?';
    assert.deepEqual(await executeRows(db, extra, ['v5', 5]), [{ id: 5 }]);
    assert.deepEqual(await executeRows(db, extra, ['v6', 5]), []);
  });

  it('routes by a composite shard key given in any order', async () => {
    await db.query(
      'CREATE ROWSTORE TABLE pairs (a INT, b VARCHAR(10), n INT, PRIMARY KEY (a, b), SHARD KEY (a, b))',
    );
    const rows: string[] = [];
    for (let a = 1; a <= 6; a += 1)
      for (const b of ['x', 'y', 'z']) rows.push(`(${a}, '${b}', ${a * 10 + b.charCodeAt(0)})`);
    await db.query(`INSERT INTO pairs VALUES ${rows.join(', ')}`);
    for (let a = 1; a <= 6; a += 1) {
      for (const b of ['x', 'y', 'z']) {
        const n = a * 10 + b.charCodeAt(0);
        const forward = await executeRows(db, 'SELECT n FROM pairs WHERE a = ? AND b = ?', [a, b]);
        const backward = await executeRows(db, 'SELECT n FROM pairs p WHERE ? = p.b AND p.a = ?', [
          b,
          a,
        ]);
        assert.deepEqual(forward, [{ n }]);
        assert.deepEqual(backward, [{ n }]);
      }
    }
  });

  it('sees ALTER TABLE made by another session', async () => {
    await db.query('CREATE ROWSTORE TABLE altered (id INT PRIMARY KEY, v INT)');
    await db.query('INSERT INTO altered VALUES (1, 10), (2, 20)');
    const sql = 'SELECT * FROM altered WHERE id = ?';
    assert.deepEqual(await executeRows(db, sql, [1]), [{ id: 1, v: 10 }]);
    await other.query("ALTER TABLE altered ADD COLUMN w VARCHAR(10) DEFAULT 'new'");
    assert.deepEqual(await executeRows(db, sql, [2]), [{ id: 2, v: 20, w: 'new' }]);
    await other.query('ALTER TABLE altered DROP COLUMN v');
    assert.deepEqual(await executeRows(db, sql, [1]), [{ id: 1, w: 'new' }]);
  });

  it('sees a table dropped and created again, with another engine and other rows', async () => {
    await db.query('CREATE ROWSTORE TABLE recreated (id INT PRIMARY KEY, v VARCHAR(10))');
    await db.query("INSERT INTO recreated VALUES (1, 'old')");
    const sql = 'SELECT id, v FROM recreated WHERE id = ?';
    assert.deepEqual(await executeRows(db, sql, [1]), [{ id: 1, v: 'old' }]);
    await other.query('DROP TABLE recreated');
    await assert.rejects(executeRows(db, sql, [1]), { errno: 1146 });
    await other.query('CREATE TABLE recreated (id INT PRIMARY KEY, v VARCHAR(10))');
    await other.query("INSERT INTO recreated VALUES (1, 'columnar')");
    assert.deepEqual(await executeRows(db, sql, [1]), [{ id: 1, v: 'columnar' }]);
  });

  it('reads the current database after USE', async () => {
    await db.query('CREATE ROWSTORE TABLE cache_a.same (id INT PRIMARY KEY, v VARCHAR(10))');
    await db.query('CREATE ROWSTORE TABLE cache_b.same (id INT PRIMARY KEY, v VARCHAR(10))');
    await db.query(
      "INSERT INTO cache_a.same VALUES (1, 'in a'); INSERT INTO cache_b.same VALUES (1, 'in b')",
    );
    const sql = 'SELECT v FROM same WHERE id = ?';
    assert.deepEqual(await executeRows(db, sql, [1]), [{ v: 'in a' }]);
    await db.query('USE cache_b');
    assert.deepEqual(await executeRows(db, sql, [1]), [{ v: 'in b' }]);
    await db.query('USE cache_a');
    assert.deepEqual(await executeRows(db, sql, [1]), [{ v: 'in a' }]);
  });

  it('keeps answering after sql_mode changes', async () => {
    await db.query('CREATE ROWSTORE TABLE moded (id INT PRIMARY KEY, v INT)');
    await db.query('INSERT INTO moded VALUES (1, 7)');
    const sql = 'SELECT v + 1 AS w FROM moded WHERE id = ?';
    assert.deepEqual(await executeRows(db, sql, [1]), [{ w: 8 }]);
    await db.query("SET sql_mode = 'ANSI_QUOTES'");
    await db.query('UPDATE moded SET v = 8 WHERE id = 1');
    assert.deepEqual(await executeRows(db, sql, [1]), [{ w: 9 }]);
    await db.query('SET sql_mode = DEFAULT');
    assert.deepEqual(await executeRows(db, sql, [1]), [{ w: 9 }]);
  });

  it('never caches what depends on variables, the session or the clock', async () => {
    await db.query('CREATE ROWSTORE TABLE volatile (id INT PRIMARY KEY, v VARCHAR(40))');
    await db.query("INSERT INTO volatile VALUES (1, 'one')");
    await db.query('SET @x = 1');
    const variable = 'SELECT id, @x AS x FROM volatile WHERE id = ?';
    assert.deepEqual(await executeRows(db, variable, [1]), [{ id: 1, x: 1 }]);
    await db.query('SET @x = 2');
    assert.deepEqual(await executeRows(db, variable, [1]), [{ id: 1, x: 2 }]);

    const session = 'SELECT DATABASE() AS d, CONNECTION_ID() AS c FROM volatile WHERE id = ?';
    const [mine] = await executeRows(db, session, [1]);
    const [theirs] = await executeRows(other, session, [1]);
    assert.equal(mine?.['d'], 'cache_a');
    assert.notEqual(mine?.['c'], theirs?.['c']);

    // NOW() has one-second resolution here: execute until the second turns (a stale plan
    // would keep its first value until the deadline).
    const clock = 'SELECT NOW() AS t FROM volatile WHERE id = ?';
    const first = (await executeRows(db, clock, [1]))[0]?.['t'];
    assert.ok(
      await changesBefore(3000, async () => (await executeRows(db, clock, [1]))[0]?.['t'], first),
    );

    const upsert =
      'INSERT INTO volatile (id, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = CAST(NOW() AS CHAR)';
    const stamp = async (): Promise<unknown> => {
      await db.execute(upsert, [1, 'unused']);
      return (await executeRows(db, 'SELECT v FROM volatile WHERE id = ?', [1]))[0]?.['v'];
    };
    assert.ok(await changesBefore(3000, stamp, await stamp()));
  });

  it('runs cached upserts, and inside a transaction sees its own writes until rollback', async () => {
    await db.query('CREATE ROWSTORE TABLE kv (id BIGINT PRIMARY KEY, v VARCHAR(20), n INT)');
    await db.query("INSERT INTO kv VALUES (1, 'a', 0), (2, 'b', 0), (3, 'c', 0)");
    const upsert =
      'INSERT INTO kv (id, v, n) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE v = VALUES(v), n = n + 1';
    const select = 'SELECT v, n FROM kv WHERE id = ?';
    for (let round = 1; round <= 3; round += 1)
      for (let id = 1; id <= 4; id += 1) await db.execute(upsert, [id, `r${round}`]);
    assert.deepEqual(await executeRows(db, select, [1]), [{ v: 'r3', n: 3 }]);
    assert.deepEqual(await executeRows(db, select, [4]), [{ v: 'r3', n: 3 }]);

    await db.query('BEGIN');
    await db.execute(upsert, [2, 'inside']);
    await db.execute(upsert, [5, 'inside']);
    assert.deepEqual(await executeRows(db, select, [2]), [{ v: 'inside', n: 4 }]);
    assert.deepEqual(await executeRows(db, select, [5]), [{ v: 'inside', n: 1 }]);
    // Another session does not see uncommitted writes (READ COMMITTED).
    assert.deepEqual(await executeRows(other, select, [2]), [{ v: 'r3', n: 3 }]);
    await db.query('ROLLBACK');
    assert.deepEqual(await executeRows(db, select, [2]), [{ v: 'r3', n: 3 }]);
    assert.deepEqual(await executeRows(db, select, [5]), []);

    await db.query('START TRANSACTION');
    await db.execute(upsert, [3, 'kept']);
    await db.query('COMMIT');
    assert.deepEqual(await executeRows(other, select, [3]), [{ v: 'kept', n: 4 }]);
  });
});
