/**
 * A COM_QUERY holding several statements: each result reaches the client before the next
 * statement runs, and a failing statement k still lets the client see the results of 1..k-1
 * (MySQL's and MariaDB's behaviour), through mysql2's streaming query events.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, type Connection } from 'mysql2';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

type Event = readonly [string, unknown];

function stream(connection: Connection, sql: string): Promise<Event[]> {
  return new Promise((resolve) => {
    const events: Event[] = [];
    const query = connection.query(sql);
    // mysql2 emits 'fields' with no list for statements that answer with an OK packet.
    query.on('fields', (fields: { name: string }[] | undefined) => {
      if (fields !== undefined) events.push(['fields', fields.map((field) => field.name)]);
    });
    query.on('result', (row: unknown) => events.push(['result', row]));
    query.on('error', (error: { errno?: number }) => events.push(['error', error.errno]));
    query.on('end', () => resolve(events));
  });
}

describe('multi-statement queries', () => {
  let cluster: SqlCluster;
  let connection: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    connection = createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'root',
      multipleStatements: true,
    });
    const setup = await stream(
      connection,
      'CREATE DATABASE multi PARTITIONS 2; USE multi; CREATE TABLE t (id INT PRIMARY KEY)',
    );
    assert.deepEqual(
      setup.filter(([kind]) => kind === 'error'),
      [],
    );
  });

  after(async () => {
    await new Promise((resolve) => connection.end(resolve));
    await cluster.close();
  });

  it('sends the results before a syntax error', async () => {
    const events = await stream(connection, 'SELECT 1 AS a; SELECT 2 AS b; SELEC 3; SELECT 4');
    assert.deepEqual(events, [
      ['fields', ['a']],
      ['result', { a: 1 }],
      ['fields', ['b']],
      ['result', { b: 2 }],
      ['error', 1064],
    ]);
  });

  it('keeps the writes of the statements before a failing one', async () => {
    const events = await stream(
      connection,
      'INSERT INTO t VALUES (1); SELECT COUNT(*) AS n FROM t; INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)',
    );
    assert.deepEqual(events.slice(-3), [
      ['fields', ['n']],
      ['result', { n: 1 }],
      ['error', 1062],
    ]);
    const after = await stream(connection, 'SELECT id FROM t ORDER BY id');
    assert.deepEqual(after, [
      ['fields', ['id']],
      ['result', { id: 1 }],
    ]);
  });

  it('runs statements in order, each seeing the one before', async () => {
    const events = await stream(
      connection,
      'SET @x = 5; SELECT @x + 1 AS y; DELETE FROM t; SELECT COUNT(*) AS n FROM t',
    );
    // OK packets also arrive as 'result' events; keep the result sets.
    const sets = events.filter(
      ([kind, value]) => kind !== 'result' || !Object.hasOwn(value as object, 'affectedRows'),
    );
    assert.deepEqual(sets, [
      ['fields', ['y']],
      ['result', { y: 6 }],
      ['fields', ['n']],
      ['result', { n: 0 }],
    ]);
  });
});
