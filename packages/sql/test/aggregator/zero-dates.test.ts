/**
 * Zero dates under MariaDB 10.11's default sql_mode (no NO_ZERO_DATE): DATE '0000-00-00' and
 * DATETIME/TIMESTAMP '0000-00-00 00:00:00' are stored (as DEFAULT, by INSERT, INSERT … SELECT,
 * UPDATE, LOAD DATA and prepared statements), returned as their text, equal to the zero-date
 * literals and to 0, sorted before every date, merged by MIN/MAX and GROUP BY across partitions;
 * `WHERE d IS NULL` on a NOT NULL DATE/DATETIME finds them; date functions answer as MariaDB;
 * without strict mode they are a NOT NULL date's implicit default and what an invalid date
 * becomes; strict mode with NO_ZERO_DATE
 * refuses them (1292, 1067). Both storages, two leaves. Every
 * expected value is MariaDB 10.11's answer to the same statements on the same rows.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const MARIADB_MODE =
  'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION';
const Z = '0000-00-00';
const ZT = '0000-00-00 00:00:00';

/** Each condition with the ids MariaDB 10.11 returned. */
const CONDITIONS: [string, number[]][] = [
  [`d = '${Z}'`, [1, 2, 5]],
  ['d = 0', [1, 2, 5]],
  [`dt = '${ZT}'`, [1, 2, 5]],
  [`ts = '${ZT}'`, [1, 2, 5]],
  ['dt = 0', [1, 2, 5]],
  ['n = 0', [2]],
  ['d IS NULL', [1, 2, 5]],
  ['dt IS NULL', [1, 2, 5]],
  ['ts IS NULL', []],
  ['n IS NULL', [1, 4, 6]],
  ['ISNULL(d)', [1, 2, 5]],
  ['d IS NULL OR id = 4', [1, 2, 4, 5]],
  ['id > 1 AND d IS NULL', [2, 5]],
  ['NOT (d IS NULL)', [1, 2, 4, 5, 6]],
  ['(d IS NULL) = 1', []],
  [`d <> '${Z}'`, [4, 6]],
  ["d < '2000-01-01'", [1, 2, 5, 6]],
  [`d IN ('${Z}', '2024-05-06')`, [1, 2, 4, 5]],
  [`d BETWEEN '${Z}' AND '0000-12-31'`, [1, 2, 5, 6]],
  ['d > 0', [4, 6]],
];

/** Select items on the zero-date row (id 2) with MariaDB's values. */
const ITEMS: [string, unknown][] = [
  ['d IS NULL', 0],
  ['d + 0', 0],
  ['dt + 0', 0],
  ['ts + 0', 0],
  ['YEAR(d)', 0],
  ['MONTH(d)', 0],
  ['DAYOFMONTH(d)', 0],
  ['QUARTER(d)', 0],
  ['HOUR(dt)', 0],
  ['EXTRACT(YEAR_MONTH FROM d)', 0],
  ['CAST(d AS CHAR)', Z],
  ['CAST(dt AS CHAR)', ZT],
  ['CONCAT(d, "/", dt)', `${Z}/${ZT}`],
  ["DATE_FORMAT(d, '%Y-%m-%d')", Z],
  ["DATE_FORMAT(d, '%Y|%y|%m|%c|%d|%e|%D')", '0000|00|00|0|00|0|0th'],
  [
    "DATE_FORMAT(dt, '%H|%h|%k|%l|%i|%s|%f|%T|%r|%p')",
    '00|12|0|12|00|00|000000|00:00:00|12:00:00 AM|AM',
  ],
  ["DATE_FORMAT(d, '%W')", null],
  ['DATE(dt)', Z],
  ['TIME(dt)', '00:00:00'],
  ['TIMESTAMP(d)', ZT],
  ['TIME_TO_SEC(dt)', 0],
  ['DATE_ADD(d, INTERVAL 1 DAY)', null],
  ["DATEDIFF(d, '2024-01-01')", null],
  ["TIMESTAMPDIFF(DAY, d, '2024-01-01')", null],
  ['UNIX_TIMESTAMP(dt)', null],
  ['TO_DAYS(d)', null],
  ['DAYNAME(d)', null],
  ['MONTHNAME(d)', null],
  ['WEEKDAY(d)', null],
  ['DAYOFYEAR(d)', null],
  ['WEEK(d)', null],
  ['LAST_DAY(d)', null],
  ["IF(d = 0, 'zero', 'other')", 'zero'],
  ['d = dt', 1],
];

