/**
 * View errors, number, SQLSTATE and message, against expectations recorded from MariaDB
 * 10.11.18 (Debian mariadb-server): each statement below was run with the `mariadb` CLI on a
 * throwaway mariadbd (as bench/sql/mariadb.ts starts one) over the same schema, and its
 * ERROR line copied here. Where MariaDB words an error differently from MySQL 8 (DROP VIEW
 * of a table: 4092, not 1347; DROP TABLE of a view: 1965, not 1051), MariaDB is followed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { CATALOG_FILE } from '../../src/catalog/catalog-store.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/** [statement, errno, SQLSTATE, message] as MariaDB printed them. */
const MARIADB: readonly (readonly [string, number, string, string])[] = [
  ['CREATE VIEW v AS SELECT 1', 1050, '42S01', "Table 'v' already exists"],
  ['CREATE VIEW t AS SELECT 1', 1050, '42S01', "Table 't' already exists"],
  ['CREATE TABLE v (x INT)', 1050, '42S01', "Table 'v' already exists"],
  ['DROP VIEW t', 4092, '42S02', "Unknown VIEW: 'd1.t'"],
  ['DROP TABLE v', 1965, '42S02', "'d1.v' is a view"],
  ['CREATE VIEW bad1 AS SELECT * FROM nope', 1146, '42S02', "Table 'd1.nope' doesn't exist"],
  ['CREATE VIEW bad3 AS SELECT id, id FROM t', 1060, '42S21', "Duplicate column name 'id'"],
  [
    'CREATE VIEW bad4 (a) AS SELECT id, a FROM t',
    1353,
    'HY000',
    "View's SELECT and view's field list have different column counts",
  ],
  ['CREATE VIEW bad5 (a, a) AS SELECT id, a FROM t', 1060, '42S21', "Duplicate column name 'a'"],
  ['DROP VIEW nope', 4092, '42S02', "Unknown VIEW: 'd1.nope'"],
  ['DROP VIEW v, nope, nope2', 4092, '42S02', "Unknown VIEW: 'd1.nope,d1.nope2'"],
  ['SHOW CREATE VIEW t', 1347, 'HY000', "'d1.t' is not of type 'VIEW'"],
  ['CREATE OR REPLACE VIEW t AS SELECT 1', 1347, 'HY000', "'d1.t' is not of type 'VIEW'"],
  ['ALTER VIEW t AS SELECT 1', 1347, 'HY000', "'d1.t' is not of type 'VIEW'"],
  ['ALTER VIEW nope AS SELECT 1', 1146, '42S02', "Table 'd1.nope' doesn't exist"],
  ['CREATE OR REPLACE VIEW v AS SELECT * FROM v', 1146, '42S02', "Table 'd1.v' doesn't exist"],
  ['CREATE OR REPLACE VIEW v AS SELECT * FROM w2', 1146, '42S02', "Table 'd1.v' doesn't exist"],
  ['ALTER TABLE v ADD COLUMN z INT', 1347, 'HY000', "'d1.v' is not of type 'BASE TABLE'"],
  ['TRUNCATE TABLE v', 1146, '42S02', "Table 'd1.v' doesn't exist"],
  [
    'SELECT * FROM vb',
    1356,
    'HY000',
    "View 'd1.vb' references invalid table(s) or column(s) or function(s) or definer/invoker of view lack rights to use them",
  ],
  [
    'DESCRIBE vb',
    1356,
    'HY000',
    "View 'd1.vb' references invalid table(s) or column(s) or function(s) or definer/invoker of view lack rights to use them",
  ],
  // Writes through a view that MariaDB cannot update (a UNION); here every view is read-only.
  [
    'INSERT INTO w3 VALUES (5)',
    1471,
    'HY000',
    'The target table w3 of the INSERT is not insertable-into',
  ],
  [
    'REPLACE INTO w3 VALUES (5)',
    1471,
    'HY000',
    'The target table w3 of the INSERT is not insertable-into',
  ],
  ['UPDATE w3 SET one = 2', 1288, 'HY000', 'The target table w3 of the UPDATE is not updatable'],
  ['DELETE FROM w3', 1288, 'HY000', 'The target table w3 of the DELETE is not updatable'],
];

