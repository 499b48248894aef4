/**
 * AUTO_INCREMENT values reserved per statement as InnoDB reserves them (MariaDB 10.11,
 * innodb_autoinc_lock_mode=1): a VALUES list reserves one value per row at its first generated
 * id, INSERT … SELECT and LOAD DATA reserve 1, 2, 4, … values, and what a statement leaves
 * unused is skipped by the next one. Each case ends with a one-row INSERT; the expected ids
 * were recorded from MariaDB (InnoDB) with the same statements.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const cases: [string, string, string][] = [
  [
    'INSERT … SELECT of 2 rows',
    'INSERT INTO t (v) VALUES (1), (2); INSERT INTO t (v) SELECT v + 10 FROM t',
    '1,2,3,4,6',
  ],
  [
    'INSERT … SELECT after 5 rows',
    'INSERT INTO t (v) VALUES (1), (2), (3), (4), (5); INSERT INTO t (v) SELECT v FROM t WHERE v < 3',
    '1,2,3,4,5,6,7,9',
  ],
  [
    'an explicit id between generated ones',
    'INSERT INTO t (id, v) VALUES (NULL, 1), (10, 2), (NULL, 3)',
    '1,10,11,12',
  ],
  [
    'an explicit id before generated ones',
    'INSERT INTO t (id, v) VALUES (5, 1), (NULL, 2), (NULL, 3)',
    '5,6,7,9',
  ],
  [
    'INSERT IGNORE over a duplicate',
    'INSERT INTO t VALUES (1, 1); INSERT IGNORE INTO t (id, v) VALUES (1, 5), (NULL, 6)',
    '1,2,4',
  ],
  [
    'INSERT … SELECT twice',
    'INSERT INTO t (v) VALUES (1); INSERT INTO t (v) SELECT v FROM t; INSERT INTO t (v) SELECT v FROM t',
    '1,2,3,4,6',
  ],
  [
    'REPLACE of an old and a new row',
    'INSERT INTO t (v) VALUES (1), (2), (3); REPLACE INTO t (id, v) VALUES (2, 20), (NULL, 30)',
    '1,2,3,4,6',
  ],
  [
    'INSERT … SELECT of no row',
    'INSERT INTO t (v) VALUES (1); INSERT INTO t (v) SELECT 5 FROM t WHERE 0',
    '1,2',
  ],
  [
    'ON DUPLICATE KEY UPDATE of one row of two',
    'INSERT INTO t (v) VALUES (1), (2), (3); INSERT INTO t (id, v) VALUES (2, 5), (NULL, 6) ON DUPLICATE KEY UPDATE v = 50',
    '1,2,3,4,6',
  ],
  ['LOAD DATA of 2 lines', "LOAD DATA LOCAL INFILE 'lines.txt' INTO TABLE t (v)", '1,2,4'],
];

describe('AUTO_INCREMENT values reserved per statement', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'root',
      multipleStatements: true,
      infileStreamFactory: () => Readable.from([Buffer.from('7\n8\n')]),
    });
  });
  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE'])
    it(`skips what a statement reserved and left (${kind || 'COLUMNSTORE'})`, async () => {
      const database = `air_${kind || 'c'}`;
      await db.query(`CREATE DATABASE ${database} PARTITIONS 4`);
      await db.query(`USE ${database}`);
      for (const [name, statements, expected] of cases) {
        await db.query(`CREATE ${kind} TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)`);
        await db.query(statements);
        await db.query('INSERT INTO t (v) VALUES (0)');
        const [result] = await db.query<RowDataPacket[]>({
          sql: 'SELECT GROUP_CONCAT(id ORDER BY id) FROM t',
          rowsAsArray: true,
        });
        assert.deepEqual(result, [[expected]], name);
        await db.query('DROP TABLE t');
      }
    });
});
