/**
 * A cycle of lock waits across two leaves (each transaction holds a rowstore partition on one
 * leaf and waits for the other's): no leaf sees it, and both used to wait the whole lock wait
 * timeout before failing with 1205. The aggregator joins the leaves' waits and fails the
 * youngest transaction with a deadlock (1213) in about a second; the other goes on and commits.
 * The leaves' lock wait timeout here is 30 s, so a 1205 could not come in time.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { cycleVictims } from '../../src/aggregator/deadlock-detector.js';
import { explainText } from '../support/differential.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('deadlocks across leaves', () => {
  let cluster: SqlCluster;
  let first: Connection;
  let second: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2, lockWaitTimeoutMs: 30_000 });
    first = await cluster.connect();
    await first.query('CREATE DATABASE dl PARTITIONS 2');
    await first.query('USE dl');
    await first.query('CREATE ROWSTORE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)');
    await first.query('INSERT INTO t VALUES (1,0),(2,0),(3,0),(4,0),(5,0),(6,0),(7,0),(8,0)');
    second = await cluster.connect('dl');
  });

  after(async () => {
    await first.end();
    await second.end();
    await cluster.close();
  });

  it('picks the youngest transaction of each cycle (pure)', () => {
    assert.deepEqual(cycleVictims([]), []);
    assert.deepEqual(
      cycleVictims([
        ['a:1', 'a:2'],
        ['a:2', 'a:1'],
      ]),
      ['a:2'],
    );
    assert.deepEqual(
      cycleVictims([
        ['a:3', 'a:9'],
        ['a:9', 'a:12'],
        ['a:12', 'a:3'],
        ['a:5', 'a:3'],
      ]),
      ['a:12'],
    );
    assert.deepEqual(
      cycleVictims([
        ['a:1', 'a:2'],
        ['a:2', 'autocommit:7'],
      ]),
      [],
    );
  });

  it('fails one transaction of a cycle with 1213 long before the lock wait timeout', async () => {
    // Two keys whose partitions are on different leaves.
    const leafOf = async (id: number): Promise<string> =>
      /on (\S+) /.exec(await explainText(first, `SELECT v FROM t WHERE id = ${id}`))?.[1] ?? '';
    const places = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(leafOf));
    const a = 1;
    const b = places.findIndex((place) => place !== places[0]) + 1;
    assert.ok(b > 1, `keys on two leaves: ${places.join(', ')}`);
    await first.query('BEGIN');
    await second.query('BEGIN');
    await first.query('UPDATE t SET v = 1 WHERE id = ?', [a]);
    await second.query('UPDATE t SET v = 2 WHERE id = ?', [b]);
    const started = Date.now();
    const outcomes = await Promise.allSettled([
      first.query('UPDATE t SET v = 1 WHERE id = ?', [b]),
      new Promise((resolve) => setTimeout(resolve, 100)).then(() =>
        second.query('UPDATE t SET v = 2 WHERE id = ?', [a]),
      ),
    ]);
    const elapsed = Date.now() - started;
    const failed = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [(outcome.reason as { errno: number }).errno] : [],
    );
    assert.deepEqual(failed, [1213]);
    assert.ok(elapsed < 10_000, `resolved in ${elapsed} ms`);
    // The younger (second) transaction was rolled back; the first commits both rows.
    assert.equal(outcomes[1]?.status, 'rejected');
    await first.query('COMMIT');
    const [rows] = await first.query<RowDataPacket[]>(
      `SELECT id, v FROM t WHERE id IN (${a}, ${b}) ORDER BY id`,
    );
    assert.deepEqual(
      rows.map((row) => [Number(row.id), Number(row.v)]),
      [
        [a, 1],
        [b, 1],
      ],
    );
    await second.query('ROLLBACK');
  });
});
