/**
 * wait_timeout / interactive_timeout and COM_PROCESS_KILL, on a real aggregator and leaf with
 * mysql2 and a raw protocol client (to see exactly what the server sends before closing).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { RAW_CLIENT_FLAGS, RawClient, parseErr } from '../protocol/raw-client.js';

const CLIENT_INTERACTIVE = 0x400;
const COM_QUERY = 0x03;
const COM_PROCESS_KILL = 0x0c;
/** How long a test waits for the server to close an idle connection (its timeout is 1 s). */
const CLOSE_WITHIN_MS = 10_000;

function query(client: RawClient, sql: string): void {
  client.command([COM_QUERY, ...Buffer.from(sql)]);
}

/** Sends a text query and reads its one answer packet (OK or ERR). */
async function simple(client: RawClient, sql: string): Promise<Uint8Array> {
  query(client, sql);
  return (await client.read()).payload;
}

describe('idle timeouts and COM_PROCESS_KILL', () => {
  let cluster: SqlCluster;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    const db = await cluster.connect();
    await db.query('CREATE DATABASE t');
    await db.query('CREATE TABLE t.rows (id INT PRIMARY KEY)');
    await db.end();
  });

  after(async () => {
    await cluster.close();
  });

  it('closes a connection idle past wait_timeout, sending nothing, rolling back', async () => {
    const client = await RawClient.login(cluster.port, { user: 'root', password: '' });
    assert.equal((await simple(client, 'BEGIN'))[0], 0);
    assert.equal((await simple(client, 'INSERT INTO t.rows VALUES (1)'))[0], 0);
    assert.equal((await simple(client, 'SET SESSION wait_timeout = 1'))[0], 0);
    await client.waitClosed(CLOSE_WITHIN_MS);
    // MariaDB sends no packet before closing an idle connection.
    await assert.rejects(client.read(10), /connection closed/);
    const db = await cluster.connect();
    try {
      const [rows] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM t.rows');
      assert.equal(Number(rows[0]?.n), 0);
    } finally {
      await db.end();
    }
  });

  it('counts idle time from the last answer: a command longer than wait_timeout runs out', async () => {
    const db = await cluster.connect();
    try {
      await db.query('SET SESSION wait_timeout = 1');
      // Each statement outlasts the timeout; the connection is not idle while it runs.
      for (let round = 0; round < 2; round++) {
        const [rows] = await db.query<RowDataPacket[]>('SELECT SLEEP(1.6) AS s');
        assert.equal(Number(rows[0]?.s), 0);
      }
      // Then, waiting for a command, it is closed after about a second.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await assert.rejects(db.query('SELECT 1'));
    } finally {
      db.destroy();
    }
  });

  it('gives interactive clients interactive_timeout; SET GLOBAL reaches new sessions', async () => {
    const admin = await cluster.connect();
    try {
      await admin.query('SET GLOBAL interactive_timeout = 1');
      await admin.query('SET GLOBAL wait_timeout = 77');
      const [rows] = await (
        await cluster.connect()
      ).query<RowDataPacket[]>('SELECT @@wait_timeout AS w, @@session.interactive_timeout AS i');
      assert.equal(Number(rows[0]?.w), 77);
      assert.equal(Number(rows[0]?.i), 1);
      const interactive = await RawClient.login(cluster.port, {
        user: 'root',
        password: '',
        flags: RAW_CLIENT_FLAGS | CLIENT_INTERACTIVE,
      });
      await interactive.waitClosed(CLOSE_WITHIN_MS);
      const plain = await RawClient.login(cluster.port, { user: 'root', password: '' });
      assert.equal((await simple(plain, 'SELECT 1'))[0], 1);
      plain.close();
    } finally {
      await admin.query('SET GLOBAL interactive_timeout = 28800');
      await admin.query('SET GLOBAL wait_timeout = 28800');
      await admin.end();
    }
  });

  it('COM_PROCESS_KILL closes the target connection', async () => {
    const target = await cluster.connect();
    target.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => target.on('end', () => resolve()));
    const [rows] = await target.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
    const id = Number(rows[0]?.id);
    const killer = await RawClient.login(cluster.port, { user: 'root', password: '' });
    const idBytes = Buffer.alloc(4);
    idBytes.writeUInt32LE(id);
    killer.command([COM_PROCESS_KILL, ...idBytes]);
    const answer = await killer.read();
    assert.equal(parseErr(answer), undefined);
    await Promise.race([
      closed,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('still open')), CLOSE_WITHIN_MS),
      ),
    ]);
    killer.command([COM_PROCESS_KILL, 0xff, 0xff, 0xff, 0x7f]);
    assert.equal(parseErr(await killer.read())?.errno, 1094);
    killer.close();
  });
});
