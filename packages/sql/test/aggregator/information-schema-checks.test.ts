/**
 * CHECK constraints in information_schema: CHECK_CONSTRAINTS lists each check with LEVEL
 * 'Column' or 'Table' and its clause in MariaDB's print form, a JSON column with MariaDB's
 * implicit json_valid check, and TABLE_CONSTRAINTS lists them as CHECK after the keys. The
 * names, clauses, levels and order are what MariaDB 10.11 answered for the same tables.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('CHECK constraints in information_schema', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 1 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE checked');
    await db.query('USE checked');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('lists checks by level, in MariaDB print form', async () => {
    await db.query(
      `CREATE REFERENCE TABLE ck (id INT PRIMARY KEY, a INT CHECK (a > 0), b VARCHAR(10) CHECK (b <> 'x'),
         c INT UNIQUE, CHECK (c < a), CONSTRAINT cc CHECK (c IS NULL OR c > -5),
         CHECK (b LIKE 'a%' AND a BETWEEN 1 AND 9), js JSON,
         d DATE CHECK (d > '2020-01-01' and year(d) < 2100), e DOUBLE CHECK (e IN (1.5, 2)))`,
    );
    await db.query('ALTER TABLE ck ADD CONSTRAINT z CHECK (c <> 7)');
    assert.deepEqual(
      await rows(`SELECT * FROM information_schema.CHECK_CONSTRAINTS WHERE TABLE_NAME = 'ck'`),
      [
        ['def', 'checked', 'ck', 'a', 'Column', '`a` > 0'],
        ['def', 'checked', 'ck', 'b', 'Column', "`b` <> 'x'"],
        ['def', 'checked', 'ck', 'js', 'Column', 'json_valid(`js`)'],
        ['def', 'checked', 'ck', 'd', 'Column', "`d` > '2020-01-01' and year(`d`) < 2100"],
        ['def', 'checked', 'ck', 'e', 'Column', '`e` in (1.5,2)'],
        ['def', 'checked', 'ck', 'CONSTRAINT_1', 'Table', '`c` < `a`'],
        ['def', 'checked', 'ck', 'cc', 'Table', '`c` is null or `c` > -5'],
        ['def', 'checked', 'ck', 'CONSTRAINT_2', 'Table', "`b` like 'a%' and `a` between 1 and 9"],
        ['def', 'checked', 'ck', 'z', 'Table', '`c` <> 7'],
      ],
    );
    assert.deepEqual(
      await rows(
        `SELECT CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS
         WHERE TABLE_NAME = 'ck'`,
      ),
      [
        ['PRIMARY', 'PRIMARY KEY'],
        ['c', 'UNIQUE'],
        ['a', 'CHECK'],
        ['b', 'CHECK'],
        ['js', 'CHECK'],
        ['d', 'CHECK'],
        ['e', 'CHECK'],
        ['CONSTRAINT_1', 'CHECK'],
        ['cc', 'CHECK'],
        ['CONSTRAINT_2', 'CHECK'],
        ['z', 'CHECK'],
      ],
    );
  });

  it('prints clauses as MariaDB rewrites them', async () => {
    await db.query(
      `CREATE TABLE printed (a INT, b VARCHAR(5), d DATE, CHECK (NOT a),
         CHECK (NOT (a > 1 AND b = 'x')), CHECK (b <> 'it''s' AND b <> 'a\\\\b'),
         CHECK (a IS NULL OR a IS NOT NULL OR a IS TRUE OR a IS NOT FALSE),
         CHECK (UPPER(b) = LOWER(b) AND SUBSTRING(b, 1, 2) <> 'zz' AND a <> 1e3 AND ~a AND -a
           AND d > DATE '2020-01-01' AND d < DATE '2024-01-01' - INTERVAL 1 DAY
           AND b NOT REGEXP 'y' AND (a = 1 OR a = 2) AND (a + 1) * 2 > 0 AND NULL IS NULL),
         CHECK (a NOT IN (1) AND b NOT LIKE 'q' AND NOT (a IN (4,5)) AND MOD(a, 2) = 0
           AND a DIV 2 > 0 AND LENGTH(b) > 0 AND CAST(a AS DECIMAL(5,2)) > 0
           AND TRIM(LEADING 'x' FROM b) <> '' AND TRIM(TRAILING FROM b) <> ''
           AND EXTRACT(YEAR FROM d) > 2000 AND NOT NOT a))`,
    );
    assert.deepEqual(
      await rows(
        `SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE TABLE_NAME = 'printed'`,
      ),
      [
        ['`a` = 0'],
        ["`a` <= 1 or `b` <> 'x'"],
        ["`b` <> 'it\\'s' and `b` <> 'a\\\\b'"],
        ['`a` is null or `a` is not null or `a` is true or `a` is not false'],
        [
          "ucase(`b`) = lcase(`b`) and substr(`b`,1,2) <> 'zz' and `a` <> 1e3 and ~`a` and -`a` and `d` > DATE'2020-01-01' and `d` < DATE'2024-01-01' - interval 1 day and !(`b` regexp 'y') and (`a` = 1 or `a` = 2) and (`a` + 1) * 2 > 0 and NULL is null",
        ],
        [
          "`a` <> 1 and `b`  not like 'q' and `a` not in (4,5) and `a` MOD 2 = 0 and `a` DIV 2 > 0 and octet_length(`b`) > 0 and cast(`a` as decimal(5,2)) > 0 and trim(leading 'x' from `b`) <> '' and rtrim(`b`) <> '' and extract(year from `d`) > 2000 and `a` <> 0",
        ],
      ],
    );
  });
});
