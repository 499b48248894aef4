/**
 * The text plan cache (aggregator/text-cache*.ts): query texts of one shape (the same text up
 * to integer and string literals) run a cached parameterized plan from their third sighting
 * on. Every answer from the cache is compared with the answer of the same text made a new
 * shape by a unique comment (which always takes the ordinary parse-and-plan path). Real
 * cluster (2 leaves, 8 partitions) through mysql2 `query()` (COM_QUERY).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { TEXT_CACHE_LIMITS, TextCache, textCacheTotals } from '../../src/aggregator/text-cache.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

interface Answer {
  readonly names: string[];
  readonly rows: unknown[][];
}

let uniqueComment = 0;

async function answer(db: Connection, sql: string): Promise<Answer> {
  const [rows, fields] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return {
    names: fields.map((field) => field.name),
    rows: (rows as unknown as unknown[][]).map((row) => [...row]),
  };
}

/** The text's answer the ordinary way: a unique comment makes it a shape never seen before. */
async function ordinaryAnswer(db: Connection, sql: string): Promise<Answer> {
  uniqueComment += 1;
  return answer(db, `/* ordinary ${uniqueComment} */ ${sql}`);
}

/** Runs `sql` three times (seen, checked, cached) and compares each answer with the ordinary one. */
async function assertSameAnswers(db: Connection, sql: string): Promise<Answer> {
  const expected = await ordinaryAnswer(db, sql);
  for (let round = 0; round < 3; round += 1)
    assert.deepEqual(await answer(db, sql), expected, `${sql} (round ${round})`);
  return expected;
}

async function errorOf(db: Connection, sql: string): Promise<{ errno: number; message: string }> {
  try {
    await db.query(sql);
  } catch (error) {
    const { errno, message } = error as { errno: number; message: string };
    return { errno, message };
  }
  assert.fail(`expected an error from ${sql}`);
}

