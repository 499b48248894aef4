/**
 * CHECK constraints as MariaDB 10.11 keeps them (the errors and SHOW CREATE TABLE texts were
 * recorded from it): a column-level check named after its column and printed on its line, an
 * unnamed table-level one `CONSTRAINT_<n>`, a FALSE row refused with 4025 "CONSTRAINT `…` failed
 * for `db`.`t`" on every write path and nothing written, NULL passing; dropping a column drops
 * the checks that read only it and is refused (1054) while one reads it with other columns;
 * disallowed functions (1901), subqueries (1970) and duplicate names (1826) refused; ALTER TABLE
 * adds checks (refused when a row breaks them) and drops them (1091 when unknown). Kept from
 * MySQL 8: NOT ENFORCED (kept, not checked), DROP CHECK, and renaming a column a check reads
 * refused (3959; MariaDB rewrites the check). Columnstore (DuckDB) and rowstore (SQLite) alike.
 */
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createConnection,
  type Connection,
  type ResultSetHeader,
  type RowDataPacket,
} from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { refusalOf } from '../support/refusals.js';

describe('CHECK constraints', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let file = Buffer.alloc(0);

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  };

  const refusal = (sql: string): Promise<[unknown, unknown]> => refusalOf(db, sql);

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'root',
      infileStreamFactory: () => Readable.from([file]),
    });
    await db.query('CREATE DATABASE checks PARTITIONS 4');
    await db.query('USE checks');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  for (const kind of ['', 'ROWSTORE']) {
    const engine = kind || 'COLUMNSTORE';
    const table = `ck_${engine.toLowerCase()}`;

    it(`refuses rows whose check is false on every write path (${engine})`, async () => {
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, v INT CHECK (v > 0), w INT, s VARCHAR(10), CONSTRAINT w_small CHECK (w < id * 10), CHECK (s <> 'bad'), CHECK (v < 1000) NOT ENFORCED)`,
      );
      const violated = (name: string): [number, string] => [
        4025,
        `CONSTRAINT \`${name}\` failed for \`checks\`.\`${table}\``,
      ];
      assert.deepEqual(
        await refusal(`INSERT INTO ${table} VALUES (1, -1, 1, 'a')`),
        violated(`${table}.v`),
      );
      assert.deepEqual(
        await refusal(`INSERT INTO ${table} VALUES (1, 5, 100, 'a')`),
        violated('w_small'),
      );
      // The collation compares: 'BAD' is 'bad'.
      assert.deepEqual(
        await refusal(`INSERT INTO ${table} VALUES (1, 5, 1, 'BAD')`),
        violated('CONSTRAINT_1'),
      );
      // NULL passes; a NOT ENFORCED check is not checked.
      await db.query(`INSERT INTO ${table} VALUES (1, NULL, NULL, NULL), (2, 5000, 1, 'ok')`);
      // A multi-row statement with one bad row writes nothing.
      assert.deepEqual(
        await refusal(`INSERT INTO ${table} VALUES (3, 1, 1, 'x'), (4, -1, 1, 'y')`),
        violated(`${table}.v`),
      );
      assert.deepEqual(
        await refusal(`UPDATE ${table} SET v = -3 WHERE id = 2`),
        violated(`${table}.v`),
      );
      assert.deepEqual(
        await refusal(
          `INSERT INTO ${table} SELECT id + 10, v - 6000, w, s FROM ${table} WHERE id = 2`,
        ),
        violated(`${table}.v`),
      );
      assert.deepEqual(
        await refusal(`INSERT INTO ${table} VALUES (2, 1, 1, 'z') ON DUPLICATE KEY UPDATE w = 100`),
        violated('w_small'),
      );
      // LOAD DATA LOCAL implies IGNORE: the breaking row is skipped with warning 4025, and is
      // neither a record nor skipped in the info (MariaDB).
      file = Buffer.from('5\t1\t1\tok\n6\t-2\t1\tok\n');
      const [loaded] = await db.query<ResultSetHeader>(
        `LOAD DATA LOCAL INFILE 'rows.tsv' INTO TABLE ${table}`,
      );
      assert.equal(loaded.info, 'Records: 1  Deleted: 0  Skipped: 0  Warnings: 1');
      assert.deepEqual(await rows('SHOW WARNINGS'), [['Warning', ...violated(`${table}.v`)]]);
      assert.deepEqual(await rows(`SELECT id, v, w, s FROM ${table} ORDER BY id`), [
        [1, null, null, null],
        [2, 5000, 1, 'ok'],
        [5, 1, 1, 'ok'],
      ]);
    });

    it(`skips the rows of INSERT IGNORE that break a check, with warning 4025 (${engine})`, async () => {
      const t = `${table}_ignore`;
      await db.query(`CREATE ${kind} TABLE ${t} (id INT PRIMARY KEY, n INT CHECK (n < 10))`);
      // Texts and counts as MariaDB 10.11 answers the same statements.
      const message = `CONSTRAINT \`${t}.n\` failed for \`checks\`.\`${t}\``;
      const done = async (sql: string): Promise<[number, string]> => {
        const [result] = await db.query<ResultSetHeader>(sql);
        return [result.affectedRows, result.info];
      };
      assert.deepEqual(await done(`INSERT IGNORE INTO ${t} VALUES (1, 1), (2, 50), (3, 3)`), [
        2,
        'Records: 2  Duplicates: 0  Warnings: 1',
      ]);
      assert.deepEqual(await rows('SHOW WARNINGS'), [['Warning', 4025, message]]);
      // A statement of one row is refused.
      assert.deepEqual(await refusal(`INSERT IGNORE INTO ${t} VALUES (4, 40)`), [4025, message]);
      assert.deepEqual(await done(`INSERT IGNORE INTO ${t} SELECT 5, 5 UNION ALL SELECT 6, 60`), [
        1,
        'Records: 1  Duplicates: 0  Warnings: 1',
      ]);
      // Warnings in row order: a duplicate, then a broken check.
      assert.deepEqual(await done(`INSERT IGNORE INTO ${t} VALUES (1, 2), (9, 90)`), [
        0,
        'Records: 1  Duplicates: 1  Warnings: 2',
      ]);
      assert.deepEqual(await rows('SHOW WARNINGS'), [
        ['Warning', 1062, "Duplicate entry '1' for key 'PRIMARY'"],
        ['Warning', 4025, message],
      ]);
      // LOAD DATA of one breaking line skips it too: a load is never a one-row statement.
      file = Buffer.from('7\t70\n');
      assert.deepEqual(await done(`LOAD DATA LOCAL INFILE 'one.tsv' INTO TABLE ${t}`), [
        0,
        'Records: 0  Deleted: 0  Skipped: 0  Warnings: 1',
      ]);
      assert.deepEqual(await rows('SHOW WARNINGS'), [['Warning', 4025, message]]);
      assert.deepEqual(await rows(`SELECT id, n FROM ${t} ORDER BY id`), [
        [1, 1],
        [3, 3],
        [5, 5],
      ]);
    });

    it(`prints the checks in SHOW CREATE TABLE and reads them back (${engine})`, async () => {
      const [[, text]] = (await rows(`SHOW CREATE TABLE ${table}`)) as [[string, string]];
      assert.match(text, /\n {2}`v` int\(11\) DEFAULT NULL CHECK \(`v` > 0\),\n/);
      assert.match(text, /CONSTRAINT `w_small` CHECK \(`w` < `id` \* 10\),/);
      assert.match(text, /CONSTRAINT `CONSTRAINT_1` CHECK \(`s` <> 'bad'\),/);
      assert.match(text, /CONSTRAINT `CONSTRAINT_2` CHECK \(`v` < 1000\) NOT ENFORCED/);
      const copy = `${table}_copy`;
      // The storage is kept: SHOW CREATE TABLE writes it as `CREATE /*!90618 ROWSTORE */ TABLE`.
      await db.query(text.replace(`TABLE \`${table}\` (`, `TABLE \`${copy}\` (`));
      assert.deepEqual(await refusal(`INSERT INTO ${copy} VALUES (1, -1, 5, 'a')`), [
        4025,
        `CONSTRAINT \`${copy}.v\` failed for \`checks\`.\`${copy}\``,
      ]);
      assert.deepEqual((await refusal(`INSERT INTO ${copy} VALUES (1, 1, 50, 'a')`))[0], 4025);
      await db.query(`INSERT INTO ${copy} VALUES (1, 5000, 5, 'a')`);
    });

    it(`drops a column with the checks that read only it, not one a check reads with others (${engine})`, async () => {
      const guarded = (name: string, column: string): [number, string] => [
        3959,
        `Check constraint '${name}' uses column '${column}', hence column cannot be dropped or renamed.`,
      ];
      assert.deepEqual(await refusal(`ALTER TABLE ${table} DROP COLUMN w`), [
        1054,
        "Unknown column 'w' in 'CHECK'",
      ]);
      assert.deepEqual(
        await refusal(`ALTER TABLE ${table} RENAME COLUMN v TO vv`),
        guarded('v', 'v'),
      );
      assert.deepEqual(
        await refusal(`ALTER TABLE ${table} CHANGE COLUMN s s2 VARCHAR(10)`),
        guarded('CONSTRAINT_1', 's'),
      );
      // Other changes go on, and the checks still hold.
      await db.query(`ALTER TABLE ${table} ADD COLUMN extra INT`);
      assert.deepEqual((await refusal(`INSERT INTO ${table} (id, v) VALUES (9, -9)`))[0], 4025);
      // s goes with its check; the others stay.
      await db.query(`ALTER TABLE ${table} DROP COLUMN s`);
      const [[, text]] = (await rows(`SHOW CREATE TABLE ${table}`)) as [[string, string]];
      assert.doesNotMatch(text, /CONSTRAINT_1|`s`/);
      assert.match(text, /CONSTRAINT `w_small`/);
      assert.deepEqual((await refusal(`INSERT INTO ${table} (id, v) VALUES (9, -9)`))[0], 4025);
      await db.query(`INSERT INTO ${table} (id, v, w) VALUES (9, 9, 1)`);
    });
  }

  for (const kind of ['', 'ROWSTORE']) {
    it(`adds and drops checks with ALTER TABLE (${kind || 'COLUMNSTORE'})`, async () => {
      const table = `ac_${(kind || 'COLUMNSTORE').toLowerCase()}`;
      await db.query(
        `CREATE ${kind} TABLE ${table} (id INT PRIMARY KEY, v INT, u INT, UNIQUE KEY uk (id, u))`,
      );
      await db.query(`INSERT INTO ${table} VALUES (1, 5, 1), (2, -1, 2)`);
      // Existing rows must hold: refused, and the table stays as it was.
      assert.deepEqual(await refusal(`ALTER TABLE ${table} ADD CHECK (v > 0)`), [
        4025,
        `CONSTRAINT \`CONSTRAINT_1\` failed for \`checks\`.\`${table}\``,
      ]);
      await db.query(`INSERT INTO ${table} VALUES (3, -3, 3)`);
      await db.query(`DELETE FROM ${table} WHERE v < 0`);
      await db.query(
        `ALTER TABLE ${table} ADD CHECK (v > 0), ADD CONSTRAINT small CHECK (v < 100)`,
      );
      assert.deepEqual((await refusal(`INSERT INTO ${table} VALUES (3, -3, 3)`))[0], 4025);
      assert.deepEqual(
        (await refusal(`INSERT INTO ${table} VALUES (4, 300, 4)`))[1],
        `CONSTRAINT \`small\` failed for \`checks\`.\`${table}\``,
      );
      await db.query(`ALTER TABLE ${table} DROP CHECK CONSTRAINT_1`);
      await db.query(`INSERT INTO ${table} VALUES (3, -3, 3)`);
      assert.deepEqual(await refusal(`ALTER TABLE ${table} DROP CHECK nope`), [
        1091,
        "Can't DROP CHECK `nope`; check that it exists",
      ]);
      assert.deepEqual(await refusal(`ALTER TABLE ${table} DROP CONSTRAINT nope`), [
        1091,
        "Can't DROP CONSTRAINT `nope`; check that it exists",
      ]);
      // DROP CONSTRAINT takes a check or a key.
      await db.query(`ALTER TABLE ${table} DROP CONSTRAINT small, DROP CONSTRAINT uk`);
      await db.query(`INSERT INTO ${table} VALUES (4, 300, 4)`);
      const [[, text]] = (await rows(`SHOW CREATE TABLE ${table}`)) as [[string, string]];
      assert.doesNotMatch(text, /CHECK|uk/);
      assert.deepEqual(await rows(`SELECT id, v FROM ${table} ORDER BY id`), [
        [1, 5],
        [3, -3],
        [4, 300],
      ]);
    });
  }

  it('refuses disallowed expressions and duplicate names', async () => {
    assert.deepEqual(await refusal('CREATE TABLE bad1 (a INT, CHECK (a > RAND()))'), [
      1901,
      "Function or expression 'rand()' cannot be used in the CHECK clause of `CONSTRAINT_1`",
    ]);
    assert.deepEqual(await refusal('CREATE TABLE bad1 (a INT CHECK (a > NOW()))'), [
      1901,
      "Function or expression 'current_timestamp()' cannot be used in the CHECK clause of `a`",
    ]);
    assert.deepEqual(await refusal('CREATE TABLE bad1 (a INT, CHECK (a > @x))'), [
      1901,
      "Function or expression '@x' cannot be used in the CHECK clause of `CONSTRAINT_1`",
    ]);
    assert.deepEqual(await refusal('CREATE TABLE bad2 (a INT, CHECK (a IN (SELECT 1)))'), [
      1970,
      'CHECK does not support subqueries or stored functions',
    ]);
    assert.deepEqual(
      await refusal(
        'CREATE TABLE bad3 (a INT, CONSTRAINT c1 CHECK (a > 0), CONSTRAINT c1 CHECK (a < 9))',
      ),
      [1826, "Duplicate CHECK constraint name 'c1'"],
    );
    assert.deepEqual(
      await refusal('CREATE TABLE bad4 (a INT CHECK (a > 0), CONSTRAINT a CHECK (a < 9))'),
      [1826, "Duplicate CHECK constraint name 'a'"],
    );
    assert.deepEqual(await refusal('CREATE TABLE bad4 (a INT, CHECK (nope > 0))'), [
      1054,
      "Unknown column 'nope' in 'CHECK'",
    ]);
    assert.deepEqual(await rows("SHOW TABLES LIKE 'bad%'"), []);
  });
});
