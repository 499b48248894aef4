/**
 * Cached plans and temporary tables: a prepared statement, or a query text the text cache
 * serves, answers from the session's temporary table while it shadows the permanent one, from
 * the permanent one for other sessions and once it is dropped — never one session's plan for
 * another. The answers were checked against MariaDB 10.11 with the same statements (mysql2
 * `execute()` prepares each text once per connection). Real cluster: 2 leaves, 8 partitions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { textCacheTotals } from '../../src/aggregator/text-cache.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function executed(
  db: Connection,
  sql: string,
  params: (string | number)[],
): Promise<unknown> {
  const [rows] = await db.execute<RowDataPacket[]>({ sql, rowsAsArray: true }, params);
  return rows;
}

async function queried(db: Connection, sql: string): Promise<unknown> {
  const [rows] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return rows;
}

const BY_ID = 'SELECT v FROM t WHERE id = ?';
const BY_LITERAL = 'SELECT v FROM t WHERE id = 1';

describe('cached plans and temporary tables', () => {
  let cluster: SqlCluster;
  let a: Connection;
  let b: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    a = await cluster.connect();
    b = await cluster.connect();
    await a.query('CREATE DATABASE cached PARTITIONS 8');
    await a.query('USE cached');
    await b.query('USE cached');
    await a.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))');
    await a.query("INSERT INTO t VALUES (1, 'perm1'), (2, 'perm2')");
  });

  after(async () => {
    await a.end();
    await b.end();
    await cluster.close();
  });

  it('serves each session its own table, before, during and after a temporary one', async () => {
    // Cached in both sessions first: prepared plans and the shared text cache.
    for (let round = 0; round < 3; round += 1) {
      assert.deepEqual(await executed(a, BY_ID, [1]), [['perm1']]);
      assert.deepEqual(await queried(a, BY_LITERAL), [['perm1']]);
      assert.deepEqual(await queried(b, BY_LITERAL), [['perm1']]);
    }
    await a.query('CREATE TEMPORARY TABLE t (id INT PRIMARY KEY, v VARCHAR(10))');
    await a.query("INSERT INTO t VALUES (1, 'tmp1')");
    const hits = textCacheTotals().hits;
    for (let round = 0; round < 3; round += 1) {
      assert.deepEqual(await executed(a, BY_ID, [1]), [['tmp1']]);
      assert.deepEqual(await queried(a, BY_LITERAL), [['tmp1']]);
      assert.deepEqual(await queried(b, BY_LITERAL), [['perm1']]);
      assert.deepEqual(await executed(b, BY_ID, [1]), [['perm1']]);
    }
    // The other session still runs its texts from the cache.
    assert.ok(textCacheTotals().hits > hits);
    await a.execute('INSERT INTO t VALUES (?, ?)', [2, 'tmp2']);
    assert.deepEqual(await executed(a, BY_ID, [2]), [['tmp2']]);
    await a.query('DROP TEMPORARY TABLE t');
    for (let round = 0; round < 2; round += 1) {
      assert.deepEqual(await executed(a, BY_ID, [1]), [['perm1']]);
      assert.deepEqual(await queried(a, BY_LITERAL), [['perm1']]);
    }
    await a.query('CREATE TEMPORARY TABLE t (id INT PRIMARY KEY, v VARCHAR(10))');
    await a.query("INSERT INTO t VALUES (1, 'tmp-again')");
    assert.deepEqual(await executed(a, BY_ID, [1]), [['tmp-again']]);
    assert.deepEqual(await queried(a, BY_LITERAL), [['tmp-again']]);
    assert.deepEqual(await queried(b, BY_LITERAL), [['perm1']]);
    await a.query('DROP TEMPORARY TABLE t');
  });

  it('keeps a prepared statement on a temporary table right as its rows change', async () => {
    await a.query('CREATE TEMPORARY TABLE k (id INT PRIMARY KEY, n INT)');
    for (let id = 1; id <= 20; id += 1) {
      await a.execute('INSERT INTO k VALUES (?, ?)', [id, id * 10]);
      assert.deepEqual(await executed(a, 'SELECT n FROM k WHERE id = ?', [id]), [[id * 10]]);
    }
    await a.execute('UPDATE k SET n = n + 1 WHERE id = ?', [7]);
    assert.deepEqual(await executed(a, 'SELECT n FROM k WHERE id = ?', [7]), [[71]]);
    assert.deepEqual(await executed(a, 'SELECT COUNT(*) FROM k WHERE n > ?', [100]), [[10]]);
    // Another session's statement of the same text has no k.
    await assert.rejects(b.execute('SELECT n FROM k WHERE id = ?', [7]), { errno: 1146 });
    await a.query('DROP TEMPORARY TABLE k');
    await assert.rejects(a.execute('SELECT n FROM k WHERE id = ?', [7]), { errno: 1146 });
  });
});
