/**
 * Answers MySQL clients read besides result rows, checked on both storage engines: affected
 * rows of INSERT … ON DUPLICATE KEY UPDATE, the notes of IF [NOT] EXISTS, column defaults as
 * SHOW COLUMNS prints them, and arithmetic overflow. The expected values are what MariaDB 10.11
 * answers to the same statements (run side by side with the throwaway server of bench/sql).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('MySQL answers', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const affected = async (sql: string): Promise<number> => {
    const [result] = await db.query<ResultSetHeader>(sql);
    return result.affectedRows;
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE answers PARTITIONS 4');
    await db.query('USE answers');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`counts ON DUPLICATE KEY UPDATE as MySQL does (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `odku_${kind.toLowerCase() || 'column'}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, v INT, s VARCHAR(10))`);
      await db.query(`INSERT INTO ${table} VALUES (1, 10, 'a'), (2, 20, 'b')`);
      // Changed: 2; left as it was: 1 (CLIENT_FOUND_ROWS); inserted: 1.
      assert.equal(
        await affected(`INSERT INTO ${table} VALUES (1, 0, 'a') ON DUPLICATE KEY UPDATE v = v + 1`),
        2,
      );
      assert.equal(
        await affected(`INSERT INTO ${table} VALUES (1, 0, 'a') ON DUPLICATE KEY UPDATE v = v`),
        1,
      );
      assert.equal(
        await affected(`INSERT INTO ${table} VALUES (3, 30, 'c') ON DUPLICATE KEY UPDATE v = 0`),
        1,
      );
      assert.equal(
        await affected(
          `INSERT INTO ${table} VALUES (1, 0, 'x'), (4, 40, 'd'), (2, 0, 'b') ON DUPLICATE KEY UPDATE s = VALUES(s)`,
        ),
        4,
      );
      const [rows] = await db.query<RowDataPacket[]>(`SELECT id, v, s FROM ${table} ORDER BY id`);
      assert.deepEqual(
        rows.map((row) => [row['id'], row['v'], row['s']] as unknown[]),
        [
          [1, 11, 'x'],
          [2, 20, 'b'],
          [3, 30, 'c'],
          [4, 40, 'd'],
        ],
      );
    });
  }

  it('leaves a note for DROP/CREATE DATABASE IF [NOT] EXISTS', async () => {
    await db.query('DROP DATABASE IF EXISTS nothing_here');
    const [dropped] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
    assert.deepEqual(
      dropped.map((row) => [row['Level'], row['Code'], row['Message']] as unknown[]),
      [['Note', 1008, "Can't drop database 'nothing_here'; database doesn't exist"]],
    );
    await db.query('CREATE DATABASE IF NOT EXISTS answers');
    const [created] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
    assert.deepEqual(
      created.map((row) => [row['Code'], row['Message']] as unknown[]),
      [[1007, "Can't create database 'answers'; database exists"]],
    );
  });

  it('leaves notes for DROP/CREATE TABLE IF [NOT] EXISTS and restarts AUTO_INCREMENT on TRUNCATE', async () => {
    await db.query('CREATE TABLE counted (id INT AUTO_INCREMENT PRIMARY KEY, v INT)');
    await db.query('CREATE TABLE IF NOT EXISTS counted (id INT)');
    const [exists] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
    assert.deepEqual(
      exists.map((row) => [row['Level'], row['Code'], row['Message']] as unknown[]),
      [['Note', 1050, "Table 'counted' already exists"]],
    );
    await db.query('DROP TABLE IF EXISTS gone_1, gone_2');
    const [missing] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
    assert.deepEqual(
      missing.map((row) => [row['Code'], row['Message']] as unknown[]),
      [[1051, "Unknown table 'answers.gone_1,answers.gone_2'"]],
    );
    // The tables that exist are dropped before the error names the unknown ones.
    await db.query('CREATE TABLE kept_1 (a INT); CREATE TABLE kept_2 (a INT)');
    await assert.rejects(db.query('DROP TABLE kept_1, gone_3, kept_2'), {
      errno: 1051,
      message: "Unknown table 'answers.gone_3'",
    });
    const [left] = await db.query<RowDataPacket[]>("SHOW TABLES LIKE 'kept%'");
    assert.deepEqual(left, []);
    await db.query('INSERT INTO counted (v) VALUES (1), (2), (3)');
    await db.query('TRUNCATE counted');
    await db.query('INSERT INTO counted (v) VALUES (4)');
    const [rows] = await db.query<RowDataPacket[]>('SELECT id FROM counted');
    assert.deepEqual(rows, [{ id: 1 }]);
  });

  it('starts AUTO_INCREMENT at 1 in a table of a dropped and created again database', async () => {
    for (let round = 0; round < 2; round += 1) {
      await db.query('DROP DATABASE IF EXISTS again');
      await db.query('CREATE DATABASE again');
      await db.query('CREATE TABLE again.t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)');
      await db.query('CREATE ROWSTORE TABLE again.r (id INT AUTO_INCREMENT PRIMARY KEY, v INT)');
      await db.query('INSERT INTO again.t (v) VALUES (1), (2)');
      await db.query('INSERT INTO again.r (v) VALUES (1), (2)');
      const [rows] = await db.query<RowDataPacket[]>({
        sql: 'SELECT (SELECT MAX(id) FROM again.t), (SELECT MAX(id) FROM again.r)',
        rowsAsArray: true,
      });
      assert.deepEqual(rows, [[2, 2]], `round ${round}`);
    }
    await db.query('DROP DATABASE again');
  });

  it('shows numeric defaults as the column stores them', async () => {
    await db.query(
      `CREATE TABLE defaults (id INT PRIMARY KEY, f BOOL DEFAULT TRUE, g BOOLEAN DEFAULT FALSE,
         n INT DEFAULT -1, x DECIMAL(5,2) DEFAULT 1.5, y VARCHAR(5) DEFAULT 'q', z DOUBLE DEFAULT 1e3)`,
    );
    const [columns] = await db.query<RowDataPacket[]>('SHOW COLUMNS FROM defaults');
    assert.deepEqual(
      columns.map((row) => row['Default'] as unknown),
      [null, '1', '0', '-1', '1.50', 'q', '1000'],
    );
    await db.query('INSERT INTO defaults (id) VALUES (1)');
    const [rows] = await db.query<RowDataPacket[]>('SELECT f, g, n, x, y, z FROM defaults');
    assert.deepEqual(rows[0], { f: 1, g: 0, n: -1, x: '1.50', y: 'q', z: 1000 });
    await assert.rejects(db.query('CREATE TABLE bad_default (x TINYINT DEFAULT 300)'), {
      errno: 1067,
    });
  });

  it('shards a table without primary key on its first unique key', async () => {
    await db.query('CREATE TABLE only_unique (a INT UNIQUE, b INT, KEY (b))');
    await db.query('INSERT INTO only_unique VALUES (1, 1), (2, 2), (3, 3), (NULL, 4), (NULL, 5)');
    await assert.rejects(db.query('INSERT INTO only_unique VALUES (2, 9)'), { errno: 1062 });
    const [rows] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM only_unique');
    assert.equal(Number(rows[0]?.['n']), 5);
    await assert.rejects(db.query('CREATE TABLE two_uniques (a INT UNIQUE, b INT UNIQUE)'), {
      errno: 1705,
    });
  });

  it('binds placeholders wherever a value may stand (LIKE, CONCAT, CAST, IS NULL)', async () => {
    await db.query('CREATE TABLE params (id INT PRIMARY KEY, s VARCHAR(20))');
    await db.query("INSERT INTO params VALUES (1, 'hello'), (2, 'world')");
    const [liked] = await db.execute<RowDataPacket[]>('SELECT id FROM params WHERE s LIKE ?', [
      'h%',
    ]);
    assert.deepEqual(liked, [{ id: 1 }]);
    const [row] = await db.execute<RowDataPacket[]>(
      'SELECT ? + 1 AS a, ? * 2 AS b, CONCAT(?, ?) AS c, ? IS NULL AS d, CAST(? AS SIGNED) AS e',
      [1, 2.5, 'a', 3, null, '42'],
    );
    assert.deepEqual({ ...row[0] }, { a: 2, b: 5, c: 'a3', d: 1, e: 42 });
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`computes TIME arithmetic, FLOAT arithmetic and JSON aggregates (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `times_${kind.toLowerCase() || 'column'}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, f FLOAT, d DECIMAL(12,4), t TIME, dt DATETIME)`,
      );
      await db.query(
        `INSERT INTO ${table} VALUES (1, 1.1, 1.23456, '01:02:03', '2024-01-01 10:00:00'),
           (2, 3.3, -0.00005, '23:59:59', '2024-06-30 23:59:59'), (3, -2.5, 99999999.9999, '00:00:00', NULL)`,
      );
      const [rows] = await db.query<RowDataPacket[]>(
        `SELECT TIME_TO_SEC(t) AS s, SEC_TO_TIME(TIME_TO_SEC(t) + 90000) AS later,
           TIMEDIFF(t, '00:30:00') AS diff, ADDTIME(t, '01:00:00') AS added,
           SUBTIME(dt, '01:00:00') AS earlier, d + f AS sum, f * 2 AS twice
         FROM ${table} ORDER BY id`,
      );
      // MariaDB 10.11's answers to the same statements.
      assert.deepEqual(
        rows.map(
          (row) =>
            [
              Number(row['s']),
              row['later'],
              row['diff'],
              row['added'],
              row['earlier'],
              row['sum'],
              row['twice'],
            ] as unknown[],
        ),
        [
          [
            3723,
            '26:02:03',
            '00:32:03',
            '02:02:03',
            '2024-01-01 09:00:00',
            2.334600023841858,
            2.200000047683716,
          ],
          [
            86399,
            '48:59:59',
            '23:29:59',
            '24:59:59',
            '2024-06-30 22:59:59',
            3.299899952316284,
            6.599999904632568,
          ],
          [0, '25:00:00', '-00:30:00', '01:00:00', null, 99999997.4999, -5],
        ],
      );
      const [json] = await db.query<RowDataPacket[]>(
        `SELECT JSON_ARRAYAGG(id) AS ids, JSON_OBJECTAGG(id, t) AS times FROM (SELECT id, t FROM ${table} ORDER BY id) AS x`,
      );
      // mysql2 parses JSON columns itself.
      const ids = json[0]?.['ids'] as number[];
      assert.deepEqual([...ids].sort(), [1, 2, 3]);
      assert.equal(Object.keys(json[0]?.['times'] as object).length, 3);
      const [empty] = await db.query<RowDataPacket[]>(
        `SELECT JSON_ARRAYAGG(id) AS ids FROM ${table} WHERE id > 10`,
      );
      assert.equal(empty[0]?.['ids'], null);
    });
  }

  it('counts FOUND_ROWS() without the LIMIT after SQL_CALC_FOUND_ROWS', async () => {
    await db.query('CREATE TABLE found (id INT PRIMARY KEY, g INT)');
    await db.query('INSERT INTO found VALUES (1, 1), (2, 1), (3, 2), (4, 2), (5, 3)');
    const found = async (): Promise<number> => {
      const [rows] = await db.query<RowDataPacket[]>('SELECT FOUND_ROWS() AS n');
      return Number(rows[0]?.['n']);
    };
    await db.query('SELECT SQL_CALC_FOUND_ROWS id FROM found ORDER BY id LIMIT 2');
    assert.equal(await found(), 5);
    await db.query(
      'SELECT SQL_CALC_FOUND_ROWS a.id, b.id FROM found a JOIN found b ON a.g = b.g LIMIT 1',
    );
    assert.equal(await found(), 9);
    await db.query('SELECT SQL_CALC_FOUND_ROWS g, COUNT(*) FROM found GROUP BY g LIMIT 1');
    assert.equal(await found(), 3);
    await db.query('SELECT id FROM found WHERE g = 2');
    assert.equal(await found(), 2);
  });

  it('loads lines that are not UTF-8 through the exact path instead of failing', async () => {
    await db.query('CREATE TABLE latin (id INT PRIMARY KEY, s VARCHAR(20))');
    const file = Buffer.concat([
      Buffer.from('1\tok\n2\t'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('bad\n3\tfine\n'),
    ]);
    const [result] = await db.query<ResultSetHeader>({
      sql: "LOAD DATA LOCAL INFILE 'latin.tsv' INTO TABLE latin",
      infileStreamFactory: () => Readable.from([file]),
    });
    assert.equal(result.affectedRows, 3);
    const [rows] = await db.query<RowDataPacket[]>('SELECT id, s FROM latin ORDER BY id');
    assert.deepEqual(
      rows.map((row) => row['s'] as unknown),
      ['ok', '\uFFFD\uFFFDbad', 'fine'],
    );
  });

  for (const kind of ['', 'ROWSTORE']) {
    it(`warns for each row INSERT IGNORE skips (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `ignored_${kind.toLowerCase() || 'column'}`;
      await db.query(`CREATE ${kind} TABLE ${table} (k VARCHAR(10), n INT, PRIMARY KEY (k, n))`);
      await db.query(`INSERT INTO ${table} VALUES ('Ab', 1)`);
      const [result] = await db.query<ResultSetHeader>(
        `INSERT IGNORE INTO ${table} VALUES ('ab', 1), ('ab', 2), ('AB', 2), ('c', 3)`,
      );
      // MariaDB 10.11: 2 rows, Records: 4  Duplicates: 2  Warnings: 2.
      assert.equal(result.affectedRows, 2);
      assert.equal(result.warningStatus, 2);
      assert.match(result.info, /Records: 4 {2}Duplicates: 2 {2}Warnings: 2/);
      const [warnings] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
      assert.deepEqual(
        warnings.map((row) => [row['Level'], row['Code'], row['Message']] as unknown[]),
        [
          ['Warning', 1062, "Duplicate entry 'ab-1' for key 'PRIMARY'"],
          ['Warning', 1062, "Duplicate entry 'AB-2' for key 'PRIMARY'"],
        ],
      );
      const [rows] = await db.query<RowDataPacket[]>(`SELECT k, n FROM ${table} ORDER BY n, k`);
      assert.deepEqual(
        rows.map((row) => `${String(row['k'])}${String(row['n'])}`),
        ['Ab1', 'ab2', 'c3'],
      );
    });
  }

  it('reports the AUTO_INCREMENT value written as given in the OK packet, as MariaDB does', async () => {
    await db.query('CREATE TABLE given_ids (id INT AUTO_INCREMENT PRIMARY KEY, a INT)');
    const insert = async (sql: string): Promise<ResultSetHeader> => {
      const [result] = await db.query<ResultSetHeader>(sql);
      return result;
    };
    assert.equal((await insert('INSERT INTO given_ids (a) VALUES (1), (2)')).insertId, 1);
    // MariaDB 10.11: the given value (the last row's), while LAST_INSERT_ID() keeps the
    // generated one.
    assert.equal((await insert('INSERT INTO given_ids VALUES (10, 100)')).insertId, 10);
    assert.equal((await insert('REPLACE INTO given_ids VALUES (10, 101)')).insertId, 10);
    assert.equal(
      (await insert('INSERT IGNORE INTO given_ids VALUES (10, 1), (12, 12)')).insertId,
      12,
    );
    // Nothing kept: 0; something kept: the last given value, also of a skipped row.
    assert.equal((await insert('INSERT IGNORE INTO given_ids VALUES (10, 1)')).insertId, 0);
    assert.equal(
      (await insert('INSERT IGNORE INTO given_ids VALUES (13, 1), (10, 1)')).insertId,
      10,
    );
    assert.equal(
      (await insert('INSERT INTO given_ids VALUES (12, 0) ON DUPLICATE KEY UPDATE a = 5')).insertId,
      12,
    );
    const [[last]] = await db.query<RowDataPacket[]>({
      sql: 'SELECT LAST_INSERT_ID()',
      rowsAsArray: true,
    });
    assert.deepEqual(last, [1]);
    // INSERT … SELECT always describes itself (MariaDB: "Records: 1 …" for one row too), and an
    // ALTER TABLE done in place says so.
    await db.query('CREATE TABLE given_copy (id INT PRIMARY KEY, a INT)');
    const copied = await insert('INSERT INTO given_copy SELECT id, a FROM given_ids WHERE id = 12');
    assert.equal(copied.info, 'Records: 1  Duplicates: 0  Warnings: 0');
    const altered = await insert('ALTER TABLE given_copy ADD COLUMN b INT');
    assert.equal(altered.info, 'Records: 0  Duplicates: 0  Warnings: 0');
  });

  it('INSERT IGNORE and REPLACE into a table without keys insert every row', async () => {
    // MariaDB 10.11: 2 rows, the long value cut with warning 1265; REPLACE adds a row.
    await db.query('CREATE TABLE keyless_ignore (a INT, b VARCHAR(5))');
    const [ignored] = await db.query<ResultSetHeader>(
      "INSERT IGNORE INTO keyless_ignore VALUES (1, 'x'), (2, 'toolongvalue')",
    );
    assert.equal(ignored.affectedRows, 2);
    assert.equal(ignored.warningStatus, 1);
    await db.query("REPLACE INTO keyless_ignore VALUES (1, 'y')");
    const [rows] = await db.query<RowDataPacket[]>({
      sql: 'SELECT a, b FROM keyless_ignore ORDER BY a, b',
      rowsAsArray: true,
    });
    assert.deepEqual(rows, [
      [1, 'x'],
      [1, 'y'],
      [2, 'toolo'],
    ]);
  });

  it('answers 1690 for a BIGINT overflow', async () => {
    await assert.rejects(db.query('SELECT 100000000000 * 100000000000'), {
      errno: 1690,
      message: /BIGINT value is out of range/,
    });
    await assert.rejects(db.query('SELECT 9223372036854775807 + 1'), { errno: 1690 });
    // A DOUBLE past BIGINT's range through DIV, computed by a columnstore partition (MariaDB:
    // 1690; the engine's conversion error was answered 1264 "for a INT64 column").
    await db.query('CREATE TABLE wide (id INT PRIMARY KEY, f DOUBLE)');
    await db.query('INSERT INTO wide VALUES (1, 1e20)');
    await assert.rejects(db.query('SELECT f DIV 1 FROM wide'), {
      errno: 1690,
      sqlState: '22003',
      message: /^BIGINT value is out of range in '/,
    });
    // The smallest BIGINT DIV -1, the one integer division that overflows (was 1815).
    await assert.rejects(db.query('SELECT -9223372036854775808 DIV -1'), {
      errno: 1690,
      sqlState: '22003',
      message: "BIGINT value is out of range in '-9223372036854775808 DIV -1'",
    });
  });
});
