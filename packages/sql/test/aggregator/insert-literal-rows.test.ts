/**
 * INSERTs of literal rows through the scanner's path (`parser/values-scan.ts`) against the same
 * statements through the parser's path, on a real cluster (2 leaves, 4 partitions). A leading
 * comment makes the scanner decline a text without changing what the parser makes of it, so
 * each statement runs once each way, into twin tables: the OK packets (affected rows, info,
 * last insert id, warning count), the errors, SHOW WARNINGS and the tables' rows must agree.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { scanLiteralInsert } from '../../src/parser/values-scan.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const DATABASE = 'literal_rows';

const TABLES: readonly (readonly [string, string])[] = [
  [
    'typed',
    `(id BIGINT NOT NULL, small TINYINT, big BIGINT UNSIGNED, amount DECIMAL(6,2), ratio DOUBLE,
      code CHAR(4), note VARCHAR(8) DEFAULT 'none', day DATE, at DATETIME, raw BLOB,
      PRIMARY KEY (id), SHARD KEY (id))`,
  ],
  ['counted', `(id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(10) NOT NULL DEFAULT 'x')`],
  ['keyless', `(a INT, b VARCHAR(5))`],
];

/** Statements for table `typed`, `counted` or `keyless` (named by `{t}`), run in order. */
const STATEMENTS: readonly string[] = [
  `INSERT INTO {typed} VALUES (1, -0, 0, '1.50', 1e3, 'ab  ', 'it''s', '2020-02-29', '2020-01-01 10:00:00', _binary'x\\0y'),
     (2, 127, 9007199254740993, -2.5, .5, "q", DEFAULT, DATE '1999-12-31', TIMESTAMP '2000-01-01 00:00:00.4', NULL)`,
  `INSERT INTO {typed} (id, note) VALUES (3, 'a\\'b'), /* c */ (4, NULL) -- d\n, (5, _utf8mb4'日本')`,
  `INSERT INTO {typed} (id, amount) VALUES (6, '001.239'), (7, '-0.00'), (8, 1234.5), (9, -1e-2)`,
  `INSERT INTO {typed} (id, small) VALUES (10, 128)`,
  `INSERT INTO {typed} (id, big) VALUES (11, -1)`,
  `INSERT INTO {typed} (id, amount) VALUES (12, 10000)`,
  `INSERT INTO {typed} (id, amount) VALUES (13, 'abc')`,
  `INSERT INTO {typed} (id, day) VALUES (14, '2021-02-29')`,
  `INSERT INTO {typed} (id, note) VALUES (15, 'too long text')`,
  `INSERT INTO {typed} (id, code) VALUES (16, 'abcd '), (17, 'abcde')`,
  `INSERT INTO {typed} (id) VALUES (NULL)`,
  `INSERT INTO {typed} (id) VALUES (1)`,
  `INSERT INTO {typed} (id) VALUES (20), (21), (20)`,
  `INSERT IGNORE INTO {typed} (id) VALUES (1), (22), (2), (22)`,
  `REPLACE INTO {typed} (id, note) VALUES (1, 'new'), (23, 'added')`,
  `INSERT INTO {typed} (id, small) VALUES (24, 1, 2)`,
  `INSERT INTO {typed} (id, small) VALUES (25, 1), (26)`,
  `INSERT INTO {typed} (nope) VALUES (1)`,
  `INSERT INTO {typed} (id, id) VALUES (1, 2)`,
  `INSERT INTO {typed} (id, ratio, small) VALUES (27, 99999999999999999999999, TRUE), (28, -99999999999999999999, FALSE)`,
  `INSERT INTO {typed} (id, big) VALUES (29, 99999999999999999999999)`,
  `INSERT INTO {counted} VALUES (NULL, 'a'), (0, 'b'), (DEFAULT, DEFAULT)`,
  `INSERT INTO {counted} (name) VALUES ('c'), ('d')`,
  `INSERT INTO {counted} VALUES (100, 'e'), (NULL, 'f')`,
  `INSERT INTO {counted} VALUES ()`,
  `INSERT INTO {counted} () VALUES (), ()`,
  `INSERT INTO {counted} (name) VALUES (NULL)`,
  `INSERT INTO {keyless} VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e'), (6, 'f')`,
  `INSERT INTO {keyless} VALUES ('x', 'a')`,
  `INSERT INTO {keyless} VALUES (1, 'a') garbage`,
  `INSERT INTO {nosuchtable} VALUES (1)`,
];

type Outcome =
  | { readonly ok: Record<string, unknown>; readonly warnings: unknown[] }
  | { readonly error: Record<string, unknown> };

describe('INSERT of literal rows: scanner path vs parser path', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query(`CREATE DATABASE ${DATABASE} PARTITIONS 4`);
    await db.query(`USE ${DATABASE}`);
    for (const [name, columns] of TABLES) {
      await db.query(`CREATE TABLE ${name}_fast ${columns}`);
      await db.query(`CREATE TABLE ${name}_parsed ${columns}`);
      await db.query(
        `CREATE ROWSTORE TABLE ${name}_fast_row ${columns.replace(', SHARD KEY (id)', '')}`,
      );
      await db.query(
        `CREATE ROWSTORE TABLE ${name}_parsed_row ${columns.replace(', SHARD KEY (id)', '')}`,
      );
    }
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  const run = async (sql: string): Promise<Outcome> => {
    try {
      const [result] = await db.query<ResultSetHeader>(sql);
      const [warnings] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
      const [[last]] = await db.query<RowDataPacket[]>('SELECT LAST_INSERT_ID() AS id');
      return {
        ok: {
          affectedRows: result.affectedRows,
          insertId: result.insertId,
          info: result.info,
          warningStatus: result.warningStatus,
          lastInsertId: last?.['id'],
        },
        warnings: warnings.map((row) => ({ ...row })),
      };
    } catch (error) {
      const { errno, sqlState, sqlMessage } = error as Record<string, unknown>;
      return { error: { errno, sqlState, sqlMessage } };
    }
  };

  const contents = async (table: string): Promise<unknown[]> => {
    const [rows] = await db.query<RowDataPacket[]>(`SELECT * FROM ${table} ORDER BY 1, 2`);
    return rows.map((row) => ({ ...row }));
  };

  for (const suffix of ['', '_row']) {
    it(`gives the same outcomes and rows (${suffix === '' ? 'columnstore' : 'rowstore'})`, async () => {
      let fastCount = 0;
      for (const statement of STATEMENTS) {
        const named = (which: string): string =>
          statement.replace(/\{(\w+)\}/g, (_match, name: string) => `${name}_${which}${suffix}`);
        const fast = named('fast');
        if (scanLiteralInsert(fast) !== undefined) fastCount++;
        const fastOutcome = await run(fast);
        const parsedOutcome = await run(`/* parser path */ ${named('parsed')}`);
        // Messages name the table: compare them with the names made alike.
        assert.deepStrictEqual(
          JSON.parse(JSON.stringify(fastOutcome).replaceAll('_fast', '_X')),
          JSON.parse(JSON.stringify(parsedOutcome).replaceAll('_parsed', '_X')),
          fast,
        );
      }
      assert.ok(
        fastCount >= STATEMENTS.length - 2,
        `only ${fastCount} statements took the scanner`,
      );
      for (const [name] of TABLES)
        assert.deepStrictEqual(
          await contents(`${name}_fast${suffix}`),
          await contents(`${name}_parsed${suffix}`),
          name,
        );
      const [[count]] = await db.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM typed_fast${suffix}`,
      );
      assert.ok(Number(count?.['n']) > 10);
    });
  }
});