/** Notes MariaDB gives instead of errors, as SHOW WARNINGS printed them. */
const MARIADB_NOTES: readonly (readonly [string, number, string])[] = [
  ['DROP TABLE IF EXISTS v', 1965, "'d1.v' is a view"],
  ['CREATE VIEW IF NOT EXISTS w AS SELECT 1', 1050, "Table 'w' already exists"],
  ['DROP VIEW IF EXISTS nope, nope2', 4092, "Unknown VIEW: 'd1.nope,d1.nope2'"],
];

describe('view errors match MariaDB', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster();
    db = await cluster.connect();
    await db.query(`
      CREATE DATABASE d1; USE d1;
      CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(10));
      CREATE TABLE u (id INT, c DECIMAL(10,2));
      CREATE VIEW v AS SELECT id, a FROM t;
      CREATE VIEW w AS SELECT id FROM t;
      CREATE VIEW w2 AS SELECT v.id, u.c FROM v JOIN u ON v.id = u.id;
      CREATE VIEW w3 AS SELECT 1 AS one UNION SELECT 2;
      CREATE TABLE base (id INT, k INT);
      CREATE VIEW vb AS SELECT * FROM base;
      DROP TABLE base`);
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('answers each statement with MariaDB error and changes nothing', async () => {
    const before = await db.query<RowDataPacket[]>('SHOW FULL TABLES');
    for (const [sql, errno, sqlState, message] of MARIADB) {
      await assert.rejects(
        db.query(sql),
        (error: { errno: number; sqlState: string; message: string }) => {
          assert.deepEqual(
            { errno: error.errno, sqlState: error.sqlState, message: error.message },
            { errno, sqlState, message },
            sql,
          );
          return true;
        },
      );
    }
    const after = await db.query<RowDataPacket[]>('SHOW FULL TABLES');
    assert.deepEqual(after[0], before[0]);
  });

  it('answers IF [NOT] EXISTS forms with MariaDB notes', async () => {
    for (const [sql, code, message] of MARIADB_NOTES) {
      await db.query(sql);
      const [warnings] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
      assert.deepEqual(
        warnings.map((row) => ({ ...row })),
        [{ Level: 'Note', Code: code, Message: message }],
        sql,
      );
    }
    // The view survived DROP TABLE IF EXISTS, and w kept its definition.
    const [rows] = await db.query<RowDataPacket[]>('SELECT * FROM v');
    assert.deepEqual(rows.length, 0);
    const [shown] = await db.query<RowDataPacket[]>('SHOW CREATE VIEW w');
    assert.match(String(shown[0]?.['Create View']), /AS SELECT id FROM t$/);
  });

  it('cannot make a cycle with SQL, and refuses one found in the catalog (1462)', async () => {
    await db.query('CREATE VIEW c1 AS SELECT 1 AS x; CREATE VIEW c2 AS SELECT x FROM c1');
    await assert.rejects(db.query('ALTER VIEW c1 AS SELECT x FROM c2'), { errno: 1146 });
    // A cycle can only come from a catalog file written by hand: the expansion's guard must
    // answer an error instead of looping.
    const path = join(cluster.home, 'aggregator', CATALOG_FILE);
    const catalog = JSON.parse(await readFile(path, 'utf8')) as {
      views: Record<string, { definition: string }>;
    };
    const c1 = catalog.views['d1.c1'];
    assert.ok(c1 !== undefined);
    c1.definition = 'SELECT x FROM c2';
    await writeFile(path, JSON.stringify(catalog));
    await db.end();
    await cluster.restartAggregator();
    db = await cluster.connect('d1');
    await assert.rejects(db.query('SELECT x FROM c2'), {
      errno: 1462,
      message: '`d1`.`c2` contains view recursion',
    });
  });
});
