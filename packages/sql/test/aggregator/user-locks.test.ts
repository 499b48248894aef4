/**
 * Named user locks (GET_LOCK & co.) as MariaDB 10.11 answers them (each expected value checked
 * side by side on the throwaway server of bench/sql): held by one connection at a time and
 * taken again by it, waited for up to the timeout, given back by RELEASE_LOCK, by
 * RELEASE_ALL_LOCKS and by closing the connection; KILL QUERY ends a wait.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { waitRunning } from '../support/processlist.js';

describe('named user locks', () => {
  let cluster: SqlCluster;
  let a: Connection;
  let b: Connection;

  const row = async (db: Connection, sql: string): Promise<unknown[]> => {
    const [rows] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return rows[0] ?? [];
  };
  const idOf = async (db: Connection): Promise<number> =>
    Number((await row(db, 'SELECT CONNECTION_ID()'))[0]);

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    a = await cluster.connect();
    b = await cluster.connect();
  });

  after(async () => {
    await a.end();
    await b.end();
    await cluster.close();
  });

  it('counts each GET_LOCK of the holder and compares names as written', async () => {
    assert.deepEqual(
      await row(
        a,
        "SELECT GET_LOCK('Abc', 0), GET_LOCK('Abc', 0), IS_USED_LOCK('abc'), IS_FREE_LOCK('ABC'), RELEASE_LOCK('abc'), IS_FREE_LOCK('Abc'), RELEASE_LOCK('Abc'), IS_FREE_LOCK('Abc'), RELEASE_LOCK('Abc'), IS_FREE_LOCK('Abc'), RELEASE_LOCK('Abc')",
      ),
      [1, 1, null, 1, null, 0, 1, 0, 1, 1, null],
    );
  });

  it('makes another connection wait up to its timeout, and hands the lock over on release', async () => {
    const aId = await idOf(a);
    const bId = await idOf(b);
    assert.deepEqual(await row(a, "SELECT GET_LOCK('job', 0)"), [1]);
    assert.deepEqual(
      await row(
        b,
        "SELECT GET_LOCK('job', 0), IS_FREE_LOCK('job'), IS_USED_LOCK('job'), RELEASE_LOCK('job')",
      ),
      [0, 0, aId, 0],
    );
    const started = Date.now();
    assert.deepEqual(await row(b, "SELECT GET_LOCK('job', 0.2)"), [0]);
    assert.ok(Date.now() - started >= 150, 'the second connection waited for the timeout');
    const waiting = row(b, "SELECT GET_LOCK('job', 60)");
    await waitRunning(a, bId);
    assert.deepEqual(await row(a, "SELECT RELEASE_LOCK('job')"), [1]);
    assert.deepEqual(await waiting, [1]);
    assert.deepEqual(await row(a, "SELECT IS_USED_LOCK('job') = CONNECTION_ID()"), [0]);
    assert.deepEqual(await row(b, 'SELECT RELEASE_ALL_LOCKS(), RELEASE_ALL_LOCKS()'), [1, 0]);
  });

  it('answers NULL with warning 1411 for a bad timeout, NULL for no name, and 4079 for a number', async () => {
    assert.deepEqual(await row(a, "SELECT GET_LOCK('x', -1), GET_LOCK(NULL, 0), GET_LOCK('', 0)"), [
      null,
      null,
      null,
    ]);
    const [warnings] = await a.query<RowDataPacket[]>('SHOW WARNINGS');
    assert.deepEqual(
      warnings.map((warning): unknown[] => [warning['Code'], warning['Message']]),
      [[1411, "Incorrect timeout value: '-1' for function get_lock"]],
    );
    await assert.rejects(a.query('SELECT GET_LOCK(1, 0)'), {
      errno: 4079,
      message: "Illegal parameter data type int for operation 'get_lock'",
    });
    await assert.rejects(a.query("SELECT GET_LOCK('x')"), { errno: 1582 });
    assert.deepEqual(await row(a, "SELECT IS_FREE_LOCK('x')"), [1]);
  });

  it('ends a wait at KILL QUERY and frees the locks of a closed connection', async () => {
    const holder = await cluster.connect();
    assert.deepEqual(await row(holder, "SELECT GET_LOCK('held', 0), GET_LOCK('held2', 0)"), [1, 1]);
    const bId = await idOf(b);
    const waiting = b.query("SELECT GET_LOCK('held', 60)").then(
      () => undefined,
      (error: unknown) => error,
    );
    await waitRunning(a, bId);
    await a.query(`KILL QUERY ${bId}`);
    assert.equal(((await waiting) as { errno?: number } | undefined)?.errno, 1317);
    await holder.end();
    // The server sees the close a moment later.
    let free: unknown[] = [];
    for (let attempt = 0; attempt < 100; attempt += 1) {
      free = await row(b, "SELECT IS_FREE_LOCK('held'), IS_FREE_LOCK('held2')");
      if (free[0] === 1 && free[1] === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(free, [1, 1]);
    assert.deepEqual(await row(b, "SELECT GET_LOCK('held', 0), RELEASE_LOCK('held')"), [1, 1]);
  });

  it('answers prepared calls afresh at each execution', async () => {
    const sql = 'SELECT GET_LOCK(?, 0), IS_FREE_LOCK(?)';
    const [first] = await a.execute<RowDataPacket[][]>({ sql, rowsAsArray: true }, ['p', 'p']);
    const [second] = await b.execute<RowDataPacket[][]>({ sql, rowsAsArray: true }, ['p', 'p']);
    assert.deepEqual(
      [first[0], second[0]],
      [
        [1, 0],
        [0, 0],
      ],
    );
    for (let round = 0; round < 3; round += 1) {
      const [again] = await a.query<RowDataPacket[][]>({
        sql: "SELECT RELEASE_LOCK('p'), IS_FREE_LOCK('p'), GET_LOCK('p', 0)",
        rowsAsArray: true,
      });
      assert.deepEqual(again[0], [1, 1, 1], `round ${round}`);
    }
    assert.deepEqual(await row(a, 'SELECT RELEASE_ALL_LOCKS()'), [1]);
  });
});
