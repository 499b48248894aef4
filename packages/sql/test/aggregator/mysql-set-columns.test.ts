/**
 * SET (and ENUM) columns on both storage engines through mysql2: values stored as MariaDB
 * stores them (members in declaration order, once, spelled as declared; numbers as bitmasks or
 * positions; unknown members 1265), SET values as numbers (`s + 0`, `s = 5`, ORDER BY by the
 * bitmask), FIND_IN_SET of a member in a SET column (its position in the definition), and the
 * same through UPDATE, INSERT … SELECT, ON DUPLICATE KEY UPDATE and prepared statements.
 * Expected values are what MariaDB 10.11 answers to the same statements.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, FieldPacket, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('MySQL SET columns', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  };
  const types = async (sql: string): Promise<[number, number][]> => {
    const [, fields] = await db.query<RowDataPacket[]>(sql);
    return fields.map((field: FieldPacket) => [field.columnType ?? -1, field.columnLength ?? -1]);
  };
  const warnings = async (): Promise<unknown[][]> => {
    const [list] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
    return list.map((warning): unknown[] => [warning['Code'], warning['Message']]);
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE sets PARTITIONS 4');
    await db.query('USE sets');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE']) {
    const name = kind || 'COLUMNSTORE';
    const suffix = kind.toLowerCase() || 'column';

    it(`stores SET values as MariaDB does (${name})`, async () => {
      const table = `stored_${suffix}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, st SET('x','y','z'))`);
      await db.query(
        `INSERT INTO ${table} VALUES (1, 'z,x'), (2, 'Y,y,X'), (3, 5), (4, ''), (5, NULL), (6, '6'), (7, 'x '), (8, 0)`,
      );
      for (const bad of ["'x,w'", '8', "'x,'", "' x'", "'x ,y'", "','", '-1', "'3.0'"])
        await assert.rejects(db.query(`INSERT INTO ${table} VALUES (9, ${bad})`), {
          errno: 1265,
          message: "Data truncated for column 'st' at row 1",
        });
      assert.deepEqual(await rows(`SELECT id, st, st + 0 FROM ${table} ORDER BY id`), [
        [1, 'x,z', 5],
        [2, 'x,y', 3],
        [3, 'x,z', 5],
        [4, '', 0],
        [5, null, null],
        [6, 'y,z', 6],
        [7, 'x', 1],
        [8, '', 0],
      ]);
      // Without strict mode a SET keeps the members it names, or the bits a number has.
      await db.query(`INSERT IGNORE INTO ${table} VALUES (10, 'x,w,z'), (11, 12)`);
      assert.deepEqual(await warnings(), [
        [1265, "Data truncated for column 'st' at row 1"],
        [1265, "Data truncated for column 'st' at row 2"],
      ]);
      assert.deepEqual(await rows(`SELECT st FROM ${table} WHERE id >= 10 ORDER BY id`), [
        ['x,z'],
        ['z'],
      ]);
    });

    it(`reads SET values as bitmasks and FIND_IN_SET by member (${name})`, async () => {
      const table = `numbers_${suffix}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, st SET('x','y','z'))`);
      await db.query(
        `INSERT INTO ${table} VALUES (1, 'x,z'), (2, 'x,y'), (3, ''), (4, NULL), (5, 'y,z'), (6, 'y'), (7, 'x,y,z'), (8, 'z,x')`,
      );
      assert.deepEqual(await rows(`SELECT id FROM ${table} ORDER BY st, id`), [
        [4],
        [3],
        [6],
        [2],
        [1],
        [8],
        [5],
        [7],
      ]);
      assert.deepEqual(
        await rows(
          `SELECT id, FIND_IN_SET('z', st), FIND_IN_SET('X', st), FIND_IN_SET('w', st), FIND_IN_SET('z', 'x,z') FROM ${table} WHERE id <= 4 ORDER BY id`,
        ),
        [
          [1, 3, 1, 0, 2],
          [2, 0, 1, 0, 2],
          [3, 0, 0, 0, 2],
          [4, null, null, null, 2],
        ],
      );
      assert.deepEqual(await rows(`SELECT id FROM ${table} WHERE st = 'x,z' ORDER BY id`), [
        [1],
        [8],
      ]);
      assert.deepEqual(await rows(`SELECT id FROM ${table} WHERE st = 'z,x'`), []);
      assert.deepEqual(await rows(`SELECT id FROM ${table} WHERE st = 5 ORDER BY id`), [[1], [8]]);
      assert.deepEqual(
        await rows(`SELECT id FROM ${table} WHERE FIND_IN_SET('z', st) ORDER BY id`),
        [[1], [5], [7], [8]],
      );
      assert.deepEqual(await rows(`SELECT id FROM ${table} WHERE st & 2 ORDER BY id`), [
        [2],
        [5],
        [6],
        [7],
      ]);
      assert.deepEqual(await rows(`SELECT st, COUNT(*) FROM ${table} GROUP BY st ORDER BY st`), [
        [null, 1],
        ['', 1],
        ['y', 1],
        ['x,y', 1],
        ['x,z', 2],
        ['y,z', 1],
        ['x,y,z', 1],
      ]);
      assert.deepEqual(
        await rows(`SELECT SUM(st), CAST(st AS UNSIGNED), st | 0 FROM ${table} WHERE id = 1`),
        [['5', 5, 5]],
      );
      // `st + 0` is an INT as wide as the SET's text, plus sign and carry; FIND_IN_SET 3 wide.
      assert.deepEqual(await types(`SELECT st + 0, FIND_IN_SET('z', st) FROM ${table}`), [
        [3, 7],
        [3, 3],
      ]);
    });

    it(`stores SET and ENUM values written by UPDATE, INSERT … SELECT and prepared statements (${name})`, async () => {
      const table = `writes_${suffix}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, st SET('x','y','z'), e ENUM('a','b','c'))`,
      );
      await db.query(`INSERT INTO ${table} VALUES (1, 'z,x', 'b'), (2, 'y', 'c'), (3, '', 2)`);
      // 15 is past the bits of three members; 'w' is none of them.
      for (const value of ['st + 10', "CONCAT(st, ',w')"])
        await assert.rejects(db.query(`UPDATE ${table} SET st = ${value} WHERE id = 1`), {
          errno: 1265,
          message: "Data truncated for column 'st' at row 1",
        });
      await db.query(`UPDATE ${table} SET st = CONCAT(st, ',X'), e = e - 1 WHERE id = 2`);
      await db.query(`UPDATE ${table} SET st = 'Z,Y' WHERE id = 3`);
      assert.deepEqual(await rows(`SELECT id, st, e FROM ${table} ORDER BY id`), [
        [1, 'x,z', 'b'],
        [2, 'x,y', 'b'],
        [3, 'y,z', 'b'],
      ]);
      await db.query(`UPDATE IGNORE ${table} SET st = 'x,q' WHERE id = 3`);
      assert.deepEqual(await warnings(), [[1265, "Data truncated for column 'st' at row 1"]]);
      await db.query(`INSERT INTO ${table} (id, st) SELECT id + 10, id + 4 FROM ${table}`);
      await assert.rejects(db.query(`INSERT INTO ${table} (id, st) SELECT 20, 'z,w'`), {
        errno: 1265,
      });
      await db.query(
        `INSERT INTO ${table} (id, st) VALUES (1, 'x') ON DUPLICATE KEY UPDATE st = 'y,X'`,
      );
      await db.execute(`INSERT INTO ${table} (id, st, e) VALUES (?, ?, ?)`, [30, 'z,X,z', 'C']);
      await assert.rejects(db.execute(`INSERT INTO ${table} (id, st) VALUES (?, ?)`, [31, 'x,w']), {
        errno: 1265,
      });
      assert.deepEqual(await rows(`SELECT id, st, e FROM ${table} ORDER BY id`), [
        [1, 'x,y', 'b'],
        [2, 'x,y', 'b'],
        [3, 'x', 'b'],
        [11, 'x,z', null],
        [12, 'y,z', null],
        [13, 'x,y,z', null],
        [30, 'x,z', 'c'],
      ]);
    });
  }
});
