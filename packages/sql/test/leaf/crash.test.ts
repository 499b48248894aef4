import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SqlError } from '../../src/errors.js';
import type { LeafApi } from '../../src/leaf/api.js';
import { startChildLeaf } from './fixtures/child-leaf.js';

const P0 = { database: 'shop', ordinal: 0 };
const P1 = { database: 'shop', ordinal: 1 };

async function rows(
  client: LeafApi,
  engine: 'row' | 'column',
  sql: string,
  partition = P0,
): Promise<unknown[]> {
  const [result] = await client.exec([{ partition, engine, sql }]);
  return [...(result?.rows ?? [])];
}

async function setUp(client: LeafApi): Promise<void> {
  for (const partition of [P0, P1]) {
    await client.createPartition(partition);
    await client.exec([
      { partition, engine: 'row', sql: 'CREATE TABLE t (id INT PRIMARY KEY, v TEXT)' },
      { partition, engine: 'column', sql: 'CREATE TABLE c (id INT PRIMARY KEY, v VARCHAR)' },
    ]);
  }
}

/** Writes one transaction to both engines of two partitions and prepares it. */
async function prepareTxn(client: LeafApi, txn: string): Promise<void> {
  await client.exec([
    { partition: P0, engine: 'row', sql: 'INSERT INTO t VALUES (?, ?)', params: [1, txn], txn },
    { partition: P1, engine: 'column', sql: 'INSERT INTO c VALUES (?, ?)', params: [1, txn], txn },
  ]);
  await client.insert({
    partition: P1,
    engine: 'row',
    table: 't',
    columns: ['id', 'v'],
    rows: [
      [2, txn],
      [3, txn],
    ],
    onConflict: 'error',
    txn,
  });
  await client.prepare(txn);
}

describe('a leaf process killed with SIGKILL', () => {
  it('keeps a prepared transaction in doubt and commits it exactly once after restart', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'exo-crash-'));
    try {
      const first = await startChildLeaf(dataDir);
      await setUp(first.client);
      await prepareTxn(first.client, 'agg:7');
      await first.crash();

      const second = await startChildLeaf(dataDir);
      assert.deepStrictEqual(await second.client.inDoubt(), ['agg:7']);
      await second.client.commit('agg:7');
      assert.deepStrictEqual(await second.client.inDoubt(), []);
      await second.client.commit('agg:7');
      assert.deepStrictEqual(await rows(second.client, 'row', 'SELECT id, v FROM t'), [
        [1, 'agg:7'],
      ]);
      assert.deepStrictEqual(await rows(second.client, 'column', 'SELECT id, v FROM c', P1), [
        [1, 'agg:7'],
      ]);
      assert.deepStrictEqual(await rows(second.client, 'row', 'SELECT id FROM t ORDER BY id', P1), [
        [2],
        [3],
      ]);
      await second.crash();

      // After another crash the committed transaction is neither redone nor in doubt.
      const third = await startChildLeaf(dataDir);
      assert.deepStrictEqual(await third.client.inDoubt(), []);
      assert.deepStrictEqual(await rows(third.client, 'row', 'SELECT count(*) FROM t', P1), [[2]]);
      await third.client.commit('agg:7');
      await third.crash();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('rolls back a prepared transaction after restart, leaving nothing visible', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'exo-crash-'));
    try {
      const first = await startChildLeaf(dataDir);
      await setUp(first.client);
      await prepareTxn(first.client, 'agg:8');
      await first.crash();

      const second = await startChildLeaf(dataDir);
      assert.deepStrictEqual(await second.client.inDoubt(), ['agg:8']);
      await second.client.rollback('agg:8');
      assert.deepStrictEqual(await second.client.inDoubt(), []);
      assert.deepStrictEqual(await rows(second.client, 'row', 'SELECT * FROM t'), []);
      assert.deepStrictEqual(await rows(second.client, 'column', 'SELECT * FROM c', P1), []);
      assert.deepStrictEqual(await rows(second.client, 'row', 'SELECT * FROM t', P1), []);
      // The rowstore write lock the redo held is free again.
      await second.client.exec([
        { partition: P0, engine: 'row', sql: "INSERT INTO t VALUES (9, 'after')" },
      ]);
      await second.crash();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps every acknowledged autocommit write and loses unprepared transactions', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'exo-crash-'));
    try {
      const first = await startChildLeaf(dataDir);
      await setUp(first.client);
      for (let id = 1; id <= 20; id++) {
        await first.client.exec([
          { partition: P0, engine: 'row', sql: 'INSERT INTO t VALUES (?, ?)', params: [id, 'r'] },
          {
            partition: P0,
            engine: 'column',
            sql: 'INSERT INTO c VALUES (?, ?)',
            params: [id, 'c'],
          },
        ]);
      }
      await first.client.insert({
        partition: P1,
        engine: 'column',
        table: 'c',
        columns: ['id', 'v'],
        rows: [
          [1, 'bulk'],
          [2, 'bulk'],
        ],
        onConflict: 'error',
      });
      await first.client.exec([
        { partition: P1, engine: 'row', sql: "INSERT INTO t VALUES (1, 'open')", txn: 'agg:9' },
      ]);
      await first.crash();

      const second = await startChildLeaf(dataDir);
      assert.deepStrictEqual(await rows(second.client, 'row', 'SELECT count(*), sum(id) FROM t'), [
        [20, 210],
      ]);
      assert.deepStrictEqual(
        await rows(second.client, 'column', 'SELECT count(*), sum(id) FROM c'),
        [[20, '210']],
      );
      assert.deepStrictEqual(await rows(second.client, 'column', 'SELECT count(*) FROM c', P1), [
        [2],
      ]);
      assert.deepStrictEqual(await rows(second.client, 'row', 'SELECT count(*) FROM t', P1), [[0]]);
      await assert.rejects(
        second.client.commit('agg:9'),
        (error) => error instanceof SqlError && error.errno === 1397,
      );
      await second.crash();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
