/**
 * The JSON functions MariaDB documents, on constants and on both storages' rows: answers as
 * the exact text MariaDB writes (its loose form: ", " and ": "), JSON_ARRAY_APPEND,
 * JSON_ARRAY_INSERT, JSON_SEARCH, JSON_REMOVE with array paths, paths with `last`, negative
 * indexes, ranges and `**`, the warnings of documents and paths that do not read (4036–4051),
 * result column types, and JSON answers read as JSON by mysql2 (MariaDB's `format=json`
 * extended metadata). Every expected value, warning and type is what MariaDB 10.11 answered to
 * the same statements through mysql2.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, FieldPacket, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const DOC = `'["abc", [{"k": "10"}, "def"], {"x":"abc"}, {"y":"bcd"}]'`;

describe('JSON functions as MariaDB answers them', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let text: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE json_functions PARTITIONS 4');
    await db.query('USE json_functions');
    text = await cluster.connectAsText();
    await text.query('USE json_functions');
  });

  after(async () => {
    await text.end();
    await db.end();
    await cluster.close();
  });

  /** The one row of `SELECT items`, every value as the text sent. */
  const row = async (items: string): Promise<unknown[]> => {
    const [result] = await text.query<RowDataPacket[][]>({
      sql: `SELECT ${items}`,
      rowsAsArray: true,
    });
    return result[0] ?? [];
  };

  const warnings = async (): Promise<unknown[][]> => {
    const [result] = await text.query<RowDataPacket[][]>({
      sql: 'SHOW WARNINGS',
      rowsAsArray: true,
    });
    return result.map((w) => [w[0], Number(w[1]), w[2]]);
  };

  it('appends to and inserts into arrays', async () => {
    assert.deepEqual(
      await row(`JSON_ARRAY_APPEND('[1, 2]', '$', 3), JSON_ARRAY_APPEND('{"a":1}', '$', 3),
        JSON_ARRAY_APPEND('{"a": [1]}', '$.a', 'x', '$.a', 2.5), JSON_ARRAY_APPEND('{"a": [1]}', '$.b', 'x'),
        JSON_ARRAY_APPEND('[1,2]', '$', JSON_OBJECT('a',1)), JSON_ARRAY_APPEND('[1,2]', '$', NULL),
        JSON_ARRAY_APPEND('[1,[2]]', '$[1]', 3)`),
      [
        '[1, 2, 3]',
        '[{"a": 1}, 3]',
        '{"a": [1, "x", 2.5]}',
        null,
        '[1, 2, {"a": 1}]',
        '[1, 2, null]',
        '[1, [2, 3]]',
      ],
    );
    assert.deepEqual(
      await row(`JSON_ARRAY_INSERT('[1, 2]', '$[1]', 3), JSON_ARRAY_INSERT('[1, 2]', '$[9]', 3),
        JSON_ARRAY_INSERT('{"a":[1]}', '$.a[0]', 3), JSON_ARRAY_INSERT('[1, 2]', '$', 3),
        JSON_ARRAY_INSERT('[1,2]', '$[last]', 3),
        JSON_ARRAY_INSERT('["a", {"b": [1, 2]}, [3, 4]]', '$[1].b[0]', 'x')`),
      [
        '[1, 3, 2]',
        '[1, 2, 3]',
        '{"a": [3, 1]}',
        null,
        '[1, 2, 3]',
        '["a", {"b": ["x", 1, 2]}, [3, 4]]',
      ],
    );
  });

  it('removes and sets array items by index', async () => {
    assert.deepEqual(
      await row(`JSON_REMOVE('[1, 2, 3]', '$[1]'), JSON_REMOVE('{"a": [1, 2]}', '$.a[0]'),
        JSON_REMOVE('[1,2,3]', '$[-1]', '$[5]'), JSON_REMOVE('{"a":1,"a":2}', '$.a'),
        JSON_REMOVE('["a", ["b", "c"], "d"]', '$[1][0]')`),
      ['[1, 3]', '{"a": [2]}', '[1, 2]', '{"a": 2}', '["a", ["c"], "d"]'],
    );
    assert.deepEqual(
      await row(`JSON_SET('[1, 2]', '$[5]', 9), JSON_SET('1', '$[1]', 9), JSON_SET('[1,2]', '$[0][1]', 9),
        JSON_INSERT('[1]', '$[0]', 2, '$[3]', 3), JSON_REPLACE('[1, 2]', '$[1]', 'x'),
        JSON_SET('{"a":1}', '$[-1]', 9), JSON_SET('{"a b":1}', '$."a b"', 9, '$."c d"', 8)`),
      ['[1, 2, 9]', '[1, 9]', '[[1, 9], 2]', '[1, 3]', '[1, "x"]', '9', '{"a b": 9, "c d": 8}'],
    );
  });

  it('searches for strings with LIKE patterns', async () => {
    assert.deepEqual(
      await row(`JSON_SEARCH(${DOC}, 'one', 'abc'), JSON_SEARCH(${DOC}, 'all', 'ABC'),
        JSON_SEARCH(${DOC}, 'all', '10', NULL, '$[1]'), JSON_SEARCH('["a%c", "abc"]', 'all', 'a|%c', '|'),
        JSON_SEARCH('[1, true]', 'all', '%'), JSON_SEARCH('{"a": "x"}', 'one', 'y'),
        JSON_SEARCH('{"a b": "x"}', 'one', 'x')`),
      [
        '"$[0]"',
        '["$[0]", "$[2].x"]',
        '"$[1][0].k"',
        '"$[0]"',
        '["$[0]", "$[1]"]',
        null,
        '"$.a b"',
      ],
    );
  });

  it('extracts with every kind of path', async () => {
    assert.deepEqual(
      await row(`JSON_EXTRACT('{"a": [1, 2, {"b": "x"}]}', '$.a', '$.a[0]'),
        JSON_EXTRACT('{"a":[{"b":1},{"b":[2]}]}', '$**.b'), JSON_EXTRACT('[1,2,3]', '$[last]'),
        JSON_EXTRACT('[1,2,3]', '$[1 to 2]'), JSON_EXTRACT('{"a" : 1.50e1}', '$.a'),
        JSON_EXTRACT('{"a": 1, "a": 2}', '$.a'), JSON_EXTRACT('[[1,2],[3,4]]', '$[*][0]')`),
      ['[[1, 2, {"b": "x"}], 1]', '[1, [2]]', '3', '[2, 3]', '1.50e1', '1', '[1, 3]'],
    );
    assert.deepEqual(
      await row(`JSON_VALUE('{"a": "x\\\\ty"}', '$.a'), JSON_VALUE('{"b": [1]}', '$.b'),
        JSON_VALUE('{"c": true}', '$.c'), JSON_QUERY('{"a": "x", "c": {"d" : 1}}', '$.c'),
        JSON_QUERY('{"a": "x"}', '$.a'), JSON_KEYS('{"a": 1, "b": {"c": 2}}'),
        JSON_KEYS('{"a": 1, "b": {"c": 2}}', '$.b'), JSON_KEYS('[1]')`),
      ['x\ty', null, '1', '{"d" : 1}', null, '["a", "b"]', '["c"]', null],
    );
  });

  it('describes, compares and formats documents', async () => {
    assert.deepEqual(
      await row(`JSON_LENGTH('[1, 2, [3]]'), JSON_LENGTH('{"a": 1, "b": 2}', '$.b'),
        JSON_LENGTH('[1, 2]', '$[5]'), JSON_DEPTH('[1, [2, [3]]]'), JSON_TYPE('1e2'),
        JSON_TYPE('1.5'), JSON_VALID('[1,]'), JSON_VALID('"\\\\x"')`),
      ['3', '1', null, '4', 'INTEGER', 'DOUBLE', '0', '1'],
    );
    assert.deepEqual(
      await row(`JSON_CONTAINS('[2, [2, 3], 1]', '1'), JSON_CONTAINS('{"a": 1, "b": 2}', '1'),
        JSON_CONTAINS('[1.0]', '1'), JSON_CONTAINS_PATH('{"a": 1, "b": [2]}', 'one', '$.a', '$.z'),
        JSON_CONTAINS_PATH('{"a": 1, "b": [2]}', 'all', '$.a', '$.z'), JSON_EXISTS('{"a": [1]}', '$.a[0]'),
        JSON_OVERLAPS('[1, 2]', '[2, 3]'), JSON_OVERLAPS('{"a":[1,2]}', '{"a":[1,2,3]}'),
        JSON_EQUALS('{"a": 1, "b": 2}', '{"b":2,"a":1}'), JSON_EQUALS('[1, 2]', '[2, 1]')`),
      ['1', '0', '1', '1', '0', '1', '1', '0', '1', '0'],
    );
    assert.deepEqual(
      await row(`JSON_NORMALIZE('{"b": 1, "a": [1.0, 2e1, "x"]}'), JSON_DETAILED('{"a":1,"b":[1,2],"c":{}}'),
        JSON_DETAILED('[1,[2,3]]', 2), JSON_COMPACT('{ "a" : 1, "b" : [ 1 , 2 ] }'),
        JSON_LOOSE('{"a":1,"b":[1,2]}'), JSON_MERGE_PRESERVE('{"a":1,"b":[1,2]}', '{"a":2}'),
        JSON_MERGE_PATCH('{"a":{"b":null,"c":1}}', '{"d":{"e":null}}')`),
      [
        '{"a":[1.0E0,2.0E1,"x"],"b":1.0E0}',
        '{\n    "a": 1,\n    "b": \n    [\n        1,\n        2\n    ],\n    "c": \n    {\n    }\n}',
        '[\n  1,\n  [\n    2,\n    3\n  ]\n]',
        '{"a":1,"b":[1,2]}',
        '{"a": 1, "b": [1, 2]}',
        '{"a": [1, 2], "b": [1, 2]}',
        '{"a": {"b": null, "c": 1}, "d": {}}',
      ],
    );
  });

  it('writes SQL values into documents as MariaDB does', async () => {
    assert.deepEqual(
      await row(`JSON_ARRAY(1, 'text', false, null, 2.5, 1e3, TRUE, 1=1, DATE('2024-01-02'), 1/3,
          '[1]', JSON_ARRAY(2), JSON_QUOTE('q')),
        JSON_OBJECT('a', 1, NULL, 2, 'k"q', JSON_EXTRACT('[1,2]', '$'))`),
      [
        '[1, "text", false, null, 2.5, 1000, true, true, "2024-01-02", 0.3333, "[1]", [2], "\\"q\\""]',
        '{"a": 1, "": 2, "k\\"q": [1, 2]}',
      ],
    );
  });

  it('warns on documents and paths that do not read', async () => {
    const cases: [string, unknown[]][] = [
      [
        "JSON_LENGTH('[1,')",
        ['Warning', 4037, "Unexpected end of JSON text in argument 1 to function 'json_length'"],
      ],
      [
        "JSON_EXTRACT('not json', '$')",
        [
          'Warning',
          4038,
          "Syntax error in JSON text in argument 1 to function 'json_extract' at position 1",
        ],
      ],
      [
        "JSON_EXTRACT('[1,2]', '$.')",
        ['Warning', 4041, "Unexpected end of JSON path in argument 2 to function 'json_extract'"],
      ],
      [
        "JSON_EXTRACT('[1,2]', '$[1] ')",
        [
          'Warning',
          4042,
          "Syntax error in JSON path in argument 2 to function 'json_extract' at position 5",
        ],
      ],
      [
        "JSON_SET('{\"a\": 1}', '$.*', 5)",
        [
          'Warning',
          4044,
          "Wildcards or range in JSON path not allowed in argument 2 to function 'json_set'",
        ],
      ],
      [
        "JSON_REMOVE('{\"a\": 1}', '$')",
        [
          'Warning',
          4051,
          "Path expression '$' is not allowed in argument 2 to function 'json_remove'.",
        ],
      ],
      [
        "JSON_SEARCH('[1]', 'xx', '1')",
        ['Warning', 4046, 'Argument 2 to function \'json_search\' must be "one" or "all".'],
      ],
      [
        'JSON_VALID(\'{"a": 1\')',
        ['Note', 4037, "Unexpected end of JSON text in argument 1 to function 'json_valid'"],
      ],
      [
        "JSON_VALID('[\u0001]')",
        [
          'Note',
          4036,
          "Character disallowed in JSON in argument 1 to function 'json_valid' at position 2",
        ],
      ],
      [
        "JSON_DEPTH('[1 2]')",
        [
          'Warning',
          4038,
          "Syntax error in JSON text in argument 1 to function 'json_depth' at position 4",
        ],
      ],
      [
        "JSON_ARRAY_APPEND('[1,2', '$', 1)",
        [
          'Warning',
          4037,
          "Unexpected end of JSON text in argument 1 to function 'json_array_append'",
        ],
      ],
      [
        "JSON_KEYS(JSON_EXTRACT('{\"a\": x}', '$'))",
        [
          'Warning',
          4038,
          "Syntax error in JSON text in argument 1 to function 'json_extract' at position 7",
        ],
      ],
    ];
    for (const [expr, warning] of cases) {
      await row(expr);
      assert.deepEqual(await warnings(), [warning], expr);
    }
    // In strict mode a stored value's warning stops the statement, with its number.
    await db.query('CREATE TABLE strict_json (id INT PRIMARY KEY, v TEXT)');
    await assert.rejects(
      db.query("INSERT INTO strict_json VALUES (1, JSON_EXTRACT('x', '$'))"),
      (error: { errno?: number; sqlState?: string }) =>
        error.errno === 4038 && error.sqlState === 'HY000',
    );
  });

  it('sends JSON answers as text marked JSON, with MariaDB column types', async () => {
    const [rows, fields] = await db.query<RowDataPacket[]>(
      `SELECT JSON_OBJECT('a', 1) AS o, JSON_EXTRACT('[1, 2]', '$[1]') AS e, JSON_TYPE('1') AS t,
         JSON_LENGTH('[1]') AS l, JSON_DETAILED('[1]') AS d, JSON_UNQUOTE('"x"') AS u`,
    );
    // mysql2 reads text marked format=json as JSON, as it does MariaDB's.
    assert.deepEqual(rows[0], { o: { a: 1 }, e: 2, t: 'INTEGER', l: 1, d: [1], u: 'x' });
    const shape = (f: FieldPacket): unknown[] => [f.name, f.columnType, f.decimals];
    assert.deepEqual(fields.map(shape), [
      ['o', 253, 39],
      ['e', 253, 39],
      ['t', 253, 39],
      ['l', 3, 0],
      ['d', 251, 0],
      ['u', 253, 39],
    ]);
    // A JSON value cast to text is text (MariaDB: a LONGTEXT without format=json).
    await db.query(`CREATE TABLE cast_json (id INT PRIMARY KEY, js JSON)`);
    await db.query(`INSERT INTO cast_json VALUES (1, '["a", 3.50]')`);
    const [cast] = await db.query<RowDataPacket[]>(
      "SELECT js, CAST(js AS CHAR) AS c, CONCAT(js, '') AS s FROM cast_json",
    );
    assert.deepEqual(cast[0], { js: ['a', 3.5], c: '["a", 3.50]', s: '["a", 3.50]' });
  });

  it('refuses CAST(… AS JSON) of text that is not JSON with MySQL 8.0 error 3141', async () => {
    // MariaDB has no CAST to JSON; MySQL 8.0 answers 3141 (SQLSTATE 22032) on both storages.
    await db.query('CREATE ROWSTORE TABLE cast_text (id INT PRIMARY KEY, s TEXT)');
    await db.query(`INSERT INTO cast_text VALUES (1, '{"a": 1}'), (2, 'not json')`);
    await db.query('CREATE TABLE cast_json_text (id INT PRIMARY KEY, notes TEXT)');
    await db.query("INSERT INTO cast_json_text VALUES (1, '[1]'), (2, 'x'), (3, NULL)");
    const refused = (error: { errno?: number; sqlState?: string }): boolean =>
      error.errno === 3141 && error.sqlState === '22032';
    await assert.rejects(db.query("SELECT CAST('x' AS JSON)"), refused);
    await assert.rejects(db.query('SELECT CAST(s AS JSON) FROM cast_text'), refused);
    await assert.rejects(db.query('SELECT CAST(notes AS JSON) FROM cast_json_text'), refused);
    const [rows] = await text.query<RowDataPacket[][]>({
      sql: 'SELECT CAST(s AS JSON), CAST(NULL AS JSON), CAST(1 AS JSON) FROM cast_text WHERE id = 1',
      rowsAsArray: true,
    });
    assert.deepEqual(rows, [['{"a": 1}', null, '1']]);
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`answers over rows as MariaDB does (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `docs_${(kind || 'columnstore').toLowerCase()}`;
      // The CHECK calls a JSON function: columnstore inserts must not append straight into it.
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, i INT, d DOUBLE, n DECIMAL(5,2),
           dt DATE, y YEAR, s VARCHAR(20), js JSON, CHECK (JSON_VALID(js)))`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 5, 2.5, 1.50, '2024-01-02', 2024, 'a"b', '{"a": [1, 2], "b": "x"}'),
          (2, NULL, 1e20, -0.50, NULL, 1999, NULL, '[1, "two", {"k": true}]'),
          (3, -1, NULL, NULL, '2000-12-31', NULL, 'abc', NULL)`,
      );
      const rows = async (sql: string): Promise<unknown[][]> => {
        const [result] = await text.query<RowDataPacket[][]>({ sql, rowsAsArray: true });
        return result;
      };
      assert.deepEqual(
        await rows(`SELECT id, JSON_ARRAY(i, d, n, dt, y, s, js, i > 0) FROM ${table} ORDER BY id`),
        [
          ['1', '[5, 2.5, 1.50, "2024-01-02", 2024, "a\\"b", {"a": [1, 2], "b": "x"}, true]'],
          ['2', '[null, 1e20, -0.50, null, 1999, null, [1, "two", {"k": true}], null]'],
          ['3', '[-1, null, null, "2000-12-31", null, "abc", null, false]'],
        ],
      );
      assert.deepEqual(
        await rows(
          `SELECT id, JSON_EXTRACT(js, '$.a[1]'), JSON_SET(js, '$.c', i = 5), JSON_ARRAY_APPEND(js, '$.a', n),
             JSON_ARRAY_INSERT(js, '$[0]', dt), JSON_REMOVE(js, '$[1]') FROM ${table} ORDER BY id`,
        ),
        [
          [
            '1',
            '2',
            '{"a": [1, 2], "b": "x", "c": true}',
            '{"a": [1, 2, 1.50], "b": "x"}',
            '{"a": [1, 2], "b": "x"}',
            '{"a": [1, 2], "b": "x"}',
          ],
          [
            '2',
            null,
            '[1, "two", {"k": true}]',
            null,
            '[null, 1, "two", {"k": true}]',
            '[1, {"k": true}]',
          ],
          ['3', null, null, null, null, null],
        ],
      );
      assert.deepEqual(
        await rows(
          `SELECT id, JSON_SEARCH(js, 'all', '%x%'), JSON_SEARCH(js, 'one', 'two'), JSON_LENGTH(js),
             JSON_TYPE(js), JSON_KEYS(js), JSON_DEPTH(js) FROM ${table} ORDER BY id`,
        ),
        [
          ['1', '"$.b"', null, '2', 'OBJECT', '["a", "b"]', '3'],
          ['2', null, '"$[1]"', '3', 'ARRAY', null, '3'],
          ['3', null, null, null, null, null, null],
        ],
      );
      assert.deepEqual(
        await rows(
          `SELECT id FROM ${table} WHERE JSON_CONTAINS(js, '1', '$.a') OR JSON_CONTAINS(js, '{"k": true}') ORDER BY id`,
        ),
        [['1'], ['2']],
      );
      assert.deepEqual(
        await rows(
          `SELECT JSON_ARRAYAGG(i ORDER BY id), JSON_ARRAYAGG(js ORDER BY id), JSON_OBJECTAGG(s, id) FROM ${table} WHERE id < 3`,
        ),
        [['[5,null]', '[{"a": [1, 2], "b": "x"},[1, "two", {"k": true}]]', '{"a\\"b":1}']],
      );
      await assert.rejects(
        db.query(`INSERT INTO ${table} (id, js) VALUES (4, 'not json')`),
        (error: { errno?: number }) => error.errno !== undefined,
      );
    });
  }
});
