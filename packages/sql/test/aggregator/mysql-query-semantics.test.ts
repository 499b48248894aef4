/**
 * Query forms whose answers the engines would give differently from MySQL: row-value
 * comparisons with NULLs and case, HAVING without grouping, FOUND_ROWS() across SHOW WARNINGS,
 * subqueries in SET and their 1242, SLEEP/BENCHMARK, CHARSET/COLLATION, unsigned arithmetic,
 * SELECT … INTO @variables, a filtered table of another database.
 * Both storages, several partitions. The expected answers are what MariaDB 10.11 gives to the
 * same statements on the same rows (run side by side with the throwaway server of bench/sql).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { waitRunning } from '../support/processlist.js';

describe('MySQL query semantics', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown[][];
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE semantics PARTITIONS 4');
    await db.query('USE semantics');
    for (const [name, kind] of [
      ['people_column', ''],
      ['people_row', 'ROWSTORE'],
    ] as const) {
      await db.query(
        `CREATE ${kind} TABLE ${name} (id INT PRIMARY KEY, name VARCHAR(20), dept INT, mgr INT)`,
      );
      await db.query(
        `INSERT INTO ${name} VALUES (1, 'alice', 1, NULL), (2, 'bob', 2, 1), (3, 'carol', 2, 2), (4, 'eve', 1, 1)`,
      );
    }
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('compares row values element by element: NULL is unknown, strings ignore case', async () => {
    assert.deepEqual(
      await rows(
        "SELECT (1, NULL) IN ((1, NULL)), (1, NULL) = (1, NULL), (1, 2) IN ((1, 2), (3, 4)), (1, NULL) <> (2, NULL), (1, 2) < (1, 3), (2, 1) > (1, 5), (1, NULL) <=> (1, NULL), ('a', 1) = ('A', 1)",
      ),
      [[null, null, 1, 1, 1, 1, 1, 1]],
    );
    await assert.rejects(db.query('SELECT (1, 2) = (1, 2, 3)'), { errno: 1241 });
    for (const table of ['people_column', 'people_row']) {
      assert.deepEqual(
        await rows(
          `SELECT name, (dept, mgr) IN ((1, NULL), (2, 1)), (dept, mgr) NOT IN ((2, 1)) FROM ${table} ORDER BY id`,
        ),
        [
          ['alice', null, 1],
          ['bob', 1, 0],
          ['carol', 0, 1],
          ['eve', null, 1],
        ],
        table,
      );
      assert.deepEqual(
        await rows(`SELECT name FROM ${table} WHERE (dept, mgr) IN ((1, NULL), (2, 1))`),
        [['bob']],
        table,
      );
      assert.deepEqual(
        await rows(`SELECT name FROM ${table} WHERE (dept, name) = (2, 'CAROL')`),
        [['carol']],
        table,
      );
      assert.deepEqual(
        await rows(`SELECT name FROM ${table} WHERE (dept, id) > (1, 4) ORDER BY id`),
        [['bob'], ['carol']],
        table,
      );
    }
  });

  it('filters rows with HAVING when nothing is grouped, naming select aliases', async () => {
    for (const table of ['people_column', 'people_row']) {
      assert.deepEqual(
        await rows(`SELECT name AS n FROM ${table} HAVING n LIKE 'b%' OR n > 'd' ORDER BY n`),
        [['bob'], ['eve']],
        table,
      );
      assert.deepEqual(
        await rows(`SELECT name AS n, dept FROM ${table} WHERE id > 1 HAVING dept = 2 ORDER BY n`),
        [
          ['bob', 2],
          ['carol', 2],
        ],
        table,
      );
      // With an aggregate it still filters groups.
      assert.deepEqual(await rows(`SELECT COUNT(*) c FROM ${table} HAVING c > 10`), [], table);
    }
  });

  it("answers a new connection's ROW_COUNT() and FOUND_ROWS() as MariaDB does", async () => {
    const fresh = await cluster.connect();
    try {
      const [answer] = await fresh.query({
        sql: 'SELECT ROW_COUNT(), FOUND_ROWS(), LAST_INSERT_ID()',
        rowsAsArray: true,
      });
      assert.deepEqual(answer, [[0, 1, 0]]);
    } finally {
      await fresh.end();
    }
  });

  it('keeps FOUND_ROWS() across SHOW WARNINGS, as MariaDB does', async () => {
    await db.query('SELECT SQL_CALC_FOUND_ROWS name FROM people_column ORDER BY id LIMIT 1');
    await db.query('SHOW WARNINGS');
    assert.deepEqual(await rows('SELECT FOUND_ROWS()'), [[4]]);
    await db.query('SHOW TABLES');
    assert.deepEqual(await rows('SELECT FOUND_ROWS()'), [[2]]);
    await db.query('INSERT INTO people_row VALUES (5, NULL, NULL, NULL), (6, NULL, NULL, NULL)');
    await db.query('SHOW WARNINGS');
    assert.deepEqual(await rows('SELECT ROW_COUNT()'), [[-1]]);
  });

  it('evaluates SET values with subqueries, and answers 1242 for a scalar subquery of rows', async () => {
    await db.query('SET @most = (SELECT MAX(dept) FROM people_column), @rows = 3');
    assert.deepEqual(await rows('SELECT @most, @rows'), [[2, 3]]);
    await db.query('SET @has = EXISTS (SELECT 1 FROM people_row WHERE mgr = 2)');
    assert.deepEqual(await rows('SELECT @has'), [[1]]);
    for (const sql of [
      'SET @many = (SELECT id FROM people_column)',
      'SELECT (SELECT id FROM people_column) AS x',
      'SELECT name FROM people_row WHERE id = (SELECT id FROM people_column)',
    ])
      await assert.rejects(
        db.query(sql),
        { errno: 1242, message: 'Subquery returns more than 1 row' },
        sql,
      );
  });

  it('runs SLEEP and BENCHMARK, and KILL QUERY ends a SLEEP with 1317', async () => {
    assert.deepEqual(await rows('SELECT SLEEP(0.05) AS s, BENCHMARK(10, 1 + 1) AS b'), [[0, 0]]);
    const other = await cluster.connect();
    try {
      const [[own]] = await db.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
      const started = Date.now();
      const sleeping = db.query('SELECT SLEEP(30)').then(
        () => undefined,
        (error: unknown) => error,
      );
      await waitRunning(other, Number(own?.['id']));
      await other.query(`KILL QUERY ${String(own?.['id'])}`);
      assert.equal(((await sleeping) as { errno?: number } | undefined)?.errno, 1317);
      assert.ok(Date.now() - started < 10_000, 'the sleep ended at the KILL');
      assert.deepEqual(await rows('SELECT 1'), [[1]], 'the connection stays usable');
    } finally {
      await other.end();
    }
  });

  it('names the character set and collation of values as MariaDB does', async () => {
    // mysql2 connects with utf8mb4_unicode_ci: a literal takes it, a column its own.
    assert.deepEqual(
      await rows(
        "SELECT CHARSET('a'), COLLATION('a'), CHARSET(1), COLLATION(NULL), CHARSET(name), COLLATION(name), CHARSET(id) FROM people_column WHERE id = 1",
      ),
      [
        [
          'utf8mb4',
          'utf8mb4_unicode_ci',
          'binary',
          'binary',
          'utf8mb4',
          'utf8mb4_general_ci',
          'binary',
        ],
      ],
    );
  });

  it('computes with an unsigned operand in unsigned 64 bits', async () => {
    assert.deepEqual(
      await rows(
        'SELECT -9223372036854775808, 18446744073709551615 - 1, CAST(10 AS UNSIGNED) + -5, - 18446744073709551615',
      ),
      [['-9223372036854775808', '18446744073709551614', 5, '-18446744073709551615']],
    );
    for (const sql of ['SELECT CAST(3 AS UNSIGNED) - 5', 'SELECT 18446744073709551615 + 1'])
      await assert.rejects(db.query(sql), { errno: 1690 }, sql);
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`makes signed and unsigned integer branches a DECIMAL (${kind || 'COLUMNSTORE'})`, async () => {
      // MariaDB 10.11: IF/CASE/COALESCE of an INT UNSIGNED and a signed integer is DECIMAL(10,0)
      // (DECIMAL(19,0) beside a BIGINT), so a negative branch is a value, not 1690; branches of
      // one signedness keep their integer type.
      const table = `mixed_sign_${kind.toLowerCase() || 'column'}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, u INT UNSIGNED, b BIGINT)`,
      );
      await db.query(`INSERT INTO ${table} VALUES (1, 4000000000, -5), (2, 17, NULL)`);
      const [result, fields] = await db.query<RowDataPacket[]>({
        sql: `SELECT IF(id > 1, u, -2), COALESCE(u, b), CASE WHEN id = 1 THEN b ELSE u END, COALESCE(u, u) FROM ${table} ORDER BY id`,
        rowsAsArray: true,
      });
      assert.deepEqual(result, [
        ['-2', '4000000000', '-5', 4000000000],
        ['17', '17', '17', 17],
      ]);
      assert.deepEqual(
        fields.map((f) => [f.columnType, f.columnLength]),
        [
          [246, 11],
          [246, 20],
          [246, 20],
          [3, 10],
        ],
      );
    });
  }

  it('divides unsigned 64-bit values and reads them as SIGNED as MariaDB does', async () => {
    // Answers of MariaDB 10.11: DIV stays unsigned, SIGNED wraps from 2^63 up, a 0x literal is
    // a BIGINT UNSIGNED in numeric context.
    assert.deepEqual(
      await rows(
        'SELECT CAST(-1 AS UNSIGNED) DIV 2, 18446744073709551615 DIV 3, 9223372036854775808 DIV 2, -1 DIV CAST(2 AS UNSIGNED), CAST(CAST(-1 AS UNSIGNED) AS SIGNED), CAST(9223372036854775808 AS SIGNED), 0xFFFFFFFFFFFFFFFF + 0, CAST(0xFFFFFFFFFFFFFFFF AS SIGNED)',
      ),
      [
        [
          '9223372036854775807',
          '6148914691236517205',
          '4611686018427387904',
          0,
          -1,
          '-9223372036854775808',
          '18446744073709551615',
          -1,
        ],
      ],
    );
    for (const sql of ['SELECT -5 DIV CAST(2 AS UNSIGNED)', 'SELECT CAST(-1 AS UNSIGNED) DIV -2'])
      await assert.rejects(db.query(sql), { errno: 1690 }, sql);
  });

  it('assigns SELECT … INTO @variables as MariaDB does', async () => {
    const [one] = await db.query<ResultSetHeader>(
      'SELECT name, dept INTO @who, @dept FROM people_column WHERE id = 2',
    );
    assert.equal(one.affectedRows, 1);
    assert.deepEqual(await rows('SELECT @who, @dept'), [['bob', 2]]);
    const [none] = await db.query<ResultSetHeader>(
      'SELECT name INTO @who FROM people_row WHERE id = 99',
    );
    assert.equal(none.affectedRows, 0);
    assert.equal(none.warningStatus, 1);
    assert.deepEqual(await rows('SHOW WARNINGS'), [
      ['Warning', 1329, 'No data - zero rows fetched, selected, or processed'],
    ]);
    assert.deepEqual(await rows('SELECT @who'), [['bob']], 'left as it was');
    // With LIMIT 1 the row assigned is the one MariaDB answers first (its implicit order).
    for (const table of ['people_column', 'people_row']) {
      await db.query(`SELECT name INTO @first FROM ${table} LIMIT 1`);
      await db.query(`SELECT DISTINCT dept INTO @d FROM ${table} WHERE id > 1 LIMIT 1`);
      await db.query(`SELECT name INTO @g FROM ${table} GROUP BY dept DESC LIMIT 1`);
      assert.deepEqual(await rows('SELECT @first, @d, @g'), [['alice', 2, 'bob']], table);
    }
    await assert.rejects(db.query('SELECT id INTO @many FROM people_column'), { errno: 1172 });
    await assert.rejects(db.query('SELECT id, name INTO @one FROM people_column WHERE id = 1'), {
      errno: 1222,
    });
  });

  it('assigns variables in a select list as MariaDB leaves them', async () => {
    assert.deepEqual(await rows('SELECT @five := 5, @five, @sum := 2 + 3 AS x'), [[5, 5, 5]]);
    assert.deepEqual(await rows('SELECT @most := MAX(dept) FROM people_row'), [[2]]);
    assert.deepEqual(await rows('SELECT @last := name FROM people_column ORDER BY id'), [
      ['alice'],
      ['bob'],
      ['carol'],
      ['eve'],
    ]);
    assert.deepEqual(await rows('SELECT @five, @most, @last'), [[5, 2, 'eve']]);
    // Numbering rows through a variable needs row-by-row evaluation: refused, not wrong.
    await assert.rejects(db.query('SELECT @n := @n + 1 AS n FROM people_column'), {
      errno: 1235,
    });
  });

  it('filters a table of another database named with its database', async () => {
    await db.query('CREATE DATABASE semantics_other');
    try {
      for (const kind of ['', 'ROWSTORE']) {
        await db.query('DROP TABLE IF EXISTS semantics_other.t');
        await db.query(`CREATE ${kind} TABLE semantics_other.t (id INT PRIMARY KEY, v INT)`);
        await db.query('INSERT INTO semantics_other.t VALUES (1, 10), (2, 20), (3, 30)');
        assert.deepEqual(await rows('SELECT v FROM semantics_other.t WHERE id > 1 ORDER BY v'), [
          [20],
          [30],
        ]);
        assert.deepEqual(
          await rows('SELECT COUNT(*) FROM semantics_other.t WHERE id BETWEEN 1 AND 2'),
          [[2]],
        );
      }
    } finally {
      await db.query('DROP DATABASE semantics_other');
    }
  });
});
