import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqlError } from '../../src/errors.js';
import { Leaf } from '../../src/leaf/leaf.js';
import { openLeaf, SHOP } from './leaf-fixture.js';

const OTHER = { database: 'shop', ordinal: 1 };

function hasErrno(errno: number): (error: unknown) => boolean {
  return (error) => error instanceof SqlError && error.errno === errno;
}

describe('transactions', () => {
  for (const engine of ['row', 'column'] as const) {
    it(`${engine}store: commit makes writes visible, rollback discards them`, async () => {
      const fixture = await openLeaf();
      try {
        await fixture.run(engine, 'CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR)');
        await fixture.run(engine, "INSERT INTO t VALUES (1, 'a')", [], 'agg:1');
        assert.deepStrictEqual(
          (await fixture.run(engine, 'SELECT v FROM t', [], 'agg:1')).rows,
          [['a']],
          'reads its own writes',
        );
        assert.deepStrictEqual(
          (await fixture.run(engine, 'SELECT v FROM t')).rows,
          [],
          'others do not see uncommitted writes',
        );
        await fixture.leaf.commit('agg:1');
        assert.deepStrictEqual((await fixture.run(engine, 'SELECT v FROM t')).rows, [['a']]);
        await fixture.run(engine, "UPDATE t SET v = 'b'", [], 'agg:2');
        await fixture.leaf.insert({
          partition: SHOP,
          engine,
          table: 't',
          columns: ['id', 'v'],
          rows: [[2, 'c']],
          onConflict: 'error',
          txn: 'agg:2',
        });
        await fixture.leaf.rollback('agg:2');
        assert.deepStrictEqual((await fixture.run(engine, 'SELECT id, v FROM t')).rows, [[1, 'a']]);
        await fixture.leaf.rollback('never-seen');
        await assert.rejects(fixture.leaf.commit('never-seen'), hasErrno(1397));
        await fixture.leaf.commit('agg:1');
      } finally {
        await fixture.close();
      }
    });
  }

  it('columnstore: a statement failing on one partition waits for the others before rolling back', async () => {
    const fixture = await openLeaf();
    try {
      await fixture.leaf.createPartition(OTHER);
      for (const partition of [SHOP, OTHER])
        await fixture.run(
          'column',
          'CREATE TABLE t (id BIGINT PRIMARY KEY)',
          [],
          undefined,
          partition,
        );
      await fixture.run('column', 'INSERT INTO t VALUES (1)');
      // A long insert on OTHER is still running when the duplicate on SHOP aborts the
      // transaction: rolling OTHER back under it would let it commit on its own.
      const slow = fixture.run(
        'column',
        'INSERT INTO t SELECT range + 10 FROM range(0, 3000000)',
        [],
        'agg:race',
        OTHER,
      );
      const failing = fixture.run('column', 'INSERT INTO t VALUES (1)', [], 'agg:race');
      const outcomes = await Promise.allSettled([slow, failing]);
      assert.equal(outcomes[1]?.status, 'rejected', 'the duplicate fails');
      await fixture.leaf.rollback('agg:race');
      for (const partition of [SHOP, OTHER]) {
        const { rows } = await fixture.run(
          'column',
          'SELECT COUNT(*) FROM t',
          [],
          undefined,
          partition,
        );
        assert.deepStrictEqual(rows, [[partition === SHOP ? 1 : 0]], `${partition.ordinal}`);
      }
    } finally {
      await fixture.close();
    }
  });

  it('rowstore: a blocked writer fails with 1205 after the lock wait timeout, without blocking other partitions', async () => {
    const fixture = await openLeaf({ lockWaitTimeoutMs: 300 });
    try {
      await fixture.leaf.createPartition(OTHER);
      for (const partition of [SHOP, OTHER])
        await fixture.run(
          'row',
          'CREATE TABLE t (id INT PRIMARY KEY, v TEXT)',
          [],
          undefined,
          partition,
        );
      await fixture.run('row', "INSERT INTO t VALUES (1, 'held')", [], 'holder');
      const started = Date.now();
      const blocked = assert.rejects(
        fixture.run('row', "INSERT INTO t VALUES (2, 'blocked')", [], 'waiter'),
        (error) =>
          hasErrno(1205)(error) && /Lock wait timeout exceeded/.test((error as Error).message),
      );
      const blockedAutocommit = assert.rejects(
        fixture.run('row', "INSERT INTO t VALUES (3, 'blocked')"),
        hasErrno(1205),
      );
      // Meanwhile other partitions, and reads of this one, still answer.
      await fixture.run('row', "INSERT INTO t VALUES (1, 'free')", [], undefined, OTHER);
      assert.deepStrictEqual(
        (await fixture.run('row', 'SELECT v FROM t', [], undefined, OTHER)).rows,
        [['free']],
      );
      assert.deepStrictEqual((await fixture.run('row', 'SELECT v FROM t')).rows, []);
      assert.ok(Date.now() - started < 300, 'other requests did not wait for the lock');
      await blocked;
      await blockedAutocommit;
      assert.ok(Date.now() - started >= 290);
      // A lock wait timeout fails the statement only: the waiter's transaction lives on.
      await fixture.leaf.commit('holder');
      await fixture.run('row', "INSERT INTO t VALUES (2, 'late')", [], 'waiter');
      await fixture.leaf.commit('waiter');
      assert.deepStrictEqual((await fixture.run('row', 'SELECT id, v FROM t ORDER BY id')).rows, [
        [1, 'held'],
        [2, 'late'],
      ]);
    } finally {
      await fixture.close();
    }
  });

  it('rowstore: a waiter gets the lock as soon as the holder commits', async () => {
    const fixture = await openLeaf({ lockWaitTimeoutMs: 5_000 });
    try {
      await fixture.run('row', 'CREATE TABLE t (id INT PRIMARY KEY)');
      await fixture.run('row', 'INSERT INTO t VALUES (1)', [], 'first');
      const waiting = fixture.run('row', 'INSERT INTO t VALUES (2)');
      await fixture.leaf.commit('first');
      assert.equal((await waiting).affectedRows, 1);
    } finally {
      await fixture.close();
    }
  });

  it('rowstore: a wait cycle across partitions is a deadlock (1213) and rolls back the victim', async () => {
    const fixture = await openLeaf({ lockWaitTimeoutMs: 5_000 });
    try {
      await fixture.leaf.createPartition(OTHER);
      for (const partition of [SHOP, OTHER])
        await fixture.run('row', 'CREATE TABLE t (id INT PRIMARY KEY)', [], undefined, partition);
      await fixture.run('row', 'INSERT INTO t VALUES (1)', [], 'a');
      await fixture.run('row', 'INSERT INTO t VALUES (1)', [], 'b', OTHER);
      const aWaits = fixture.run('row', 'INSERT INTO t VALUES (2)', [], 'a', OTHER);
      await assert.rejects(fixture.run('row', 'INSERT INTO t VALUES (2)', [], 'b'), hasErrno(1213));
      await aWaits;
      await assert.rejects(fixture.run('row', 'SELECT 1', [], 'b'), hasErrno(1402));
      await fixture.leaf.rollback('b');
      await fixture.leaf.commit('a');
      assert.deepStrictEqual(
        (await fixture.run('row', 'SELECT id FROM t ORDER BY id', [], undefined, OTHER)).rows,
        [[2]],
      );
    } finally {
      await fixture.close();
    }
  });

  it('columnstore: a write to a row another transaction changed waits for it (1205)', async () => {
    const fixture = await openLeaf({ lockWaitTimeoutMs: 300 });
    try {
      await fixture.run('column', 'CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR)');
      await fixture.run('column', "INSERT INTO t VALUES (1, 'a')");
      await fixture.run('column', "UPDATE t SET v = 'first' WHERE id = 1", [], 'first');
      await fixture.run('row', 'CREATE TABLE r (id INT)', [], undefined);
      await fixture.run('row', 'INSERT INTO r VALUES (1)', [], 'second');
      // As InnoDB's row lock: the UPDATE and a DELETE wait for 'first', then time out.
      await assert.rejects(
        fixture.run('column', "UPDATE t SET v = 'second' WHERE id = 1", [], 'second'),
        hasErrno(1205),
      );
      await assert.rejects(
        fixture.run('column', 'DELETE FROM t WHERE id = 1', [], 'second'),
        hasErrno(1205),
      );
      // So does an autocommit DELETE (DuckDB alone would let it through).
      await assert.rejects(fixture.run('column', 'DELETE FROM t WHERE id = 1'), hasErrno(1205));
      // Only the statements failed: 'second' keeps its rowstore write.
      assert.deepStrictEqual((await fixture.run('row', 'SELECT id FROM r', [], 'second')).rows, [
        [1],
      ]);
      await fixture.leaf.commit('first');
      await fixture.run('column', 'DELETE FROM t WHERE id = 1', [], 'second');
      await fixture.leaf.commit('second');
      assert.deepStrictEqual((await fixture.run('column', 'SELECT v FROM t')).rows, []);
      assert.deepStrictEqual((await fixture.run('row', 'SELECT id FROM r')).rows, [[1]]);
    } finally {
      await fixture.close();
    }
  });

  it('two-phase commit across engines and partitions survives a restart in doubt', async () => {
    const fixture = await openLeaf();
    try {
      await fixture.leaf.createPartition(OTHER);
      for (const partition of [SHOP, OTHER]) {
        await fixture.run(
          'row',
          'CREATE TABLE t (id INT PRIMARY KEY, v TEXT)',
          [],
          undefined,
          partition,
        );
        await fixture.run(
          'column',
          'CREATE TABLE c (id INT PRIMARY KEY, v VARCHAR)',
          [],
          undefined,
          partition,
        );
      }
      // Rowstore writers of one partition take turns, so each transaction writes the rowstore of its own partition.
      for (const [txn, value, rowPartition, columnPartition] of [
        ['commit-me', 'yes', SHOP, OTHER],
        ['drop-me', 'no', OTHER, SHOP],
      ] as const) {
        await fixture.run('row', 'INSERT INTO t VALUES (?, ?)', [1, value], txn, rowPartition);
        await fixture.run('row', 'UPDATE t SET v = v || ?', ['!'], txn, rowPartition);
        await fixture.leaf.insert({
          partition: columnPartition,
          engine: 'column',
          table: 'c',
          columns: ['id', 'v'],
          rows: [[1, value]],
          onConflict: 'error',
          txn,
        });
        await fixture.leaf.prepare(txn);
      }
      assert.deepStrictEqual([...(await fixture.leaf.inDoubt())].sort(), ['commit-me', 'drop-me']);
      await assert.rejects(fixture.run('row', 'SELECT 1', [], 'commit-me'), hasErrno(1399));
      // Closing drops the engine transactions, like a crash; the prepare log keeps the writes.
      await fixture.leaf.close();
      const reopened = await Leaf.open({
        dataDir: fixture.dataDir,
        cores: 2,
        lockWaitTimeoutMs: 500,
      });
      try {
        assert.deepStrictEqual([...(await reopened.inDoubt())].sort(), ['commit-me', 'drop-me']);
        await reopened.commit('commit-me');
        await reopened.rollback('drop-me');
        await reopened.commit('commit-me');
        const results = await reopened.exec([
          { partition: SHOP, engine: 'row', sql: 'SELECT id, v FROM t' },
          { partition: OTHER, engine: 'column', sql: 'SELECT id, v FROM c' },
          { partition: OTHER, engine: 'row', sql: 'SELECT id, v FROM t' },
          { partition: SHOP, engine: 'column', sql: 'SELECT id, v FROM c' },
        ]);
        assert.deepStrictEqual(
          results.map((result) => result.rows),
          [[[1, 'yes!']], [[1, 'yes']], [], []],
        );
        assert.deepStrictEqual(await reopened.inDoubt(), []);
      } finally {
        await reopened.close();
      }
    } finally {
      await fixture.close();
    }
  });
});
