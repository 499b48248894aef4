/**
 * SHOW STATUS statement counters as MariaDB 10.11 keeps them (the session figures below are
 * what it answered for the same statements through mysql2): Questions counts each statement a
 * client sent (texts and prepared executions, SHOW STATUS included), Com_<command> by kind, per
 * session and for the server (SHOW GLOBAL STATUS, information_schema.GLOBAL_STATUS); the
 * server's Connections and Max_used_connections; `mariadb-admin status` (COM_STATISTICS)
 * reports the server's Questions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { toolArgs } from '../support/refusals.js';

const run = promisify(execFile);

describe('SHOW STATUS statement counters', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const status = async (sql: string): Promise<Record<string, number>> => {
    const [rows] = await db.query<RowDataPacket[]>(sql);
    return Object.fromEntries(rows.map((row) => [String(row.Variable_name), Number(row.Value)]));
  };

  before(async () => {
    cluster = await startSqlCluster();
    db = await cluster.connect();
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it("counts a session's questions and commands as MariaDB does", async () => {
    assert.equal((await status("SHOW STATUS LIKE 'Questions'")).Questions, 1);
    await db.query('SELECT 1');
    await db.query('SELECT 2');
    assert.equal((await status("SHOW STATUS LIKE 'Questions'")).Questions, 4);
    await db.execute('SELECT ?', [1]);
    await db.execute('SELECT ?', [2]);
    assert.equal((await status("SHOW STATUS LIKE 'Questions'")).Questions, 7);
    assert.equal((await status("SHOW STATUS LIKE 'Com_select'")).Com_select, 4);
    await db.query('CREATE DATABASE counted');
    await db.query('CREATE TABLE counted.t (id INT PRIMARY KEY)');
    await db.query('INSERT INTO counted.t VALUES (1), (2)');
    await db.query('INSERT INTO counted.t SELECT id + 10 FROM counted.t');
    await db.query('UPDATE counted.t SET id = id + 100 WHERE id = 1');
    await db.query('DELETE FROM counted.t WHERE id = 2');
    assert.deepEqual(
      await status(
        `SHOW STATUS WHERE Variable_name IN ('Com_create_db', 'Com_create_table', 'Com_insert',
           'Com_insert_select', 'Com_update', 'Com_delete', 'Questions')`,
      ),
      {
        Com_create_db: 1,
        Com_create_table: 1,
        Com_delete: 1,
        Com_insert: 1,
        Com_insert_select: 1,
        Com_update: 1,
        Questions: 15,
      },
    );
  });

  it('counts the binary protocol commands of prepared statements (Com_stmt_*)', async () => {
    const session = await cluster.connect();
    try {
      const counters = async (): Promise<Record<string, number>> => {
        const [rows] = await session.query<RowDataPacket[]>(
          "SHOW STATUS WHERE Variable_name LIKE 'Com_stmt%' OR Variable_name = 'Com_select'",
        );
        return Object.fromEntries(
          rows.map((row) => [String(row.Variable_name), Number(row.Value)]),
        );
      };
      // mysql2 keeps `execute`'s statement prepared: the second execution prepares nothing.
      await session.execute('SELECT ? + 1 AS x', [1]);
      await session.execute('SELECT ? + 1 AS x', [2]);
      const statement = await session.prepare('SELECT ? AS y');
      await statement.execute([1]);
      await statement.close();
      // What MariaDB answered to the same commands.
      assert.deepEqual(await counters(), {
        Com_select: 3,
        Com_stmt_close: 1,
        Com_stmt_execute: 3,
        Com_stmt_fetch: 0,
        Com_stmt_prepare: 2,
        Com_stmt_reprepare: 0,
        Com_stmt_reset: 0,
        Com_stmt_send_long_data: 0,
      });
    } finally {
      await session.end();
    }
  });

  it("keeps the server's counters across sessions", async () => {
    const before = await status("SHOW GLOBAL STATUS LIKE 'Questions'");
    const other = await cluster.connect();
    try {
      await other.query('SELECT 1');
      await other.query('SELECT 2');
      const [own] = await other.query<RowDataPacket[]>("SHOW STATUS LIKE 'Questions'");
      assert.equal(Number(own[0]?.Value), 3);
    } finally {
      await other.end();
    }
    const after = await status(
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Connections', 'Max_used_connections')",
    );
    // The other session's three statements and this one.
    assert.equal(after.Questions, (before.Questions ?? 0) + 4);
    assert.ok((after.Connections ?? 0) >= 2);
    assert.ok((after.Max_used_connections ?? 0) >= 2);
    const [rows] = await db.query<RowDataPacket[]>(
      "SELECT VARIABLE_VALUE AS v FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'QUESTIONS'",
    );
    assert.equal(Number(rows[0]?.v), (after.Questions ?? 0) + 1);
    const { stdout } = await run('mariadb-admin', [...toolArgs(cluster.port), 'status']);
    const questions = Number(/Questions: (\d+)/.exec(stdout)?.[1]);
    assert.ok(questions > (after.Questions ?? 0), stdout);
  });
});