describe('plans cached per query shape', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE text_a PARTITIONS 8; CREATE DATABASE text_b PARTITIONS 8');
    await db.query('USE text_a');
    await db.query(
      'CREATE ROWSTORE TABLE kv (id BIGINT PRIMARY KEY, k INT NOT NULL, v VARCHAR(100), d DATE, n INT)',
    );
    const rows: string[] = [];
    for (let id = -8; id <= 64; id += 1)
      rows.push(
        `(${id}, ${id % 7}, 'v${id}', '2024-02-${String((Math.abs(id) % 28) + 1).padStart(2, '0')}', ${id * 3})`,
      );
    rows.push(`(100, 1, 'O''Brien', NULL, NULL)`, `(101, 2, 'back\\\\slash', '2024-02-29', 0)`);
    rows.push(
      `(102, 3, 'line\\nbreak', NULL, 1)`,
      `(103, 4, '5', NULL, 2)`,
      `(104, 5, 'A', NULL, 3)`,
    );
    await db.query(`INSERT INTO kv VALUES ${rows.join(', ')}`);
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('answers from the cache as the ordinary path does, on every partition', async () => {
    const hitsBefore = textCacheTotals().hits;
    for (let id = -8; id <= 64; id += 1)
      await assertSameAnswers(db, `SELECT id, k, v, d, n FROM kv WHERE id = ${id}`);
    // Each shape ran from the cache after it was seen and checked.
    assert.ok(textCacheTotals().hits - hitsBefore >= 60);
    for (const value of ["'5'", "'17'", "'5abc'", "' 7'", '1000', '-3', "''", '9007199254740993'])
      await assertSameAnswers(db, `SELECT id, v FROM kv WHERE id = ${value}`);
    for (const value of [
      "'O''Brien'",
      "'O\\'Brien'",
      "'back\\\\slash'",
      "'line\\nbreak'",
      "'5'",
      "'a'",
    ])
      await assertSameAnswers(
        db,
        `SELECT id, v FROM kv WHERE id >= 100 AND v = ${value} ORDER BY id`,
      );
    for (const value of ["'2024-02-29'", "'2024-2-29'", "'2024-02-05'", "'not a date'"])
      await assertSameAnswers(db, `SELECT id FROM kv WHERE id = 5 AND d = ${value}`);
    for (const value of ['0x41', "X'41'", 'NULL', '5.0', '5e0', 'TRUE'])
      await assertSameAnswers(db, `SELECT id, v FROM kv WHERE id = 104 AND v = ${value}`);
    await assertSameAnswers(db, 'SELECT id FROM kv WHERE id = NULL');
    await assertSameAnswers(db, 'SELECT id FROM kv WHERE id = -5 AND n = -15');
  });

  it('answers the same when values alternate between shapes and partitions', async () => {
    const texts = (id: number): string[] => [
      `SELECT v FROM kv WHERE id = ${id}`,
      `SELECT v FROM kv WHERE id = '${id}'`,
      `SELECT v, n FROM kv WHERE id = ${id} AND k = ${id % 7}`,
      `SELECT v FROM kv WHERE id = ${id} LIMIT ${1 + (id % 2)}`,
    ];
    for (let id = 1; id <= 40; id += 1)
      for (const sql of texts(id))
        assert.deepEqual(await answer(db, sql), await ordinaryAnswer(db, sql), sql);
  });

  it('names result columns as MySQL does for the literal text', async () => {
    const { names } = await assertSameAnswers(
      db,
      "SELECT id, 1, 'x', v AS `name`, k+1, k + 2 AS two, COUNT( * ) FROM kv WHERE id = 5 GROUP BY id, v, k",
    );
    assert.deepEqual(names, ['id', '1', 'x', 'name', 'k+1', 'two', 'COUNT( * )']);
    for (const id of [6, 7, 8]) {
      const sql = `SELECT id, 1, 'x', v AS \`name\`, k+1 FROM kv WHERE id = ${id}`;
      const result = await answer(db, sql);
      assert.deepEqual(result.names, ['id', '1', 'x', 'name', 'k+1']);
      assert.deepEqual(result, await ordinaryAnswer(db, sql));
    }
    // Another literal in the select list is another shape, with its own names.
    const other = await answer(db, "SELECT id, 2, 'y' FROM kv WHERE id = 9");
    assert.deepEqual(other.names, ['id', '2', 'y']);
    assert.deepEqual(other.rows, [[9, 2, 'y']]);
  });

  it('runs single-row upserts from the cache', async () => {
    await db.query('CREATE ROWSTORE TABLE counters (id BIGINT PRIMARY KEY, v VARCHAR(20), n INT)');
    const verifiedBefore = textCacheTotals().verified;
    const hitsBefore = textCacheTotals().hits;
    for (let round = 0; round < 4; round += 1)
      for (let id = 1; id <= 16; id += 1)
        await db.query(
          `INSERT INTO counters (id, v, n) VALUES (${id}, 'r${round}', 1) ON DUPLICATE KEY UPDATE v = VALUES(v), n = n + 1`,
        );
    assert.ok(textCacheTotals().verified > verifiedBefore);
    assert.ok(textCacheTotals().hits - hitsBefore >= 40);
    const { rows } = await answer(db, 'SELECT id, v, n FROM counters ORDER BY id');
    assert.deepEqual(
      rows,
      Array.from({ length: 16 }, (_, index) => [index + 1, 'r3', 4]),
    );
  });

  it('drops cached plans after ALTER, DROP and CREATE, USE and SET sql_mode', async () => {
    await db.query('CREATE ROWSTORE TABLE changing (id BIGINT PRIMARY KEY, v VARCHAR(20))');
    await db.query("INSERT INTO changing VALUES (1, 'one'), (2, 'two'), (3, 'three')");
    const read = (id: number): Promise<Answer> =>
      answer(db, `SELECT * FROM changing WHERE id = ${id}`);
    for (const id of [1, 2, 3, 1, 2, 3]) await read(id);
    assert.deepEqual((await read(2)).rows, [[2, 'two']]);

    await db.query('ALTER TABLE changing ADD COLUMN extra INT DEFAULT 7');
    const altered = await read(2);
    assert.deepEqual(altered.names, ['id', 'v', 'extra']);
    assert.deepEqual(altered.rows, [[2, 'two', 7]]);

    await db.query('DROP TABLE changing');
    await db.query('CREATE ROWSTORE TABLE changing (v VARCHAR(20), id BIGINT PRIMARY KEY)');
    await db.query("INSERT INTO changing VALUES ('new two', 2)");
    for (let round = 0; round < 3; round += 1) {
      const recreated = await read(2);
      assert.deepEqual(recreated.names, ['v', 'id']);
      assert.deepEqual(recreated.rows, [['new two', 2]]);
    }

    await db.query('USE text_b');
    await db.query('CREATE ROWSTORE TABLE changing (id BIGINT PRIMARY KEY, w INT)');
    await db.query('INSERT INTO changing VALUES (2, 22)');
    assert.deepEqual((await read(2)).rows, [[2, 22]]);
    await db.query('USE text_a');
    assert.deepEqual((await read(2)).rows, [['new two', 2]]);

    // A changed sql_mode plans again: without ONLY_FULL_GROUP_BY an ungrouped column is allowed.
    // (A keyless table: `WHERE id = …` on a primary key would determine every column.)
    await db.query(
      'CREATE ROWSTORE TABLE keyless (id BIGINT, k INT, v VARCHAR(20), SHARD KEY (id))',
    );
    await db.query("INSERT INTO keyless VALUES (4, 1, 'v4'), (5, 1, 'v5'), (6, 1, 'v6')");
    const grouped = (id: number): Promise<Answer> =>
      answer(db, `SELECT id, v FROM keyless WHERE id = ${id} GROUP BY k`);
    await db.query("SET sql_mode = ''");
    const hitsBefore = textCacheTotals().hits;
    for (const id of [4, 5, 6, 4, 5]) assert.deepEqual((await grouped(id)).rows, [[id, `v${id}`]]);
    assert.ok(textCacheTotals().hits > hitsBefore, 'the grouped query runs from the cache');
    await db.query("SET sql_mode = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES'");
    for (const id of [4, 5]) await assert.rejects(grouped(id), { errno: 1055 });
    await db.query("SET sql_mode = ''");
    assert.deepEqual((await grouped(6)).rows, [[6, 'v6']]);
  });

  it('reports syntax errors near a literal with the text of the statement', async () => {
    for (const id of [1, 2, 3]) await answer(db, `SELECT v FROM kv WHERE id = ${id}`);
    assert.deepEqual(await errorOf(db, 'SELECT v FROM kv WHERE id = 5 6'), {
      errno: 1064,
      message:
        "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '6' at line 1",
    });
    assert.deepEqual(await errorOf(db, "SELECT v FROM kv WHERE id = 'abc"), {
      errno: 1064,
      message:
        "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near ''abc' at line 1",
    });
    assert.equal((await errorOf(db, 'SELECT v FROM kv WHERE id = 5 5 LIMIT')).errno, 1064);
  });

  it('stays within its bounds under many distinct shapes', async () => {
    const distinct = TEXT_CACHE_LIMITS.entriesMax + 200;
    for (let index = 0; index < distinct; index += 1)
      await db.query(`SELECT v AS c${index} FROM kv WHERE id = ${index % 64}`);
    const totals = textCacheTotals();
    assert.ok(totals.entries <= TEXT_CACHE_LIMITS.entriesMax, `${totals.entries} entries`);
    assert.ok(totals.bytes <= TEXT_CACHE_LIMITS.bytesMax);
    // The cache still works after evictions.
    const hitsBefore = textCacheTotals().hits;
    for (const id of [1, 2, 3, 4]) await assertSameAnswers(db, `SELECT n FROM kv WHERE id = ${id}`);
    assert.ok(textCacheTotals().hits > hitsBefore);
  });
});

describe('the text cache bounds', () => {
  it('evicts the least recently used entries past its entry and byte limits', () => {
    const cache = new TextCache({ entriesMax: 3, bytesMax: 64 * 1024 });
    for (const key of ['a', 'b', 'c']) cache.set(key, { kind: 'seen' });
    assert.ok(cache.get('a') !== undefined);
    cache.set('d', { kind: 'seen' });
    assert.equal(cache.size, 3);
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.get('a') !== undefined && cache.get('d') !== undefined);

    const small = new TextCache({ entriesMax: 1000, bytesMax: 16 * 1024 });
    for (let index = 0; index < 500; index += 1)
      small.set(`key ${index} ${'x'.repeat(20)}`, { kind: 'seen' });
    assert.ok(small.bytes <= 16 * 1024);
    assert.ok(small.size < 500);
    // An entry larger than a sixteenth of the bytes is never kept.
    small.set('y'.repeat(1024), { kind: 'seen' });
    assert.equal(small.get('y'.repeat(1024)), undefined);
  });
});
