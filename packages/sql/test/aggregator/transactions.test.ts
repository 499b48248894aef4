/**
 * Transactions through the MySQL protocol: explicit transactions across partitions commit
 * or roll back as a whole, autocommit=0 opens one implicitly, a multi-row statement is atomic,
 * and conflicting writers get MySQL's lock errors instead of corrupting data.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

async function count(db: Connection, table: string): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(rows[0]?.n);
}

describe('transactions', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let other: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE bank PARTITIONS 4');
    await db.query('USE bank');
    await db.query(
      'CREATE ROWSTORE TABLE accounts (id INT PRIMARY KEY, balance DECIMAL(10,2) NOT NULL)',
    );
    await db.query('CREATE TABLE ledger (id INT PRIMARY KEY, note VARCHAR(20))');
    other = await cluster.connect('bank');
  });

  after(async () => {
    await db.end();
    await other.end();
    await cluster.close();
  });

  it('rolls back writes to several partitions and engines together', async () => {
    await db.query('BEGIN');
    await db.query('INSERT INTO accounts VALUES (1, 100), (2, 50), (3, 10), (4, 0)');
    await db.query("INSERT INTO ledger VALUES (1, 'open')");
    assert.equal(await count(db, 'accounts'), 4, 'the transaction sees its own writes');
    await db.query('ROLLBACK');
    assert.equal(await count(db, 'accounts'), 0);
    assert.equal(await count(db, 'ledger'), 0);
  });

  it('commits writes to several partitions and engines together', async () => {
    await db.query('START TRANSACTION');
    await db.query('INSERT INTO accounts VALUES (1, 100), (2, 50), (3, 10), (4, 0)');
    await db.query("INSERT INTO ledger VALUES (1, 'open'), (2, 'open')");
    await db.query('COMMIT');
    assert.equal(await count(other, 'accounts'), 4);
    assert.equal(await count(other, 'ledger'), 2);
  });

  it('keeps an uncommitted transaction invisible to other sessions (READ COMMITTED)', async () => {
    await db.query('BEGIN');
    await db.query('UPDATE accounts SET balance = balance - 10 WHERE id = 1');
    const [seen] = await other.query<RowDataPacket[]>('SELECT balance FROM accounts WHERE id = 1');
    assert.equal(seen[0]?.balance, '100.00');
    await db.query('COMMIT');
    const [after] = await other.query<RowDataPacket[]>('SELECT balance FROM accounts WHERE id = 1');
    assert.equal(after[0]?.balance, '90.00');
  });

  it('opens a transaction implicitly with autocommit off', async () => {
    await db.query('SET autocommit = 0');
    await db.query("INSERT INTO ledger VALUES (3, 'pending')");
    assert.equal(await count(other, 'ledger'), 2);
    await db.query('ROLLBACK');
    await db.query('SET autocommit = 1');
    assert.equal(await count(db, 'ledger'), 2);
  });

  it('makes a failing multi-row statement change nothing', async () => {
    await assert.rejects(
      db.query("INSERT INTO ledger VALUES (10, 'a'), (11, 'b'), (1, 'duplicate')"),
      { errno: 1062 },
    );
    assert.equal(await count(db, 'ledger'), 2);
  });

  it('gives a lock wait timeout to a writer blocked by an open transaction', async () => {
    await db.query('BEGIN');
    await db.query('UPDATE accounts SET balance = 1 WHERE id = 2');
    await assert.rejects(
      other.query('UPDATE accounts SET balance = 2 WHERE id = 2'),
      (error: { errno: number }) => {
        assert.ok(error.errno === 1205 || error.errno === 1213, `lock error, got ${error.errno}`);
        return true;
      },
    );
    await db.query('COMMIT');
    const [rows] = await other.query<RowDataPacket[]>('SELECT balance FROM accounts WHERE id = 2');
    assert.equal(rows[0]?.balance, '1.00');
  });
});
