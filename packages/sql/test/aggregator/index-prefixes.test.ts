/**
 * Prefix lengths of key columns (`KEY (title(20))`), as ORMs and dumps read them back: SHOW
 * CREATE TABLE, SHOW INDEX and information_schema.STATISTICS.SUB_PART keep the length given in
 * CREATE TABLE, CREATE INDEX and ALTER TABLE … ADD INDEX/UNIQUE (they showed the whole column),
 * and SHOW CREATE TABLE lists unique keys before the others, as MariaDB does. The expected
 * lines and rows are what MariaDB 10.11 answered for the same statements (its dump has no
 * SHARD KEY clause and names its engine).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('prefix lengths of key columns', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE prefixes');
    await db.query('USE prefixes');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> =>
    (await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true }))[0];

  it('shows the lengths given, in every way a key is made', async () => {
    await db.query(
      `CREATE TABLE p (id INT PRIMARY KEY, title VARCHAR(200), body TEXT, k INT,
         KEY idx_title (title(20)), KEY idx_mix (k, title(5)))`,
    );
    await db.query('CREATE INDEX idx_body ON p (body(30))');
    await db.query('ALTER TABLE p ADD INDEX idx_t2 (title(10), k)');
    await db.query('ALTER TABLE p ADD UNIQUE KEY u1 (id, title(8))');
    const [[, create]] = (await rows('SHOW CREATE TABLE p')) as [[string, string]];
    assert.deepEqual(
      create.split('\n').filter((line) => line.includes('KEY')),
      [
        '  PRIMARY KEY (`id`),',
        '  UNIQUE KEY `u1` (`id`,`title`(8)),',
        '  KEY `idx_title` (`title`(20)),',
        '  KEY `idx_mix` (`k`,`title`(5)),',
        '  KEY `idx_body` (`body`(30)),',
        '  KEY `idx_t2` (`title`(10),`k`)',
        '  /*!90618 , SHARD KEY (`id`) */',
      ],
    );
    assert.deepEqual(
      await rows(
        `SELECT index_name, column_name, seq_in_index, sub_part, non_unique
           FROM information_schema.statistics WHERE table_schema = 'prefixes' AND table_name = 'p'
           ORDER BY index_name, seq_in_index`,
      ),
      [
        ['idx_body', 'body', '1', '30', '1'],
        ['idx_mix', 'k', '1', null, '1'],
        ['idx_mix', 'title', '2', '5', '1'],
        ['idx_t2', 'title', '1', '10', '1'],
        ['idx_t2', 'k', '2', null, '1'],
        ['idx_title', 'title', '1', '20', '1'],
        ['PRIMARY', 'id', '1', null, '0'],
        ['u1', 'id', '1', null, '0'],
        ['u1', 'title', '2', '8', '0'],
      ],
    );
    assert.deepEqual(
      (await rows('SHOW INDEX FROM p')).map((row) => [row[2], row[4], row[7]]),
      [
        ['PRIMARY', 'id', null],
        ['u1', 'id', null],
        ['u1', 'title', '8'],
        ['idx_title', 'title', '20'],
        ['idx_mix', 'k', null],
        ['idx_mix', 'title', '5'],
        ['idx_body', 'body', '30'],
        ['idx_t2', 'title', '10'],
        ['idx_t2', 'k', null],
      ],
    );
  });
});
