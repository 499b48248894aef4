/**
 * EXPLAIN of broadcast plans (`aggregator/broadcast-explain.ts`): the copies are decided from row
 * counts when the statement runs, so EXPLAIN names the candidate tables and the rule above the
 * plan taken otherwise. A query whose tables are co-located, and any query inside a
 * transaction (never copied), show no broadcast line.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { explainText } from '../support/differential.js';

describe('EXPLAIN of broadcast plans', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE shop PARTITIONS 4');
    await db.query('USE shop');
    await db.query('CREATE TABLE facts (id INT PRIMARY KEY, okey INT, amount DECIMAL(10,2))');
    await db.query('CREATE TABLE dims (okey INT PRIMARY KEY, label VARCHAR(20))');
    await db.query('INSERT INTO facts VALUES (1, 1, 2.50), (2, 2, 3.00), (3, 1, 1.25)');
    await db.query("INSERT INTO dims VALUES (1, 'one'), (2, 'two')");
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const join =
    'SELECT d.label, SUM(f.amount) FROM facts f JOIN dims d ON d.okey = f.okey GROUP BY d.label';

  it('names the candidates of a whole-query broadcast and the rule', async () => {
    const text = await explainText(db, join);
    const first = text.split('\n')[0] ?? '';
    assert.match(first, /^Broadcast: the whole query runs on the partitions with copies/);
    assert.match(first, /shop\.facts/);
    assert.match(first, /shop\.dims/);
    assert.match(first, /at most 200,000 rows each and 400,000 in all/);
    // The plan taken when the counts rule the copies out follows.
    assert.match(text, /\nAggregator: /);
    const [rows] = await db.query({ sql: `${join} ORDER BY 1`, rowsAsArray: true });
    assert.deepEqual(rows, [
      ['one', '3.75'],
      ['two', '3.00'],
    ]);
  });

  it('shows no broadcast for co-located tables or inside a transaction', async () => {
    const local = await explainText(db, 'SELECT okey, COUNT(*) FROM facts GROUP BY okey');
    assert.doesNotMatch(local, /Broadcast/);
    await db.query('BEGIN');
    const inTransaction = await explainText(db, join);
    await db.query('COMMIT');
    assert.doesNotMatch(inTransaction, /Broadcast/);
  });
});
