/**
 * A rowstore file read by another connection while its owner writes (storage/sqlite-reader.ts):
 * only point lookups run there, every committed write is seen and nothing uncommitted, and the
 * owner's checkpoint (taken before a partition is copied away) waits for a reader instead of
 * leaving commits in the WAL. Real SQLite files in a temporary folder.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { SqliteReader } from '../../src/storage/sqlite-reader.js';
import { LockTable, WriteLock } from '../../src/storage/write-lock.js';

describe('rowstore files read by another connection', () => {
  let folder: string;
  let file: string;
  let store: SqliteStore;

  const write = async (sql: string, params: unknown[] = []): Promise<void> => {
    await store.exec({ sql, params: params as never[], columns: undefined });
  };

  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'exo-reader-'));
    file = path.join(folder, 'rowstore.sqlite');
    store = new SqliteStore(file, new WriteLock(new LockTable()), 500);
    await write('CREATE TABLE kv (id INTEGER NOT NULL PRIMARY KEY, k INTEGER, v TEXT)');
    await write('CREATE INDEX kv_k ON kv (k)');
    for (let id = 1; id <= 100; id += 1)
      await write('INSERT INTO kv VALUES (?, ?, ?)', [id, id % 5, `v${id}`]);
  });

  after(async () => {
    store.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('answers point lookups only, with the latest commit and nothing uncommitted', async () => {
    const reader = SqliteReader.open(file);
    try {
      const point = { sql: 'SELECT v FROM kv WHERE id = ?', params: [7], columns: undefined };
      assert.deepEqual(reader.pointRead(point)?.result.rows, [['v7']]);
      await write('UPDATE kv SET v = ? WHERE id = ?', ['seven', 7]);
      assert.deepEqual(reader.pointRead(point)?.result.rows, [['seven']]);
      const txn = store.begin('t1');
      await txn.exec({
        sql: 'UPDATE kv SET v = ? WHERE id = ?',
        params: ['open', 7],
        columns: undefined,
      });
      assert.deepEqual(reader.pointRead(point)?.result.rows, [['seven']]);
      await txn.commit();
      assert.deepEqual(reader.pointRead(point)?.result.rows, [['open']]);
      for (const sql of [
        'SELECT v FROM kv WHERE id > ?',
        'SELECT v FROM kv WHERE k = ?',
        'SELECT COUNT(*) FROM kv WHERE v = ?',
      ])
        assert.equal(reader.pointRead({ sql, params: [3], columns: undefined }), undefined, sql);
    } finally {
      reader.close();
    }
  });

  it("waits for a reader's open read before the checkpoint that empties the WAL", async () => {
    await write('UPDATE kv SET v = ? WHERE id = ?', ['late', 9]);
    const reader = new Database(file, { readonly: true });
    const rows = reader.prepare('SELECT id FROM kv').iterate();
    rows.next(); // the reader's transaction stays open until the iteration ends
    let finished = false;
    const checkpoint = store.checkpoint().then(() => {
      finished = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(finished, false, 'the checkpoint waited for the reader');
    rows.return?.();
    await checkpoint;
    reader.close();
    assert.equal((await stat(`${file}-wal`)).size, 0, 'every commit is in the database file');
  });
});
