/**
 * A rowstore file written by a connection of another process while its leaf serves it
 * (storage/sqlite-writer.ts, storage/write-fence.ts): a write runs only with the fence the leaf
 * set, never waits for the leaf's write lock, runs only point statements, and an engine error
 * leaves nothing of the write behind. A leaf sets the fence from its token when it opens its
 * partitions, closes it while a partition is frozen for a move, and sets it back on thaw. Real
 * SQLite files and a real leaf in a temporary folder.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import {
  GROUP_WRITES_MAX,
  LOCAL_INSERT_ROWS_MAX,
  SqliteWriter,
} from '../../src/storage/sqlite-writer.js';
import { FENCE_CLOSED, fenceOf } from '../../src/storage/write-fence.js';
import { LockTable, WriteLock } from '../../src/storage/write-lock.js';
import { partitionDirectory, ROWSTORE_FILE } from '../../src/storage/names.js';
import { openLeaf, SHOP } from './leaf-fixture.js';
import type { SqlValue } from '../../src/values.js';

const FENCE = fenceOf('a-leaf-token');

const input = (sql: string, params: readonly SqlValue[] = []) => ({
  sql,
  params,
  columns: undefined,
});

describe('rowstore files written by another connection', () => {
  let folder: string;
  let file: string;
  let store: SqliteStore;
  let writer: SqliteWriter;
  /** Transactions the writer committed (each holds one group of writes). */
  let transactions = 0;

  const valueOf = async (id: number): Promise<unknown> => {
    const { result } = await store.exec(input('SELECT v FROM kv WHERE id = ?', [id]));
    return result.rows[0]?.[0];
  };

  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'exo-writer-'));
    file = path.join(folder, 'rowstore.sqlite');
    store = new SqliteStore(file, new WriteLock(new LockTable()), 500);
    await store.exec(input('CREATE TABLE kv (id INTEGER NOT NULL PRIMARY KEY, k INTEGER, v TEXT)'));
    await store.exec(input('CREATE INDEX kv_k ON kv (k)'));
    for (let id = 1; id <= 10; id += 1)
      await store.exec(input('INSERT INTO kv VALUES (?, ?, ?)', [id, id % 3, `v${id}`]));
    await store.setFence(FENCE);
    writer = SqliteWriter.open(file, () => {
      transactions += 1;
    });
  });

  after(async () => {
    writer.close();
    store.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('commits point statements as one transaction, seen by the owner at once', async () => {
    const outcomes = await writer.write(FENCE, [
      input('SELECT v FROM kv WHERE id = ?', [2]),
      input(
        'INSERT INTO kv VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v RETURNING v',
        [2, 2, 'two'],
      ),
      input('UPDATE kv SET v = ? WHERE id = ?', ['three', 3]),
      input('DELETE FROM kv WHERE id = ?', [4]),
    ]);
    assert.deepEqual(
      outcomes?.map((outcome) => outcome.result.rows),
      [[['v2']], [['two']], [], []],
    );
    assert.equal(outcomes?.[2]?.result.affectedRows, 1);
    assert.equal(await valueOf(2), 'two');
    assert.equal(await valueOf(3), 'three');
    assert.equal(await valueOf(4), undefined);
    assert.equal(
      await writer.insert(FENCE, {
        table: 'kv',
        columns: ['id', 'k', 'v'],
        rows: [[4, 1, 'four']],
        onConflict: 'error',
      }),
      1,
    );
    assert.equal(await valueOf(4), 'four');
  });

  it('runs nothing under another fence, or when the fence is closed', async () => {
    for (const fence of [fenceOf('another-token'), FENCE_CLOSED]) {
      assert.equal(
        await writer.write(fence, [input('UPDATE kv SET v = ? WHERE id = ?', ['no', 5])]),
        undefined,
      );
      assert.equal(
        await writer.insert(fence, {
          table: 'kv',
          columns: ['id', 'k', 'v'],
          rows: [[50, 1, 'no']],
          onConflict: 'error',
        }),
        undefined,
      );
    }
    await store.setFence(FENCE_CLOSED);
    assert.equal(
      await writer.write(FENCE, [input('UPDATE kv SET v = ? WHERE id = ?', ['no', 5])]),
      undefined,
    );
    await store.setFence(FENCE);
    assert.equal(await valueOf(5), 'v5');
    assert.equal(await valueOf(50), undefined);
  });

  it('does not wait for a write lock the owner holds', async () => {
    const txn = store.begin('holder');
    await txn.exec(input('UPDATE kv SET v = ? WHERE id = ?', ['held', 6]));
    assert.equal(
      await writer.write(FENCE, [input('UPDATE kv SET v = ? WHERE id = ?', ['mine', 7])]),
      undefined,
    );
    await txn.commit();
    assert.equal(await valueOf(7), 'v7');
    assert.equal(
      (await writer.write(FENCE, [input('UPDATE kv SET v = ? WHERE id = ?', ['mine', 7])]))?.length,
      1,
    );
    assert.equal(await valueOf(7), 'mine');
  });

  it('runs only statements that touch rows by a unique key, and only a few inserted rows (answering at once)', async () => {
    for (const sql of [
      'UPDATE kv SET v = ?',
      'UPDATE kv SET v = ? WHERE k = 1',
      'DELETE FROM kv WHERE v = ?',
      'INSERT INTO kv SELECT id + 100, k, ? FROM kv',
    ])
      assert.equal(writer.write(FENCE, [input(sql, ['scan'])]), undefined, sql);
    const many = Array.from({ length: LOCAL_INSERT_ROWS_MAX + 1 }, (_, index) => [
      1000 + index,
      0,
      'x',
    ]);
    assert.equal(
      writer.insert(FENCE, {
        table: 'kv',
        columns: ['id', 'k', 'v'],
        rows: many,
        onConflict: 'error',
      }),
      undefined,
    );
    const [row] = (await store.exec(input("SELECT COUNT(*) FROM kv WHERE v = 'scan' OR id >= 100")))
      .result.rows;
    assert.equal(Number(row?.[0]), 0);
  });

  it('leaves nothing behind when a statement fails', async () => {
    await assert.rejects(
      async () =>
        writer.write(FENCE, [
          input('UPDATE kv SET v = ? WHERE id = ?', ['lost', 8]),
          input('INSERT INTO kv VALUES (?, ?, ?)', [9, 0, 'duplicate']),
        ]),
      /UNIQUE|Duplicate/i,
    );
    assert.equal(await valueOf(8), 'v8');
    await assert.rejects(async () =>
      writer.insert(FENCE, {
        table: 'kv',
        columns: ['id', 'k', 'v'],
        rows: [
          [60, 0, 'a'],
          [9, 0, 'b'],
        ],
        onConflict: 'error',
      }),
    );
    assert.equal(await valueOf(60), undefined);
    // The connection is still usable.
    assert.equal(
      (await writer.write(FENCE, [input('UPDATE kv SET v = ? WHERE id = ?', ['eight', 8])]))
        ?.length,
      1,
    );
    assert.equal(await valueOf(8), 'eight');
  });

  it('commits the writes asked for in one turn as one transaction, undoing a failed one alone', async () => {
    const before = transactions;
    const update = (id: number, value: string) =>
      input('UPDATE kv SET v = ? WHERE id = ?', [value, id]);
    const answers = await Promise.allSettled([
      writer.write(FENCE, [update(1, 'g1')]),
      // Its first statement ran before the second failed: the savepoint undoes both.
      writer.write(FENCE, [
        update(2, 'lost'),
        input('INSERT INTO kv VALUES (?, ?, ?)', [3, 0, 'x']),
      ]),
      writer.write(fenceOf('another-token'), [update(3, 'lost')]),
      writer.write(FENCE, [update(5, 'lost')], () => false),
      writer.insert(FENCE, {
        table: 'kv',
        columns: ['id', 'k', 'v'],
        rows: [[70, 0, 'g70']],
        onConflict: 'error',
      }),
      writer.write(FENCE, [update(6, 'g6')]),
    ]);
    assert.equal(transactions, before + 1);
    assert.deepEqual(
      answers.map((answer) => answer.status),
      ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    const values = answers.map((answer) =>
      answer.status === 'fulfilled' ? answer.value : 'error',
    );
    assert.equal((values[0] as unknown[] | undefined)?.length, 1);
    assert.deepEqual(values.slice(2), [undefined, undefined, 1, values[5]]);
    assert.notEqual(values[5], undefined);
    assert.deepEqual(
      [
        await valueOf(1),
        await valueOf(2),
        await valueOf(3),
        await valueOf(5),
        await valueOf(70),
        await valueOf(6),
      ],
      ['g1', 'two', 'three', 'v5', 'g70', 'g6'],
    );
  });

  it('splits a turn with more writes than a group holds into several transactions', async () => {
    const before = transactions;
    const count = GROUP_WRITES_MAX * 2 + 1;
    const answers = await Promise.all(
      // Each call asks at once (an async function runs up to its first await).
      Array.from({ length: count }, async (_, index) =>
        writer.insert(FENCE, {
          table: 'kv',
          columns: ['id', 'k', 'v'],
          rows: [[2000 + index, 0, 'many']],
          onConflict: 'error',
        }),
      ),
    );
    assert.deepEqual(answers, new Array(count).fill(1));
    assert.equal(transactions, before + 3);
    const [row] = (await store.exec(input("SELECT COUNT(*) FROM kv WHERE v = 'many'"))).result.rows;
    assert.equal(Number(row?.[0]), count);
  });

  it('answers undefined for writes still waiting when it is closed', async () => {
    const closing = SqliteWriter.open(file);
    const waiting = closing.write(FENCE, [input('UPDATE kv SET v = ? WHERE id = ?', ['gone', 10])]);
    closing.close();
    assert.equal(await waiting, undefined);
    assert.equal(await valueOf(10), 'v10');
  });
});

describe('the write fences a leaf keeps in its rowstore files', () => {
  it('holds its token while serving, closes it while a partition is frozen, and reopens it on thaw', async () => {
    const fixture = await openLeaf();
    const file = path.join(partitionDirectory(fixture.dataDir, SHOP), ROWSTORE_FILE);
    const fenceNow = (): number => {
      const db = new Database(file, { readonly: true });
      try {
        return Number(db.pragma('user_version', { simple: true }));
      } finally {
        db.close();
      }
    };
    try {
      const { token } = await fixture.leaf.info();
      assert.ok(token !== undefined && token !== '');
      assert.equal(fenceNow(), fenceOf(token));
      await fixture.leaf.freezePartition(SHOP);
      assert.equal(fenceNow(), FENCE_CLOSED);
      await fixture.leaf.thawPartition(SHOP);
      assert.equal(fenceNow(), fenceOf(token));
    } finally {
      await fixture.close();
    }
  });

  it('opens the files of a restarted leaf with the new token only', async () => {
    const fixture = await openLeaf();
    const file = path.join(partitionDirectory(fixture.dataDir, SHOP), ROWSTORE_FILE);
    const first = (await fixture.leaf.info()).token ?? '';
    await fixture.leaf.close();
    const { Leaf } = await import('../../src/leaf/leaf.js');
    const again = await Leaf.open({ dataDir: fixture.dataDir, cores: 2 });
    try {
      const second = (await again.info()).token ?? '';
      assert.notEqual(second, first);
      const db = new Database(file, { readonly: true });
      assert.equal(Number(db.pragma('user_version', { simple: true })), fenceOf(second));
      db.close();
    } finally {
      await again.close();
      await rm(fixture.dataDir, { recursive: true, force: true });
    }
  });
});
