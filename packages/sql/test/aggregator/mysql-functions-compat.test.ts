/**
 * SOUNDEX, REGEXP_INSTR, REGEXP_SUBSTR, JSON_DEPTH, JSON_MERGE_PATCH/PRESERVE and CONVERT_TZ
 * with named zones. The expected values are what MariaDB 10.11 (without time zone tables)
 * answered to the same statements through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { soundex } from '../../src/dialect/mysql-compat.js';
import { jsonEngineFunctions, runJsonFunction } from '../../src/dialect/json/functions.js';

const json = (name: string, ...args: (string | null)[]): unknown => {
  const fn = jsonEngineFunctions[name];
  assert.ok(fn !== undefined);
  return runJsonFunction(fn, args);
};

describe('MariaDB functions added for compatibility', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE functions_compat PARTITIONS 4');
    await db.query('USE functions_compat');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
    return result;
  };

  it('answers literal arguments as MariaDB does', async () => {
    assert.deepEqual(
      await rows(
        `SELECT SOUNDEX('Robert'), SOUNDEX('Tymczak'), SOUNDEX(''), SOUNDEX(NULL),
           SOUNDEX('Ashcraft'), SOUNDEX('Pfister'), SOUNDEX('héllo world'), SOUNDEX('Ellery'),
           SOUNDEX('Quadratically'), SOUNDEX('123'), SOUNDEX(' a')`,
      ),
      [['R163', 'T520', '', null, 'A2613', 'P236', 'H4643', 'E460', 'Q36324', '', 'A000']],
    );
    assert.deepEqual(
      await rows(
        `SELECT REGEXP_INSTR('abcabc', 'b'), REGEXP_INSTR('abc', 'z'), REGEXP_INSTR(NULL, 'a'),
           REGEXP_INSTR('abab', 'b$'), REGEXP_INSTR('héllo', 'L'), REGEXP_INSTR('a|b', 'x|b'),
           REGEXP_SUBSTR('abc123def', '[0-9]+'), REGEXP_SUBSTR('abc', 'z'), REGEXP_SUBSTR(NULL, 'z')`,
      ),
      [[2, 0, null, 4, 3, 3, '123', '', null]],
    );
    assert.deepEqual(
      await rows(
        `SELECT JSON_DEPTH('[]'), JSON_DEPTH('[1, [2]]'), JSON_DEPTH('{"a": {"b": 1}}'),
           JSON_DEPTH('1'), JSON_DEPTH(NULL), JSON_DEPTH('{"a": 1}'),
           JSON_DEPTH('["a]\\\\"[", {}]'), JSON_DEPTH('[[[]]]')`,
      ),
      [[1, 3, 3, 1, null, 2, 2, 3]],
    );
    assert.deepEqual(
      await rows(
        `SELECT JSON_MERGE_PATCH('{"a":1,"b":2}', '{"b":null,"c":3}'),
           JSON_MERGE_PATCH('{"a":1}', '[1]'),
           JSON_MERGE_PATCH('{"a":{"x":1}}', '{"a":{"y":2}}', '{"z":0}')`,
      ),
      [[{ a: 1, c: 3 }, [1], { a: { x: 1, y: 2 }, z: 0 }]],
    );
    assert.deepEqual(
      await rows(
        `SELECT CONVERT_TZ('2024-01-01 12:00:00', 'UTC', 'Europe/Paris'),
           CAST(CONVERT_TZ('2024-01-01 12:00:00', '+00:00', '+02:00') AS CHAR),
           CAST(CONVERT_TZ('2024-01-01 12:00:00', 'SYSTEM', '+01:00') AS CHAR)`,
      ),
      [[null, '2024-01-01 14:00:00', '2024-01-01 13:00:00']],
    );
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`answers column arguments as MariaDB does (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `fs_${(kind || 'columnstore').toLowerCase()}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, s VARCHAR(40), j TEXT)`);
      await db.query(
        `INSERT INTO ${table} VALUES (1, 'Robert', '{"a":1,"b":[1,2]}'), (2, 'Tymczak', '[]'),
          (3, NULL, NULL), (4, 'Pfister', '{"k":{"l":[{}]}}')`,
      );
      assert.deepEqual(
        await rows(
          `SELECT id, SOUNDEX(s), REGEXP_INSTR(s, 'e'), REGEXP_SUBSTR(s, 'x'), JSON_DEPTH(j),
             JSON_MERGE_PATCH(j, '{"a":null,"n":1}') FROM ${table} ORDER BY id`,
        ),
        [
          [1, 'R163', 4, '', 3, { b: [1, 2], n: 1 }],
          [2, 'T520', 0, '', 1, { n: 1 }],
          [3, null, null, null, null, null],
          [4, 'P236', 6, '', 4, { k: { l: [{}] }, n: 1 }],
        ],
      );
    });
  }

  it('computes the engine callbacks as MariaDB does', () => {
    // The SQLite callbacks, called directly (MariaDB's answers to the same arguments).
    assert.deepEqual(['Robert', 'Tymczak', 'Ashcraft', 'Pfister', ''].map(soundex), [
      'R163',
      'T520',
      'A2613',
      'P236',
      '',
    ]);
    assert.deepEqual(
      ['[]', '[1, [2]]', '{"a": 1}', 'x'].map((d) => json('JSON_DEPTH', d)),
      [1, 3, 2, null],
    );
    assert.equal(
      json('JSON_MERGE_PRESERVE', '{"a":1,"b":[1,2]}', '{"a":2}'),
      '{"a": [1, 2], "b": [1, 2]}',
    );
    assert.equal(json('JSON_MERGE_PRESERVE', '[]', '{"a":2}'), '[{"a": 2}]');
    assert.equal(json('JSON_MERGE_PRESERVE', '[1]', '[2]', '3'), '[1, 2, 3]');
    assert.equal(json('JSON_MERGE_PRESERVE', '[1]', null), null);
    assert.equal(json('JSON_MERGE_PATCH', '[]', '{"a":null,"n":1}'), '{"n": 1}');
  });
});
