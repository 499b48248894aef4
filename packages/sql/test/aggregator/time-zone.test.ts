/**
 * The session time zone: TIMESTAMP columns store UTC and show the reading session's local
 * time, DATETIME never moves, and the clock functions, UNIX_TIMESTAMP and FROM_UNIXTIME work
 * in the session's zone. Expected values were taken from MariaDB 10.11 (the same statements
 * run side by side, server in UTC, on InnoDB tables for both storages here).
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

type Row = (string | number | null)[];

async function rows(db: Connection, sql: string, params?: unknown[]): Promise<Row[]> {
  const [result] =
    params === undefined
      ? await db.query<RowDataPacket[]>({ sql, rowsAsArray: true })
      : await db.execute<RowDataPacket[]>({ sql, rowsAsArray: true }, params as never[]);
  return result as unknown as Row[];
}

const TABLES = ['c', 'r'] as const;

describe('session time zone', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE tz');
    await db.query('USE tz');
    for (const [name, kind] of [
      ['c', 'TABLE'],
      ['r', 'ROWSTORE TABLE'],
    ] as const) {
      await db.query(
        `CREATE ${kind} ${name} (id INT PRIMARY KEY, ts TIMESTAMP(3) NULL, dt DATETIME(3) NULL, k VARCHAR(4),` +
          ' cr TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,' +
          ' up TIMESTAMP NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP,' +
          ' dcr DATETIME DEFAULT CURRENT_TIMESTAMP)',
      );
      await db.query("SET time_zone = '+00:00'");
      await db.query(
        `INSERT INTO ${name} (id, ts, dt, k) VALUES (1, '2024-03-10 23:30:00.250', '2024-03-10 23:30:00.250', 'a'),` +
          " (2, '2024-03-11 04:00:00', '2024-03-11 04:00:00', 'b'), (3, '2024-03-11 20:00:00', '2024-03-11 20:00:00', 'a')," +
          ' (4, NULL, NULL, NULL)',
      );
    }
  });
  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('shows TIMESTAMP values in the reading session zone, DATETIME as written', async () => {
    const shown: Record<string, Row[]> = {
      '+05:30': [
        [1, '2024-03-11 05:00:00.250', '2024-03-10 23:30:00.250'],
        [2, '2024-03-11 09:30:00.000', '2024-03-11 04:00:00.000'],
        [3, '2024-03-12 01:30:00.000', '2024-03-11 20:00:00.000'],
        [4, null, null],
      ],
      '-08:00': [
        [1, '2024-03-10 15:30:00.250', '2024-03-10 23:30:00.250'],
        [2, '2024-03-10 20:00:00.000', '2024-03-11 04:00:00.000'],
        [3, '2024-03-11 12:00:00.000', '2024-03-11 20:00:00.000'],
        [4, null, null],
      ],
    };
    for (const [zone, expected] of Object.entries(shown)) {
      await db.query(`SET time_zone = '${zone}'`);
      for (const table of TABLES) {
        assert.deepEqual(await rows(db, `SELECT id, ts, dt FROM ${table} ORDER BY id`), expected);
        assert.deepEqual(
          await rows(db, `SELECT * FROM ${table} WHERE id = 2`).then((r) => r[0]?.slice(0, 3)),
          expected[1],
        );
      }
    }
  });

  it('compares, groups, orders and computes with local values', async () => {
    await db.query("SET time_zone = '+05:30'");
    for (const table of TABLES) {
      assert.deepEqual(await rows(db, `SELECT id FROM ${table} WHERE ts = '2024-03-11 09:30:00'`), [
        [2],
      ]);
      assert.deepEqual(
        await rows(
          db,
          `SELECT id FROM ${table} WHERE ts BETWEEN '2024-03-11 09:00:00' AND '2024-03-12 09:00:00' ORDER BY id`,
        ),
        [[2], [3]],
      );
      assert.deepEqual(
        await rows(db, `SELECT DATE(ts) d, COUNT(*) FROM ${table} GROUP BY DATE(ts) ORDER BY d`),
        [
          [null, 1],
          ['2024-03-11', 2],
          ['2024-03-12', 1],
        ],
      );
      assert.deepEqual(
        await rows(db, `SELECT DATE(dt) d, COUNT(*) FROM ${table} GROUP BY DATE(dt) ORDER BY d`),
        [
          [null, 1],
          ['2024-03-10', 1],
          ['2024-03-11', 2],
        ],
      );
      assert.deepEqual(await rows(db, `SELECT id FROM ${table} ORDER BY ts DESC, id`), [
        [3],
        [2],
        [1],
        [4],
      ]);
      assert.deepEqual(
        await rows(db, `SELECT k, MAX(ts) FROM ${table} WHERE k IS NOT NULL GROUP BY k ORDER BY k`),
        [
          ['a', '2024-03-12 01:30:00.000'],
          ['b', '2024-03-11 09:30:00.000'],
        ],
      );
      assert.deepEqual(
        await rows(
          db,
          `SELECT UNIX_TIMESTAMP(ts), UNIX_TIMESTAMP(dt), HOUR(ts), DATE_FORMAT(ts, '%Y-%m-%d %H:%i') FROM ${table} WHERE id = 1`,
        ),
        [['1710113400.250', '1710093600.250', 5, '2024-03-11 05:00']],
      );
    }
    await db.query("SET time_zone = '-08:00'");
    assert.deepEqual(await rows(db, "SELECT id FROM c WHERE ts = '2024-03-10 20:00:00'"), [[2]]);
    assert.deepEqual(
      await rows(db, 'SELECT DATE(ts) d, COUNT(*) FROM c GROUP BY DATE(ts) ORDER BY d'),
      [
        [null, 1],
        ['2024-03-10', 2],
        ['2024-03-11', 1],
      ],
    );
    // A join of the two storages (gathered on the aggregator) meets the same instants.
    assert.deepEqual(
      await rows(
        db,
        "SELECT c.id, r.ts FROM c JOIN r ON c.ts = r.ts WHERE r.ts > '2024-03-10 16:00:00' ORDER BY c.id",
      ),
      [
        [2, '2024-03-10 20:00:00.000'],
        [3, '2024-03-11 12:00:00.000'],
      ],
    );
  });

  it('runs the clock functions, FROM_UNIXTIME and CONVERT_TZ in the session zone', async () => {
    await db.query("SET time_zone = '+05:30'");
    assert.deepEqual(
      await rows(
        db,
        "SELECT FROM_UNIXTIME(1710113400), FROM_UNIXTIME(1710113400.5), FROM_UNIXTIME(1710113400, '%Y %H:%i')," +
          " UNIX_TIMESTAMP('2024-03-11 05:00:00'), UNIX_TIMESTAMP('2024-03-11 05:00:00.25')," +
          " CONVERT_TZ('2024-03-11 05:00:00', '+05:30', '-08:00'), CONVERT_TZ('2024-03-11 05:00:00', 'SYSTEM', '+01:00')," +
          " CONVERT_TZ('2024-03-11 05:00:00', '+01:00', 'SYSTEM'), CONVERT_TZ('2024-03-11 05:00:00', 'Europe/Paris', '+01:00')",
      ),
      [
        [
          '2024-03-11 05:00:00',
          '2024-03-11 05:00:00.5',
          '2024 05:00',
          1710113400,
          '1710113400.25',
          '2024-03-10 15:30:00',
          '2024-03-11 06:00:00',
          '2024-03-11 04:00:00',
          null,
        ],
      ],
    );
    // NOW() and its synonyms are 5:30 ahead of UTC_TIMESTAMP(); UTC_* stay in UTC.
    assert.deepEqual(
      await rows(
        db,
        'SELECT TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW()), TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), SYSDATE()),' +
          ' TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), LOCALTIME()), TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), CURRENT_TIMESTAMP),' +
          ' CURDATE() = DATE(NOW()), CURTIME() = TIME(NOW()), UTC_DATE() = DATE(UTC_TIMESTAMP()),' +
          ' UTC_TIME() = TIME(UTC_TIMESTAMP()), ABS(UNIX_TIMESTAMP() - UNIX_TIMESTAMP(NOW())) < 2',
      ),
      [[330, 330, 330, 330, 1, 1, 1, 1, 1]],
    );
    await db.query("SET time_zone = '-12:59'");
    assert.deepEqual(await rows(db, 'SELECT TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW())'), [
      [-779],
    ]);
    await db.query('SET time_zone = SYSTEM');
    assert.deepEqual(await rows(db, 'SELECT TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW())'), [[0]]);
  });

  it('stores written values in UTC: INSERT, UPDATE, upserts, INSERT … SELECT', async () => {
    await db.query("SET time_zone = '-08:00'");
    for (const table of TABLES) {
      await db.query(`UPDATE ${table} SET ts = '2024-01-01 00:00:00' WHERE id = 4`);
      await db.query(
        `INSERT INTO ${table} (id, ts, dt, k) VALUES (5, '2024-06-01 12:00:00', '2024-06-01 12:00:00', 'c')`,
      );
      await db.query(`UPDATE ${table} SET ts = ts + INTERVAL 1 MINUTE WHERE id = 5`);
      await db.query(
        `INSERT INTO ${table} (id, ts, dt, k) VALUES (5, '2030-01-01 00:00:00', NULL, 'x') ON DUPLICATE KEY UPDATE dt = VALUES(ts), k = 'dup'`,
      );
      await db.query(
        `INSERT INTO ${table} (id, ts, dt, k) VALUES (6, '2024-06-01 12:00:00', NULL, 'c') ON DUPLICATE KEY UPDATE ts = VALUES(ts)`,
      );
      await db.query(
        `INSERT INTO ${table} (id, ts, dt, k) VALUES (6, '2025-06-01 12:00:00', NULL, 'c') ON DUPLICATE KEY UPDATE ts = VALUES(ts)`,
      );
    }
    await db.query('INSERT INTO c (id, ts, dt, k) SELECT id + 10, ts, ts, k FROM r WHERE id < 3');
    await db.query("SET time_zone = '+00:00'");
    const stored: Row[] = [
      [1, '2024-03-10 23:30:00.250', '2024-03-10 23:30:00.250', 'a'],
      [2, '2024-03-11 04:00:00.000', '2024-03-11 04:00:00.000', 'b'],
      [3, '2024-03-11 20:00:00.000', '2024-03-11 20:00:00.000', 'a'],
      [4, '2024-01-01 08:00:00.000', null, null],
      [5, '2024-06-01 20:01:00.000', '2030-01-01 00:00:00.000', 'dup'],
      [6, '2025-06-01 20:00:00.000', null, 'c'],
    ];
    assert.deepEqual(await rows(db, 'SELECT id, ts, dt, k FROM r ORDER BY id'), stored);
    assert.deepEqual(await rows(db, 'SELECT id, ts, dt, k FROM c ORDER BY id'), [
      ...stored,
      [11, '2024-03-10 23:30:00.250', '2024-03-10 15:30:00.250', 'a'],
      [12, '2024-03-11 04:00:00.000', '2024-03-10 20:00:00.000', 'b'],
    ]);
  });

  it('fills DEFAULT and ON UPDATE CURRENT_TIMESTAMP with the current instant', async () => {
    await db.query("SET time_zone = '+05:30'");
    for (const table of TABLES) await db.query(`INSERT INTO ${table} (id, k) VALUES (20, 'd')`);
    await db.query("SET time_zone = '-08:00'");
    for (const table of TABLES) await db.query(`UPDATE ${table} SET k = 'e' WHERE id = 20`);
    await db.query("INSERT INTO c (id, k) VALUES (20, NULL) ON DUPLICATE KEY UPDATE k = 'f'");
    // cr and up are now in any zone; dcr (DATETIME) keeps the +05:30 clock of the insert.
    for (const zone of ['-08:00', '+00:00']) {
      await db.query(`SET time_zone = '${zone}'`);
      for (const table of TABLES)
        assert.deepEqual(
          await rows(
            db,
            `SELECT ABS(TIMESTAMPDIFF(SECOND, NOW(), cr)) < 5, ABS(TIMESTAMPDIFF(SECOND, NOW(), up)) < 5,` +
              ` ABS(TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), dcr) - 19800) < 5 FROM ${table} WHERE id = 20`,
          ),
          [[1, 1, 1]],
        );
    }
  });

  it('routes by a TIMESTAMP shard key written and compared in local time', async () => {
    await db.query(
      'CREATE TABLE sk (ts TIMESTAMP NOT NULL, v INT, PRIMARY KEY (ts), SHARD KEY (ts))',
    );
    await db.query("SET time_zone = '+05:30'");
    await db.query(
      "INSERT INTO sk VALUES ('2024-01-01 10:00:00', 1), ('2024-01-01 11:00:00', 2), ('2024-01-01 12:00:00', 3), ('2024-01-01 13:00:00', 4)",
    );
    assert.deepEqual(await rows(db, "SELECT v FROM sk WHERE ts = '2024-01-01 11:00:00'"), [[2]]);
    assert.deepEqual(await rows(db, 'SELECT v FROM sk WHERE ts = ?', ['2024-01-01 12:00:00']), [
      [3],
    ]);
    await db.query("UPDATE sk SET v = 20 WHERE ts = '2024-01-01 11:00:00'");
    await db.query("DELETE FROM sk WHERE ts = '2024-01-01 13:00:00'");
    await db.query("SET time_zone = '+00:00'");
    assert.deepEqual(await rows(db, 'SELECT ts, v FROM sk ORDER BY ts'), [
      ['2024-01-01 04:30:00', 1],
      ['2024-01-01 05:30:00', 20],
      ['2024-01-01 06:30:00', 3],
    ]);
    assert.deepEqual(await rows(db, "SELECT v FROM sk WHERE ts = '2024-01-01 05:30:00'"), [[20]]);
  });

  it('sends and receives TIMESTAMP values of prepared statements in the session zone', async () => {
    await db.query('CREATE TABLE p (id INT PRIMARY KEY, ts TIMESTAMP NULL, dt DATETIME NULL)');
    await db.query("SET time_zone = '+05:30'");
    await rows(db, 'INSERT INTO p VALUES (?, ?, ?)', [
      1,
      '2024-03-11 05:00:00',
      '2024-03-11 05:00:00',
    ]);
    // mysql2 sends a Date as the client's local clock (UTC here).
    const at = new Date(Date.UTC(2024, 2, 11, 9, 30, 0));
    await rows(db, 'INSERT INTO p VALUES (?, ?, ?)', [2, at, at]);
    assert.deepEqual(await rows(db, 'SELECT id, ts, dt FROM p WHERE id = ?', [1]), [
      [1, '2024-03-11 05:00:00', '2024-03-11 05:00:00'],
    ]);
    assert.deepEqual(await rows(db, 'SELECT id FROM p WHERE ts = ?', ['2024-03-11 09:30:00']), [
      [2],
    ]);
    await db.query("SET time_zone = '-08:00'");
    assert.deepEqual(await rows(db, 'SELECT id, ts, dt FROM p WHERE id = ?', [2]), [
      [2, '2024-03-10 20:00:00', '2024-03-11 09:30:00'],
    ]);
    await rows(db, 'UPDATE p SET ts = ? WHERE id = ?', ['2024-12-31 16:00:00', 2]);
    await db.query("SET time_zone = '+00:00'");
    assert.deepEqual(await rows(db, 'SELECT id, ts FROM p ORDER BY id'), [
      [1, '2024-03-10 23:30:00'],
      [2, '2025-01-01 00:00:00'],
    ]);
  });

  it('never serves a cached query text translated under another zone', async () => {
    const expected: Record<string, string> = {
      '+00:00': '2024-03-11 04:00:00.000',
      '+05:30': '2024-03-11 09:30:00.000',
      '-08:00': '2024-03-10 20:00:00.000',
    };
    for (const zone of ['+00:00', '+05:30', '+00:00', '-08:00']) {
      await db.query(`SET time_zone = '${zone}'`);
      for (let round = 0; round < 4; round += 1) {
        for (const table of TABLES)
          assert.deepEqual(await rows(db, `SELECT ts, dt FROM ${table} WHERE id = 2`), [
            [expected[zone], '2024-03-11 04:00:00.000'],
          ]);
        assert.deepEqual(
          await rows(db, `SELECT id FROM c WHERE ts = '${expected['+05:30']}'`),
          zone === '+05:30' ? [[2], [12]] : [],
        );
      }
    }
  });

  it('loads LOAD DATA fields into TIMESTAMP columns as local time', async () => {
    await db.query('CREATE TABLE l (id INT, ts TIMESTAMP NULL, dt DATETIME NULL)');
    await db.query('CREATE ROWSTORE TABLE lr (id INT, ts TIMESTAMP NULL, dt DATETIME NULL)');
    await db.query("SET time_zone = '+05:30'");
    const file =
      '10\t2024-07-01 10:00:00\t2024-07-01 10:00:00\n11\t2024-07-01 00:15:00\t2024-07-01 00:15:00\n';
    for (const table of ['l', 'lr'])
      await db.query({
        sql: `LOAD DATA LOCAL INFILE 'x.tsv' INTO TABLE ${table}`,
        infileStreamFactory: () => Readable.from([Buffer.from(file)]),
      });
    for (const table of ['l', 'lr'])
      assert.deepEqual(await rows(db, `SELECT id FROM ${table} WHERE ts = '2024-07-01 10:00:00'`), [
        [10],
      ]);
    await db.query("SET time_zone = '+00:00'");
    for (const table of ['l', 'lr'])
      assert.deepEqual(await rows(db, `SELECT id, ts, dt FROM ${table} ORDER BY id`), [
        [10, '2024-07-01 04:30:00', '2024-07-01 10:00:00'],
        [11, '2024-06-30 18:45:00', '2024-07-01 00:15:00'],
      ]);
  });

  it("restores a dump written under mariadb-dump's TIME_ZONE='+00:00' header exactly", async () => {
    await db.query('CREATE TABLE d (id INT PRIMARY KEY, ts TIMESTAMP NULL)');
    await db.query("SET time_zone = '+09:00'");
    await db.query('SET @OLD_TIME_ZONE = @@TIME_ZONE');
    await db.query("SET TIME_ZONE = '+00:00'");
    await db.query("INSERT INTO d VALUES (1, '2024-03-10 23:30:00'), (2, '2025-01-01 00:00:00')");
    await db.query('SET TIME_ZONE = @OLD_TIME_ZONE');
    assert.deepEqual(await rows(db, 'SELECT @@time_zone, ts FROM d ORDER BY id'), [
      ['+09:00', '2024-03-11 08:30:00'],
      ['+09:00', '2025-01-01 09:00:00'],
    ]);
  });
});
