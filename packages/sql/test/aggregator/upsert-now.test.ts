/**
 * The short path of kept single-row upserts (aggregator/upsert-now.ts): a prepared
 * INSERT … ON DUPLICATE KEY UPDATE of one row is written to the local partition file without
 * the general statement path, and must answer exactly as that path does — MySQL's affected
 * rows with and without CLIENT_FOUND_ROWS, ROW_COUNT(), the same errors, privileges and
 * read-only checks at every execution — or step aside. `Exo_local_upserts` (SHOW STATUS)
 * counts the upserts it wrote. Real cluster (leaves in this process, their files in a
 * temporary folder) through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import mysql, { type Connection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const UPSERT =
  'INSERT INTO kv (id, v, n) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE v = VALUES(v), n = n + 1';

async function status(db: Connection, name: string): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>(`SHOW STATUS LIKE '${name}'`);
  return Number(rows[0]?.Value);
}

async function rowOf(db: Connection, id: number, table = 'kv'): Promise<unknown[] | undefined> {
  // A range read goes to the leaf, which sees what the files hold.
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT v, n FROM ${table} WHERE id BETWEEN ? AND ?`,
    [id, id],
  );
  const row = rows[0];
  return row === undefined ? undefined : [row.v, Number(row.n)];
}

async function affected(db: Connection, params: (string | number)[]): Promise<number> {
  return (await db.execute<ResultSetHeader>(UPSERT, params))[0].affectedRows;
}

/** Upserts until the aggregator has found the leaves' files (it checks them in the background). */
async function warmUp(db: Connection): Promise<void> {
  const end = Date.now() + 5_000;
  while (Date.now() < end) {
    const before = await status(db, 'Exo_local_upserts');
    for (let id = 1; id <= 8; id += 1) await affected(db, [id, `w${id}`]);
    if ((await status(db, 'Exo_local_upserts')) >= before + 8) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail('upserts never took the short path');
}

describe('kept single-row upserts written to local partition files', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let other: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2, lockWaitTimeoutMs: 300 });
    db = await cluster.connect();
    other = await cluster.connect();
    await db.query('CREATE DATABASE un PARTITIONS 4; USE un');
    await other.query('USE un');
    await db.query(
      'CREATE ROWSTORE TABLE kv (id BIGINT PRIMARY KEY, v VARCHAR(8), n INT NOT NULL, CHECK (n < 100))',
    );
    await warmUp(db);
  });

  after(async () => {
    await db.end();
    await other.end();
    await cluster.close();
  });

  it('answers affected rows and ROW_COUNT() as MySQL does, with and without CLIENT_FOUND_ROWS', async () => {
    const plain = await mysql.createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'root',
      database: 'un',
      flags: ['-FOUND_ROWS'],
    });
    try {
      const before = await status(db, 'Exo_local_upserts');
      const rowCount = async (connection: Connection): Promise<number> => {
        const [rows] = await connection.query<RowDataPacket[]>('SELECT ROW_COUNT() AS c');
        return Number(rows[0]?.c);
      };
      // Inserted 1, changed 2, met and left as it was 0 (CLIENT_FOUND_ROWS: 1, the row found).
      assert.equal(await affected(db, [40, 'a']), 1);
      assert.equal(await rowCount(db), 1);
      assert.equal(await affected(db, [40, 'b']), 2);
      assert.equal(await rowCount(db), 2);
      assert.deepEqual(await rowOf(other, 40), ['b', 2]);
      const same =
        'INSERT INTO kv (id, v, n) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE v = VALUES(v)';
      assert.equal((await db.execute<ResultSetHeader>(same, [40, 'b']))[0].affectedRows, 1);
      assert.equal(await rowCount(db), 1);
      assert.equal((await plain.execute<ResultSetHeader>(same, [40, 'b']))[0].affectedRows, 0);
      assert.equal(await rowCount(plain), 0);
      assert.equal((await plain.execute<ResultSetHeader>(same, [40, 'c']))[0].affectedRows, 2);
      assert.equal((await plain.execute<ResultSetHeader>(UPSERT, [41, 'd']))[0].affectedRows, 1);
      // The id of a table without AUTO_INCREMENT stays 0, as does LAST_INSERT_ID().
      const [result] = await plain.execute<ResultSetHeader>(UPSERT, [41, 'e']);
      assert.equal(result.insertId, 0);
      const [ids] = await plain.query<RowDataPacket[]>('SELECT LAST_INSERT_ID() AS id');
      assert.equal(Number(ids[0]?.id), 0);
      assert.deepEqual(await rowOf(other, 41), ['e', 2]);
      assert.equal(await status(db, 'Exo_local_upserts'), before + 7);
    } finally {
      await plain.end();
    }
  });

  it('clears the warnings of the statement before, as any statement does', async () => {
    await db.query('SELECT 1 / 0');
    const [warned] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
    assert.equal(warned.length, 1);
    const before = await status(db, 'Exo_local_upserts');
    await affected(db, [42, 'w']);
    assert.equal(await status(db, 'Exo_local_upserts'), before + 1);
    const [warnings] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
    assert.deepEqual(warnings, []);
  });

  it('steps aside for errors, which answer as on the usual path and change nothing', async () => {
    await affected(db, [43, 'x']);
    const before = await status(db, 'Exo_local_upserts');
    // Strict mode: a value too long for its column.
    await assert.rejects(affected(db, [43, 'too long a value']), {
      errno: 1406,
      message: "Data too long for column 'v' at row 1",
    });
    // A CHECK the update breaks, named as MariaDB names it.
    await assert.rejects(
      db.execute('INSERT INTO kv (id, v, n) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE n = ?', [
        43,
        'x',
        500,
      ]),
      { errno: 4025, message: /^CONSTRAINT `CONSTRAINT_1` failed for `un`\.`kv`$/ },
    );
    // A parameter that is no value of the column.
    await assert.rejects(
      db.execute('INSERT INTO kv (id, v, n) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE n = n + 1', [
        44,
        'y',
        'many',
      ]),
      { errno: 1366 },
    );
    assert.deepEqual(await rowOf(other, 43), ['x', 1]);
    assert.equal(await rowOf(other, 44), undefined);
    assert.equal(await status(db, 'Exo_local_upserts'), before);
    // The connection goes on, on the short path.
    assert.equal(await affected(db, [43, 'z']), 2);
    assert.equal(await status(db, 'Exo_local_upserts'), before + 1);
  });

  it('waits for a row another transaction holds, as the leaf makes it wait', async () => {
    await affected(db, [45, 'a']);
    await other.query('BEGIN');
    await other.execute('UPDATE kv SET v = ? WHERE id = ?', ['held', 45]);
    await assert.rejects(affected(db, [45, 'waiting']), { errno: 1205 });
    await other.query('COMMIT');
    assert.deepEqual(await rowOf(db, 45), ['held', 1]);
  });

  it('leaves an explicit transaction to the usual path', async () => {
    const before = await status(db, 'Exo_local_upserts');
    await db.query('BEGIN');
    assert.equal(await affected(db, [46, 'txn']), 1);
    await db.query('ROLLBACK');
    assert.equal(await rowOf(other, 46), undefined);
    await db.query('SET autocommit = 0');
    try {
      assert.equal(await affected(db, [46, 'off']), 1);
      await db.query('ROLLBACK');
    } finally {
      await db.query('SET autocommit = 1');
    }
    assert.equal(await rowOf(other, 46), undefined);
    assert.equal(await status(db, 'Exo_local_upserts'), before);
  });

  it('checks privileges and read-only transactions at every execution', async () => {
    await db.query("CREATE USER 'writer'@'%' IDENTIFIED BY 'pw'");
    await db.query("GRANT SELECT, INSERT, UPDATE ON un.* TO 'writer'@'%'");
    const writer = await mysql.createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'writer',
      password: 'pw',
      database: 'un',
    });
    try {
      const before = await status(db, 'Exo_local_upserts');
      assert.equal(await affected(writer, [47, 'mine']), 1);
      assert.equal(await affected(writer, [47, 'again']), 2);
      assert.equal(await status(db, 'Exo_local_upserts'), before + 2);
      await db.query("REVOKE INSERT ON un.* FROM 'writer'@'%'");
      await assert.rejects(affected(writer, [47, 'denied']), { errno: 1142 });
      await db.query('SET SESSION TRANSACTION READ ONLY');
      try {
        await assert.rejects(affected(db, [47, 'read']), { errno: 1792 });
      } finally {
        await db.query('SET SESSION TRANSACTION READ WRITE');
      }
      assert.deepEqual(await rowOf(other, 47), ['again', 2]);
    } finally {
      await writer.end();
    }
  });
});
