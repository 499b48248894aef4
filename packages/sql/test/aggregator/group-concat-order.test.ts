/**
 * GROUP_CONCAT, JSON_ARRAYAGG and JSON_OBJECTAGG without ORDER BY over one table list rows in
 * primary-key order, as MariaDB reads them (InnoDB's clustered index, or a secondary index whose
 * equal keys are in primary-key order), on both storage engines of a 4-partition database. They
 * used to list them in the partitions' order ('e,a,i,b,h' for 'a,b,e,h,i'). DISTINCT and an explicit ORDER
 * BY keep their own order, and a CTE named like the table is not the table. The expected
 * values are what MariaDB 10.11 answered to the same statements through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('GROUP_CONCAT without ORDER BY', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connectAsText();
    await db.query('CREATE DATABASE concat PARTITIONS 4');
    await db.query('USE concat');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> =>
    (await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true }))[0];

  for (const storage of ['COLUMNSTORE', 'ROWSTORE']) {
    it(`lists rows in primary-key order (${storage})`, async () => {
      const g = `g_${storage.toLowerCase()}`;
      const h = `h_${storage.toLowerCase()}`;
      await db.query(
        `CREATE ${storage} TABLE ${g} (id INT PRIMARY KEY, k INT, name VARCHAR(10), KEY (k))`,
      );
      await db.query(
        `INSERT INTO ${g} VALUES (5,1,'e'),(1,1,'a'),(3,2,'c'),(2,1,'b'),(4,2,'d'),(9,1,'i'),
           (7,2,'g'),(8,1,'h'),(6,2,'f'),(10,3,'j'),(12,3,'l'),(11,3,'k')`,
      );
      await db.query(
        `CREATE ${storage} TABLE ${h} (a INT, b INT, v VARCHAR(5), PRIMARY KEY (b, a))`,
      );
      await db.query(`INSERT INTO ${h} VALUES (1,2,'x'),(2,1,'y'),(1,1,'z'),(2,2,'w'),(3,1,'u')`);
      assert.deepEqual(await rows(`SELECT k, GROUP_CONCAT(name) FROM ${g} GROUP BY k ORDER BY k`), [
        ['1', 'a,b,e,h,i'],
        ['2', 'c,d,f,g'],
        ['3', 'j,k,l'],
      ]);
      assert.deepEqual(await rows(`SELECT GROUP_CONCAT(name) FROM ${g}`), [
        ['a,b,c,d,e,f,g,h,i,j,k,l'],
      ]);
      assert.deepEqual(await rows(`SELECT GROUP_CONCAT(id SEPARATOR ';') FROM ${g} WHERE id > 3`), [
        ['4;5;6;7;8;9;10;11;12'],
      ]);
      assert.deepEqual(await rows(`SELECT k, JSON_ARRAYAGG(id) FROM ${g} GROUP BY k ORDER BY k`), [
        ['1', '[1,2,5,8,9]'],
        ['2', '[3,4,6,7]'],
        ['3', '[10,11,12]'],
      ]);
      assert.deepEqual(
        await rows(`SELECT k, JSON_OBJECTAGG(id, name) FROM ${g} GROUP BY k ORDER BY k`),
        [
          ['1', '{"1":"a", "2":"b", "5":"e", "8":"h", "9":"i"}'],
          ['2', '{"3":"c", "4":"d", "6":"f", "7":"g"}'],
          ['3', '{"10":"j", "11":"k", "12":"l"}'],
        ],
      );
      assert.deepEqual(await rows(`SELECT JSON_OBJECTAGG(name, id) FROM ${g} WHERE id > 6`), [
        ['{"g":7, "h":8, "i":9, "j":10, "k":11, "l":12}'],
      ]);
      assert.deepEqual(await rows(`SELECT GROUP_CONCAT(v) FROM ${h}`), [['z,y,u,x,w']]);
      assert.deepEqual(await rows(`SELECT GROUP_CONCAT(v ORDER BY v) FROM ${h}`), [['u,w,x,y,z']]);
      assert.deepEqual(await rows(`SELECT GROUP_CONCAT(DISTINCT v) FROM ${h}`), [['u,w,x,y,z']]);
      assert.deepEqual(
        await rows(
          `WITH ${h} AS (SELECT 3 AS a, 'q' AS v UNION ALL SELECT 1, 'p') SELECT GROUP_CONCAT(v) FROM ${h}`,
        ),
        [['q,p']],
      );
    });
  }
});
