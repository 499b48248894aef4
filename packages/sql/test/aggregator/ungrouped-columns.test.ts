/**
 * Aggregated queries that select columns neither grouped nor aggregated, as MySQL 8 treats
 * them: with ONLY_FULL_GROUP_BY (MySQL 8's default sql_mode, set by this test's connection) a
 * column that depends on the grouped columns (a grouped primary key, equalities of joins and
 * WHERE) is allowed and any other is refused with 1055 or 1140; without it (MariaDB's default,
 * and this server's) every such column returns a value from its group. Both engines, several
 * partitions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const MYSQL8_MODE =
  'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

describe('ungrouped columns in aggregated queries', () => {
  let cluster: SqlCluster;
  let connection: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    connection = await cluster.connect();
    await connection.query('CREATE DATABASE grp PARTITIONS 4');
    await connection.query('USE grp');
    await connection.query(
      'CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20), city VARCHAR(20))',
    );
    await connection.query(
      'CREATE ROWSTORE TABLE orders (id INT PRIMARY KEY, uid INT, amount INT)',
    );
    await connection.query(
      "INSERT INTO users VALUES (1, 'ann', 'oslo'), (2, 'bob', 'rome'), (3, 'cy', 'rome')",
    );
    await connection.query('INSERT INTO orders VALUES (1, 1, 5), (2, 1, 7), (3, 2, 1), (4, 3, 2)');
    await connection.query(`SET sql_mode = '${MYSQL8_MODE}'`);
  });

  after(async () => {
    await connection.end();
    await cluster.close();
  });

  async function rows(sql: string): Promise<unknown[][]> {
    const [result] = await connection.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown[][];
  }

  async function errno(sql: string): Promise<number | undefined> {
    try {
      await connection.query(sql);
      return undefined;
    } catch (error) {
      return (error as { errno?: number }).errno;
    }
  }

  it('allows columns that depend on the grouped primary key', async () => {
    assert.deepEqual(
      await rows(
        'SELECT u.id, u.name, u.city, SUM(o.amount) FROM users u JOIN orders o ON o.uid = u.id GROUP BY u.id ORDER BY u.id',
      ),
      [
        [1, 'ann', 'oslo', '12'],
        [2, 'bob', 'rome', '1'],
        [3, 'cy', 'rome', '2'],
      ],
    );
    assert.deepEqual(
      await rows('SELECT id, name FROM users GROUP BY id HAVING name > "b" ORDER BY id'),
      [
        [2, 'bob'],
        [3, 'cy'],
      ],
    );
  });

  it('follows equalities of joins and WHERE to the grouped columns, as MySQL 8 does', async () => {
    // users is sharded by id and orders by its own id: the join runs as a fragment, and the
    // check must still see the query as written.
    const expected = [
      [1, 'ann', '12'],
      [2, 'bob', '1'],
      [3, 'cy', '2'],
    ];
    assert.deepEqual(
      await rows(
        'SELECT o.uid, u.name, SUM(o.amount) FROM orders o JOIN users u ON u.id = o.uid GROUP BY o.uid ORDER BY 1',
      ),
      expected,
    );
    assert.deepEqual(
      await rows(
        'SELECT o.uid, u.name, SUM(o.amount) FROM orders o, users u WHERE o.uid = u.id GROUP BY o.uid ORDER BY 1',
      ),
      expected,
    );
    // A column equal to a constant is determined too.
    assert.deepEqual(
      await rows("SELECT city, name, COUNT(*) FROM users WHERE name = 'bob' GROUP BY city"),
      [['rome', 'bob', 1]],
    );
    // An outer join determines its inner side from the outer side only.
    assert.deepEqual(
      await rows(
        'SELECT u.id, o.uid, COUNT(o.id) FROM users u LEFT JOIN orders o ON o.uid = u.id GROUP BY u.id ORDER BY 1',
      ),
      [
        [1, 1, 2],
        [2, 2, 1],
        [3, 3, 1],
      ],
    );
    assert.equal(
      await errno(
        'SELECT u.name, COUNT(*) FROM users u LEFT JOIN orders o ON o.uid = u.id GROUP BY o.uid',
      ),
      1055,
    );
    assert.equal(
      await errno(
        'SELECT o.amount, SUM(o.amount) FROM orders o JOIN users u ON u.id = o.uid GROUP BY u.id',
      ),
      1055,
    );
  });

  it('shows a dependent column under its own name', async () => {
    const [, fields] = await connection.query(
      'SELECT u.id, u.name, (u.city), COUNT(*) FROM users u GROUP BY u.id',
    );
    assert.deepEqual(
      fields.map((field) => field.name),
      ['id', 'name', 'city', 'COUNT(*)'],
    );
  });

  it('refuses at PREPARE, EXPLAIN, CREATE VIEW and INSERT … SELECT too', async () => {
    const bad = 'SELECT name, COUNT(*) FROM users GROUP BY city';
    await assert.rejects(connection.prepare(bad), { errno: 1055 });
    assert.equal(await errno(`EXPLAIN ${bad}`), 1055);
    assert.equal(await errno(`CREATE VIEW bad_view AS ${bad}`), 1055);
    assert.equal(
      await errno(`INSERT INTO orders (id, uid) SELECT COUNT(*), uid FROM orders`),
      1140,
    );
    assert.equal(await errno('SELECT * FROM bad_view'), 1146, 'the view was not created');
  });

  it('refuses other ungrouped columns under ONLY_FULL_GROUP_BY', async () => {
    assert.equal(await errno('SELECT name, COUNT(*) FROM users GROUP BY city'), 1055);
    assert.equal(await errno('SELECT city, COUNT(*) FROM users GROUP BY city ORDER BY name'), 1055);
    assert.equal(await errno('SELECT name, COUNT(*) FROM users'), 1140);
    assert.equal(await errno('SELECT uid, COUNT(*) FROM orders'), 1140, 'rowstore');
    // Aliases and positions name select items, not table columns.
    assert.deepEqual(
      await rows('SELECT city AS c, COUNT(*) AS n FROM users GROUP BY c ORDER BY n DESC, c'),
      [
        ['rome', 2],
        ['oslo', 1],
      ],
    );
  });

  it('returns a value of the group without ONLY_FULL_GROUP_BY', async () => {
    await connection.query("SET sql_mode = 'STRICT_TRANS_TABLES'");
    try {
      const byCity = await rows(
        'SELECT city, name, COUNT(*) FROM users GROUP BY city ORDER BY city',
      );
      assert.deepEqual(byCity[0], ['oslo', 'ann', 1]);
      assert.equal(byCity[1]?.[0], 'rome');
      assert.ok(['bob', 'cy'].includes(byCity[1]?.[1] as string), String(byCity[1]?.[1]));
      assert.deepEqual(await rows('SELECT name, COUNT(*) FROM users WHERE id = 2'), [['bob', 1]]);
      assert.deepEqual(await rows('SELECT uid, SUM(amount) FROM orders WHERE uid = 1'), [
        [1, '12'],
      ]);
    } finally {
      await connection.query(`SET sql_mode = '${MYSQL8_MODE}'`);
    }
  });

  it('reads * of an aggregated query as its columns', async () => {
    await connection.query('SET sql_mode = DEFAULT');
    try {
      assert.deepEqual(
        await rows("SELECT *, COUNT(*) FROM users WHERE city = 'oslo' GROUP BY city"),
        [[1, 'ann', 'oslo', 1]],
      );
      assert.deepEqual(
        await rows(
          'SELECT u.*, SUM(o.amount) FROM users u JOIN orders o ON o.uid = u.id GROUP BY u.id ORDER BY u.id',
        ),
        [
          [1, 'ann', 'oslo', '12'],
          [2, 'bob', 'rome', '1'],
          [3, 'cy', 'rome', '2'],
        ],
      );
      // A column the star selects may be named in HAVING.
      assert.deepEqual(
        await rows("SELECT *, COUNT(*) AS n FROM users GROUP BY city HAVING name = 'ann'"),
        [[1, 'ann', 'oslo', 1]],
      );
      const [, fields] = await connection.query('SELECT *, COUNT(*) FROM users GROUP BY city');
      assert.deepEqual(
        fields.map((field) => field.name),
        ['id', 'name', 'city', 'COUNT(*)'],
      );
    } finally {
      await connection.query(`SET sql_mode = '${MYSQL8_MODE}'`);
    }
    // Under ONLY_FULL_GROUP_BY its columns are checked as if written out.
    assert.deepEqual(await rows('SELECT *, COUNT(*) FROM users GROUP BY id ORDER BY id'), [
      [1, 'ann', 'oslo', 1],
      [2, 'bob', 'rome', 1],
      [3, 'cy', 'rome', 1],
    ]);
    assert.equal(await errno('SELECT *, COUNT(*) FROM users GROUP BY city'), 1055);
    assert.equal(await errno('SELECT o.*, COUNT(*) FROM orders o GROUP BY uid'), 1055, 'rowstore');
  });

  it("reads ungrouped columns from each group's first row in key order, as MariaDB", async () => {
    await connection.query('SET sql_mode = DEFAULT');
    try {
      // A one-partition database runs the whole query on its engine (SQLite for rowstore).
      await connection.query('CREATE DATABASE grp1 PARTITIONS 1');
      for (const [database, kind] of [
        ['grp', ''],
        ['grp', 'ROWSTORE'],
        ['grp1', ''],
        ['grp1', 'ROWSTORE'],
      ]) {
        const table = `${database}.firsts${kind}`;
        await connection.query(
          `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, dept INT, name VARCHAR(10), sal INT)`,
        );
        // Written in reverse key order: neither insertion nor partition order is key order.
        await connection.query(
          `INSERT INTO ${table} VALUES (7, 2, 'w', 1), (6, 1, 'q', 5), (5, 3, 'c', 50),
           (4, 2, 'y', 20), (3, 2, 'b', 30), (2, 1, 'a', 90), (1, 1, 'z', 10)`,
        );
        // Answers recorded from MariaDB 10.11 (InnoDB) with the same rows.
        const cases: [string, unknown[][]][] = [
          [
            `SELECT dept, name, sal FROM ${table} GROUP BY dept ORDER BY dept`,
            [
              [1, 'z', 10],
              [2, 'b', 30],
              [3, 'c', 50],
            ],
          ],
          [
            `SELECT *, COUNT(*) FROM ${table} t GROUP BY dept HAVING name <> 'c' ORDER BY dept`,
            [
              [1, 1, 'z', 10, 3],
              [3, 2, 'b', 30, 3],
            ],
          ],
          [`SELECT name, MAX(sal) FROM ${table} WHERE sal < 50`, [['z', 30]]],
          [
            `SELECT dept, name, SUM(sal) s FROM ${table} GROUP BY dept ORDER BY name`,
            [
              [2, 'b', '51'],
              [3, 'c', '50'],
              [1, 'z', '105'],
            ],
          ],
          [
            `SELECT dept, UPPER(name) u FROM ${table} GROUP BY dept HAVING u > 'B' ORDER BY 1`,
            [
              [1, 'Z'],
              [3, 'C'],
            ],
          ],
        ];
        for (const [sql, expected] of cases) assert.deepEqual(await rows(sql), expected, sql);
      }
      // Equality on the shard key runs the query on one partition's engine (SQLite here).
      await connection.query(
        `CREATE ROWSTORE TABLE routed (id INT, dept INT, name VARCHAR(10),
         PRIMARY KEY (dept, id), SHARD KEY (dept))`,
      );
      await connection.query(
        "INSERT INTO routed VALUES (3, 1, 'c'), (2, 1, 'b'), (1, 1, 'a'), (4, 2, 'd')",
      );
      const routed = 'SELECT dept, name, COUNT(*) FROM routed WHERE dept = 1 GROUP BY dept';
      const explained = (await rows(`EXPLAIN ${routed}`)).map((row) => String(row[0]));
      assert.match(explained.join('\n'), /SQLite[\s\S]*exo_first/);
      assert.deepEqual(await rows(routed), [[1, 'a', 3]]);
    } finally {
      await connection.query(`SET sql_mode = '${MYSQL8_MODE}'`);
    }
  });

  it("defaults to MariaDB 10.11's sql_mode, without ONLY_FULL_GROUP_BY", async () => {
    const fresh = await cluster.connect();
    try {
      await fresh.query('USE grp');
      const [[row]] = await fresh.query<RowDataPacket[]>({
        sql: 'SELECT @@sql_mode, @@GLOBAL.sql_mode',
        rowsAsArray: true,
      });
      const mariadb =
        'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';
      assert.deepEqual(row, [mariadb, mariadb]);
      const [[answer]] = await fresh.query<RowDataPacket[]>({
        sql: "SELECT name, COUNT(*) FROM users WHERE city = 'oslo'",
        rowsAsArray: true,
      });
      assert.deepEqual(answer, ['ann', 1]);
      // SET … = DEFAULT restores it.
      await connection.query('SET sql_mode = DEFAULT');
      assert.deepEqual(await rows('SELECT @@sql_mode'), [[mariadb]]);
      assert.deepEqual(await rows("SELECT name, COUNT(*) FROM users WHERE city = 'oslo'"), [
        ['ann', 1],
      ]);
    } finally {
      await fresh.end();
      await connection.query(`SET sql_mode = '${MYSQL8_MODE}'`);
    }
  });
});