describe('zero dates (sql_mode without NO_ZERO_DATE)', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let folder: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'exo-zero-dates-'));
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE zd');
    await db.query('USE zd');
    await db.query(`SET sql_mode = '${MARIADB_MODE}'`);
    for (const [name, kind] of [
      ['c', ''],
      ['r', 'ROWSTORE'],
    ]) {
      await db.query(
        `CREATE ${kind} TABLE ${name} (id INT PRIMARY KEY, d DATE NOT NULL DEFAULT '${Z}',
         dt DATETIME NOT NULL DEFAULT '${ZT}', ts TIMESTAMP NOT NULL DEFAULT '${ZT}', n DATE NULL)`,
      );
    }
    await db.query('INSERT INTO c (id) VALUES (1)');
    await db.query(`INSERT INTO c VALUES (2, '${Z}', '${ZT}', '${ZT}', '${Z}')`);
    await db.query(
      "INSERT INTO c VALUES (4, '2024-05-06', '2024-05-06 07:08:09', '2024-05-06 07:08:09', NULL)",
    );
    await db.query("INSERT INTO c VALUES (5, 0, 0, 0, '2024-01-01')");
    await db.query(
      "INSERT INTO c VALUES (6, '0000-01-01', '2024-01-01 10:00:00', '2024-01-01 00:00:00', NULL)",
    );
    await db.query('INSERT INTO r SELECT * FROM c');
  });

  after(async () => {
    await db.end();
    await cluster.close();
    await rm(folder, { recursive: true, force: true });
  });

  for (const table of ['c', 'r']) {
    const storage = table === 'r' ? 'rowstore' : 'columnstore';

    it(`stores and returns them on ${storage}`, async () => {
      const [rows] = await db.query<RowDataPacket[]>(
        `SELECT id, d, dt, ts, n FROM ${table} ORDER BY id`,
      );
      assert.deepEqual(
        rows.map((row): unknown[] => [row['id'], row['d'], row['dt'], row['ts'], row['n']]),
        [
          [1, Z, ZT, ZT, null],
          [2, Z, ZT, ZT, Z],
          [4, '2024-05-06', '2024-05-06 07:08:09', '2024-05-06 07:08:09', null],
          [5, Z, ZT, ZT, '2024-01-01'],
          [6, '0000-01-01', '2024-01-01 10:00:00', '2024-01-01 00:00:00', null],
        ],
      );
    });

    it(`compares them as MariaDB on ${storage}`, async () => {
      for (const [condition, expected] of CONDITIONS) {
        const [rows] = await db.query<RowDataPacket[]>(
          `SELECT id FROM ${table} WHERE ${condition} ORDER BY id`,
        );
        assert.deepEqual(
          rows.map((row) => row['id'] as number),
          expected,
          condition,
        );
      }
      const [joined] = await db.query<RowDataPacket[]>(
        `SELECT a.id FROM ${table} a JOIN ${table} b ON a.id = b.id AND a.d IS NULL ORDER BY a.id`,
      );
      assert.deepEqual(
        joined.map((row) => row['id'] as number),
        [1, 2, 5],
      );
      const [outer] = await db.query<RowDataPacket[]>(
        `SELECT a.id FROM ${table} a LEFT JOIN ${table} b ON b.id = a.id + 100
         WHERE b.d IS NULL ORDER BY a.id`,
      );
      assert.deepEqual(
        outer.map((row) => row['id'] as number),
        [1, 2, 4, 5, 6],
      );
    });

    it(`sorts, groups and merges them on ${storage}`, async () => {
      const [ordered] = await db.query<RowDataPacket[]>(`SELECT id FROM ${table} ORDER BY d, id`);
      assert.deepEqual(
        ordered.map((row) => row['id'] as number),
        [1, 2, 5, 6, 4],
      );
      const [groups] = await db.query<RowDataPacket[]>(
        `SELECT d, COUNT(*) AS n FROM ${table} GROUP BY d ORDER BY d`,
      );
      assert.deepEqual(
        groups.map((row): unknown[] => [row['d'], row['n']]),
        [
          [Z, 3],
          ['0000-01-01', 1],
          ['2024-05-06', 1],
        ],
      );
      const [[extremes]] = await db.query<RowDataPacket[]>(
        `SELECT MIN(d) AS a, MAX(d) AS b, MIN(dt) AS c, MAX(dt) AS e, MIN(ts) AS f,
         COUNT(DISTINCT d) AS g FROM ${table}`,
      );
      assert.deepEqual(
        [extremes?.['a'], extremes?.['b'], extremes?.['c'], extremes?.['e'], extremes?.['f']],
        [Z, '2024-05-06', ZT, '2024-05-06 07:08:09', ZT],
      );
      assert.equal(extremes?.['g'], 3);
    });

    it(`gives MariaDB's function values on ${storage}`, async () => {
      const [[row]] = await db.query<RowDataPacket[]>({
        sql: `SELECT ${ITEMS.map(([item]) => item).join(', ')} FROM ${table} WHERE id = 2`,
        rowsAsArray: true,
      });
      const values = (row as unknown as unknown[]).map((value) =>
        typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value,
      );
      ITEMS.forEach(([item, expected], index) => assert.equal(values[index], expected, item));
    });

    it(`gives MariaDB's function values of zero-date constants on ${storage}`, async () => {
      const [[row]] = await db.query<RowDataPacket[]>({
        sql: `SELECT YEAR('${Z}'), MONTH('${ZT}'), DAYOFMONTH('${Z}'), QUARTER('${Z}'),
          DAYOFWEEK('${Z}'), DAYOFYEAR('${Z}'), EXTRACT(YEAR_MONTH FROM '${Z}'), YEAR(0),
          YEAR('0000-00-00 00:00:00.000'), YEAR('2024-05-06') FROM ${table} WHERE id = 2`,
        rowsAsArray: true,
      });
      // Recorded from MariaDB 10.11.
      assert.deepEqual(
        (row as unknown as unknown[]).map((value) => (value === null ? null : Number(value))),
        [0, 0, 0, 0, null, null, 0, 0, 0, 2024],
      );
    });

    it(`reads and writes them through prepared statements on ${storage}`, async () => {
      await db.execute(`INSERT INTO ${table} (id, d, dt, ts) VALUES (?, ?, ?, ?)`, [10, Z, ZT, ZT]);
      const [rows] = await db.execute<RowDataPacket[]>(
        `SELECT id, d, dt, ts FROM ${table} WHERE id = ?`,
        [10],
      );
      assert.deepEqual(rows, [{ id: 10, d: Z, dt: ZT, ts: ZT }]);
      await db.query(`DELETE FROM ${table} WHERE id = 10`);
    });

    it(`updates to and from them on ${storage}`, async () => {
      await db.query(`CREATE ${table === 'r' ? 'ROWSTORE' : ''} TABLE u${table} LIKE ${table}`);
      await db.query(`INSERT INTO u${table} SELECT * FROM ${table}`);
      await db.query(`UPDATE u${table} SET d = '${Z}', dt = 0 WHERE id = 4`);
      await db.query(`UPDATE u${table} SET d = '2024-02-02' WHERE d = '${Z}' AND id = 1`);
      const [rows] = await db.query<RowDataPacket[]>(`SELECT id, d, dt FROM u${table} ORDER BY id`);
      assert.deepEqual(
        rows.map((row): unknown[] => [row['id'], row['d'], row['dt']]),
        [
          [1, '2024-02-02', ZT],
          [2, Z, ZT],
          [4, Z, ZT],
          [5, Z, ZT],
          [6, '0000-01-01', '2024-01-01 10:00:00'],
        ],
      );
      await db.query(`DELETE FROM u${table} WHERE d = 0`);
      const [left] = await db.query<RowDataPacket[]>(`SELECT id FROM u${table} ORDER BY id`);
      assert.deepEqual(
        left.map((row) => row['id'] as number),
        [1, 6],
      );
    });

    it(`loads them with LOAD DATA on ${storage}`, async () => {
      const file = join(folder, `${table}.tsv`);
      const text = `1\t${Z}\t${ZT}\n2\t2024-01-02\t2024-01-02 03:04:05\n3\t0\t0\n`;
      await writeFile(file, text);
      await db.query(`CREATE ${table === 'r' ? 'ROWSTORE' : ''} TABLE l${table} (id INT PRIMARY KEY,
        d DATE NOT NULL, dt DATETIME NOT NULL)`);
      await db.query({
        sql: `LOAD DATA LOCAL INFILE '${file}' INTO TABLE l${table}`,
        infileStreamFactory: () => Readable.from([Buffer.from(text)]),
      });
      const [rows] = await db.query<RowDataPacket[]>(`SELECT id, d, dt FROM l${table} ORDER BY id`);
      assert.deepEqual(
        rows.map((row): unknown[] => [row['id'], row['d'], row['dt']]),
        [
          [1, Z, ZT],
          [2, '2024-01-02', '2024-01-02 03:04:05'],
          [3, Z, ZT],
        ],
      );
    });
  }

  it('stores the zero date for a date left out, NULL or invalid without strict mode', async () => {
    const loose = await cluster.connect('zd');
    try {
      await loose.query("SET sql_mode = ''");
      for (const kind of ['', 'ROWSTORE']) {
        const name = kind === '' ? 'ic' : 'ir';
        await loose.query(`CREATE ${kind} TABLE ${name} (id INT PRIMARY KEY, d DATE NOT NULL,
          dt DATETIME NOT NULL, ts TIMESTAMP NOT NULL)`);
        await loose.query(`INSERT INTO ${name} (id) VALUES (1)`);
        const [missing] = await loose.query<RowDataPacket[]>('SHOW WARNINGS');
        assert.deepEqual(
          missing.map((row) => row['Code'] as number),
          [1364, 1364, 1364],
        );
        await loose.query(
          `INSERT INTO ${name} VALUES (2, NULL, NULL, '2024-01-01'), (3, NULL, '2024-01-01', '2024-01-01')`,
        );
        const [nulls] = await loose.query<RowDataPacket[]>('SHOW WARNINGS');
        assert.deepEqual(
          nulls.map((row) => row['Code'] as number),
          [1048, 1048, 1048],
        );
        // A date that is none is the zero date, with 1265 (NO_ZERO_DATE or not).
        await loose.query(
          `INSERT INTO ${name} VALUES (4, '2024-02-30', '2024-01-01 25:00:00', 'notadate')`,
        );
        const [bad] = await loose.query<RowDataPacket[]>('SHOW WARNINGS');
        assert.deepEqual(
          bad.map((row) => row['Code'] as number),
          [1265, 1265, 1265],
        );
        // NO_ZERO_DATE without strict mode keeps the zero date with 1264 (1265 in a TIMESTAMP).
        await loose.query("SET sql_mode = 'NO_ZERO_DATE'");
        await loose.query(`INSERT INTO ${name} VALUES (5, '${Z}', 0, '${ZT}')`);
        const [kept] = await loose.query<RowDataPacket[]>('SHOW WARNINGS');
        assert.deepEqual(
          kept.map((row) => row['Code'] as number),
          [1264, 1264, 1265],
        );
        await loose.query("SET sql_mode = ''");
        const [rows] = await loose.query<RowDataPacket[]>(
          `SELECT id, d, dt, ts FROM ${name} ORDER BY id`,
        );
        assert.deepEqual(
          rows.map((row): unknown[] => [row['id'], row['d'], row['dt'], row['ts']]),
          [
            [1, Z, ZT, ZT],
            [2, Z, ZT, '2024-01-01 00:00:00'],
            [3, Z, '2024-01-01 00:00:00', '2024-01-01 00:00:00'],
            [4, Z, ZT, ZT],
            [5, Z, ZT, ZT],
          ],
        );
      }
    } finally {
      await loose.end();
    }
  });

  it('refuses them under strict mode with NO_ZERO_DATE', async () => {
    const strict = await cluster.connect('zd');
    try {
      await strict.query("SET sql_mode = 'STRICT_TRANS_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE'");
      for (const table of ['c', 'r']) {
        await assert.rejects(
          strict.query(
            `INSERT INTO ${table} VALUES (20, '${Z}', '2024-01-01', '2024-01-01', NULL)`,
          ),
          { errno: 1292 },
        );
        await assert.rejects(
          strict.query(`INSERT INTO ${table} VALUES (20, '2024-01-01', 0, '2024-01-01', NULL)`),
          { errno: 1292 },
        );
        await assert.rejects(strict.query(`UPDATE ${table} SET d = '${Z}' WHERE id = 4`), {
          errno: 1292,
        });
        // A row that holds zero dates moves with them when its key changes (MySQL 8 updates it
        // in place), but a zero date it is given is refused.
        await db.query(`INSERT INTO ${table} SELECT 30, d, dt, ts, n FROM ${table} WHERE id = 2`);
        await strict.query(`UPDATE ${table} SET id = 31 WHERE id = 30`);
        const [moved] = await strict.query<RowDataPacket[]>({
          sql: `SELECT id, CAST(d AS CHAR), CAST(dt AS CHAR) FROM ${table} WHERE id > 29`,
          rowsAsArray: true,
        });
        assert.deepEqual(moved, [[31, Z, ZT]]);
        await assert.rejects(strict.query(`UPDATE ${table} SET id = 32, d = 0 WHERE id = 4`), {
          errno: 1292,
        });
        await strict.query(`DELETE FROM ${table} WHERE id = 31`);
      }
      await assert.rejects(strict.query(`CREATE TABLE bad (d DATE NOT NULL DEFAULT '${Z}')`), {
        errno: 1067,
      });
    } finally {
      await strict.end();
    }
  });
});
