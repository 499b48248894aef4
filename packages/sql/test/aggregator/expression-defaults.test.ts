/**
 * Column defaults that are expressions (`DEFAULT (UUID())`, `DEFAULT (CURDATE() + INTERVAL 1
 * DAY)`), `SET c = DEFAULT`, and the values ALTER TABLE … ADD COLUMN gives existing rows, on
 * both storages. Expected values are MariaDB 10.11's for the same statements (compared side by
 * side): UUID() differs per row, other expressions are evaluated per statement, existing rows
 * take CURRENT_TIMESTAMP's value of the ALTER.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('expression defaults', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE exprdef PARTITIONS 3');
    await db.query('USE exprdef');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  async function rows(sql: string): Promise<unknown[][]> {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true, dateStrings: true });
    return result as unknown as unknown[][];
  }

  async function refusal(sql: string): Promise<number | undefined> {
    try {
      await db.query(sql);
    } catch (error) {
      return (error as { errno?: number }).errno;
    }
    return undefined;
  }

  for (const kind of ['', 'ROWSTORE']) {
    it(`fills each row's defaults on a ${kind || 'COLUMNSTORE'} table`, async () => {
      const table = `fill_${kind.toLowerCase() || 'column'}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, v INT, u VARCHAR(36) DEFAULT (UUID()),
          n INT DEFAULT (1 + 2), d DATE DEFAULT (CURDATE() + INTERVAL 1 DAY),
          j JSON DEFAULT (JSON_ARRAY()), s VARCHAR(10) DEFAULT (CONCAT('a', 'b')))`,
      );
      await db.query(`INSERT INTO ${table} (id, v) VALUES (1, 1), (2, 2), (3, 3)`);
      await db.query(
        `INSERT INTO ${table} VALUES (4, 4, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)`,
      );
      await db.query(`INSERT INTO ${table} (id, v, n) VALUES (5, 5, DEFAULT), (6, 6, 10)`);
      await db.query(`REPLACE INTO ${table} (id, v) VALUES (7, 7)`);
      await db.query(
        `INSERT INTO ${table} (id, v) VALUES (8, 8) ON DUPLICATE KEY UPDATE v = VALUES(v) + 1`,
      );
      await db.query(`INSERT INTO ${table} (id, v) SELECT id + 100, v FROM ${table} WHERE id <= 2`);
      assert.deepEqual(
        await rows(
          `SELECT COUNT(*), COUNT(DISTINCT u), MIN(LENGTH(u)), SUM(n), COUNT(DISTINCT d),
             MIN(d) = CURDATE() + INTERVAL 1 DAY, MIN(CAST(j AS CHAR)), MIN(s) FROM ${table}`,
        ),
        [[10, 10, 36, '37', 1, 1, '[]', 'ab']],
      );
      assert.deepEqual(await rows(`SELECT n FROM ${table} WHERE id IN (5, 6) ORDER BY id`), [
        [3],
        [10],
      ]);
    });

    it(`gives existing rows the default ALTER TABLE ADD COLUMN names on a ${kind || 'COLUMNSTORE'} table`, async () => {
      const table = `added_${kind.toLowerCase() || 'column'}`;
      await db.query(`CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, v INT)`);
      await db.query(`INSERT INTO ${table} VALUES (1, 1), (2, 2), (3, 3)`);
      await db.query(
        `ALTER TABLE ${table} ADD COLUMN ts DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP`,
      );
      await db.query(`ALTER TABLE ${table} ADD COLUMN u VARCHAR(36) DEFAULT (UUID())`);
      await db.query(`ALTER TABLE ${table} ADD COLUMN n INT NOT NULL DEFAULT (2 * 3)`);
      assert.deepEqual(
        await rows(
          `SELECT COUNT(*), COUNT(ts), COUNT(DISTINCT ts), MIN(ts) > '2020-01-01',
             COUNT(DISTINCT u), MIN(LENGTH(u)), MIN(n), MAX(n) FROM ${table}`,
        ),
        [[3, 3, 1, 1, 3, 36, 6, 6]],
      );
    });
  }

  it('sets a column to its default with SET c = DEFAULT and DEFAULT(c)', async () => {
    await db.query(
      'CREATE TABLE reset (id INT PRIMARY KEY, w INT DEFAULT 7, x INT DEFAULT (2 + 3), y INT)',
    );
    await db.query('INSERT INTO reset VALUES (1, 1, 1, 1), (2, 2, 2, 2)');
    await db.query('UPDATE reset SET w = DEFAULT, x = DEFAULT, y = DEFAULT WHERE id = 1');
    await db.query('UPDATE reset SET w = DEFAULT(w) + 1, y = DEFAULT(x) WHERE id = 2');
    assert.deepEqual(await rows('SELECT * FROM reset ORDER BY id'), [
      [1, 7, 5, null],
      [2, 8, 2, 5],
    ]);
  });

  it('shows an expression default in parentheses, which reads back the same', async () => {
    await db.query(
      'CREATE TABLE shown (id INT PRIMARY KEY, n INT DEFAULT (1 + 2), u VARCHAR(36) DEFAULT (UUID()))',
    );
    const [[, text]] = (await rows('SHOW CREATE TABLE shown')) as [[string, string]];
    assert.match(text, /`n` int\(11\) DEFAULT \(1 \+ 2\),/);
    assert.match(text, /`u` varchar\(36\) DEFAULT \(UUID\(\)\),/);
    await db.query(text.replace('`shown`', '`shown_again`'));
    await db.query('INSERT INTO shown_again (id) VALUES (1)');
    assert.deepEqual(await rows('SELECT n, LENGTH(u) FROM shown_again'), [[3, 36]]);
  });

  it('refuses defaults it cannot compute when the table is made, with nothing created', async () => {
    assert.equal(
      await refusal('CREATE TABLE bad1 (id INT PRIMARY KEY, a INT, b INT DEFAULT (a * 2))'),
      1235,
    );
    assert.equal(
      await refusal('CREATE TABLE bad2 (id INT PRIMARY KEY, b INT DEFAULT ((SELECT 1)))'),
      1067,
    );
    assert.equal(await refusal('CREATE TABLE bad3 (id INT PRIMARY KEY, b INT DEFAULT (@x))'), 1067);
    assert.equal(
      await refusal('CREATE TABLE bad4 (id INT PRIMARY KEY, b INT DEFAULT (NOSUCH(1)))'),
      1305,
    );
    assert.equal(
      await refusal('CREATE TABLE bad5 (id INT PRIMARY KEY, b INT NOT NULL DEFAULT NULL)'),
      1067,
    );
    assert.deepEqual(await rows("SHOW TABLES LIKE 'bad%'"), []);
    await db.query('CREATE TABLE keep (id INT PRIMARY KEY, a INT NOT NULL DEFAULT 1)');
    assert.equal(await refusal('ALTER TABLE keep ALTER COLUMN a SET DEFAULT NULL'), 1067);
    assert.equal(await refusal("ALTER TABLE keep ALTER COLUMN a SET DEFAULT 'abc'"), 1067);
    await db.query('INSERT INTO keep (id) VALUES (1)');
    assert.deepEqual(await rows('SELECT a FROM keep'), [[1]]);
  });

  it('refuses a per-row default for existing rows of a reference table', async () => {
    await db.query('CREATE REFERENCE TABLE ref (id INT PRIMARY KEY)');
    await db.query('INSERT INTO ref VALUES (1), (2)');
    assert.equal(await refusal('ALTER TABLE ref ADD COLUMN u VARCHAR(36) DEFAULT (UUID())'), 1235);
    await db.query('ALTER TABLE ref ADD COLUMN n INT DEFAULT (5 + 5)');
    assert.deepEqual(await rows('SELECT * FROM ref ORDER BY id'), [
      [1, 10],
      [2, 10],
    ]);
  });
});
