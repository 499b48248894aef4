/**
 * Multi-row INSERT's fast paths: literal VALUES parsed without the expression grammar, and
 * columnstore rows appended straight into the partition's table inside the statement's
 * transaction. Checked against the general paths (INSERT IGNORE still goes through a temporary
 * table): the same rows on the same partitions, MySQL's errors with nothing written, 1062 on
 * duplicates within the statement and against stored rows, and NULL, DEFAULT, AUTO_INCREMENT
 * and expressions in VALUES completed as before.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { parseStatement } from '../../src/parser/index.js';
import { withoutPositions } from '../parser/helpers.js';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const PARTITIONS = 4;
const DATABASE = 'fast';

describe('INSERT fast path: parser', () => {
  it('builds the same literal nodes as the expression grammar', () => {
    const insert = parseStatement(`INSERT INTO t VALUES (1, 'a', 2.50, 1e3, 18446744073709551615)`);
    const select = parseStatement(`SELECT 1, 'a', 2.50, 1e3, 18446744073709551615`);
    assert.equal(insert.kind, 'insert');
    assert.equal(select.kind, 'select');
    if (insert.kind !== 'insert' || insert.source.kind !== 'values') return;
    if (select.kind !== 'select') return;
    const exprs = select.columns.map((item) => item.expr);
    assert.deepEqual(withoutPositions(insert.source.rows[0]), withoutPositions(exprs));
  });

  it('leaves operators, adjacent strings, NULL and DEFAULT to the expression grammar', () => {
    const statement = parseStatement(
      `INSERT INTO t VALUES (1 + 2, 'x' 'y', -3, NULL, DEFAULT, 'a' COLLATE utf8mb4_bin, 4)`,
    );
    assert.equal(statement.kind, 'insert');
    if (statement.kind !== 'insert' || statement.source.kind !== 'values') return;
    const row = withoutPositions(statement.source.rows[0]) as { kind: string; value?: unknown }[];
    assert.deepEqual(
      row.map((expr) => expr.kind),
      ['binary', 'literal', 'unary', 'literal', 'default', 'collate', 'literal'],
    );
    assert.equal(row[1]?.value, 'xy');
  });
});

describe('INSERT fast path: cluster', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rowsOf = async (sql: string): Promise<RowDataPacket[]> => {
    const [rows] = await db.query<RowDataPacket[]>(sql);
    return rows;
  };

  /** Every partition's rows of `table`, read on the leaves directly, as "ordinal: row". */
  const partitionRows = async (table: string): Promise<string[]> => {
    const out: string[] = [];
    for (let ordinal = 0; ordinal < PARTITIONS; ordinal++) {
      for (const server of cluster.leaves) {
        const info = await server.leaf.info();
        if (!info.partitions.some((p) => p.database === DATABASE && p.ordinal === ordinal))
          continue;
        const [result] = await server.leaf.exec([
          {
            partition: { database: DATABASE, ordinal },
            engine: 'column',
            sql: `SELECT * FROM "${table}" ORDER BY 1, 2`,
          },
        ]);
        for (const row of result?.rows ?? [])
          out.push(
            `${ordinal}: ${JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
          );
      }
    }
    return out;
  };

  const lineitem = (name: string): string =>
    `CREATE TABLE ${name} (k BIGINT NOT NULL, line INT NOT NULL, qty DECIMAL(15,2) NOT NULL,
       day DATE NOT NULL, note VARCHAR(20), PRIMARY KEY (k, line), SHARD KEY (k))`;

  const values = (first: number, count: number): string =>
    Array.from(
      { length: count },
      (_, index) =>
        `(${first + index}, ${1 + ((first + index) % 3)}, '${index % 50}.25', '1995-01-${String(1 + (index % 28)).padStart(2, '0')}', ${index % 7 === 0 ? 'NULL' : `'n${index}'`})`,
    ).join(', ');

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query(`CREATE DATABASE ${DATABASE} PARTITIONS ${PARTITIONS}`);
    await db.query(`USE ${DATABASE}`);
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('puts the same rows on the same partitions as the general path', async () => {
    await db.query(lineitem('direct'));
    await db.query(lineitem('general'));
    await db.query(`INSERT INTO direct VALUES ${values(1, 500)}`);
    await db.query(`INSERT IGNORE INTO general VALUES ${values(1, 500)}`);
    const direct = await partitionRows('direct');
    assert.equal(direct.length, 500);
    assert.deepEqual(direct, await partitionRows('general'));
    assert.ok(new Set(direct.map((line) => line.split(':')[0])).size > 1);
    const [sum] = await rowsOf('SELECT SUM(qty) AS s, COUNT(note) AS n FROM direct');
    const [expected] = await rowsOf('SELECT SUM(qty) AS s, COUNT(note) AS n FROM general');
    assert.deepEqual(sum, expected);
  });

  it('answers 1062 for a duplicate against stored rows and writes nothing', async () => {
    await db.query(lineitem('dup_stored'));
    await db.query(`INSERT INTO dup_stored VALUES ${values(1, 100)}`);
    await assert.rejects(db.query(`INSERT INTO dup_stored VALUES ${values(90, 100)}`), {
      errno: 1062,
    });
    const [row] = await rowsOf('SELECT COUNT(*) AS n FROM dup_stored');
    assert.equal(Number(row?.['n']), 100);
  });

  it('answers 1062 for a duplicate inside one statement and writes nothing', async () => {
    await db.query(lineitem('dup_batch'));
    await assert.rejects(
      db.query(`INSERT INTO dup_batch VALUES ${values(1, 200)}, (7, 2, '1.00', '1995-01-01', 'x')`),
      { errno: 1062 },
    );
    const [row] = await rowsOf('SELECT COUNT(*) AS n FROM dup_batch');
    assert.equal(Number(row?.['n']), 0);
    // The connection and the table stay usable.
    await db.query(`INSERT INTO dup_batch VALUES ${values(1, 10)}`);
    const [again] = await rowsOf('SELECT COUNT(*) AS n FROM dup_batch');
    assert.equal(Number(again?.['n']), 10);
  });

  it('refuses bad values with MySQL errors and writes nothing', async () => {
    await db.query(lineitem('bad'));
    const good = values(1, 50);
    await assert.rejects(
      db.query(`INSERT INTO bad VALUES ${good}, (900, 1, 'many', '1995-01-01', 'x')`),
      { errno: 1366 },
    );
    // Text that starts with a number: 1265 Data truncated, as MariaDB answers.
    await assert.rejects(
      db.query(`INSERT INTO bad VALUES ${good}, (904, 1, '12.5abc', '1995-01-01', 'x')`),
      { errno: 1265, message: "Data truncated for column 'qty' at row 51" },
    );
    await assert.rejects(
      db.query(`INSERT INTO bad VALUES ${good}, (901, 99999999999, '1.00', '1995-01-01', 'x')`),
      { errno: 1264 },
    );
    await assert.rejects(
      db.query(
        `INSERT INTO bad VALUES ${good}, (902, 1, '1.00', '1995-01-01', '${'x'.repeat(21)}')`,
      ),
      { errno: 1406 },
    );
    await assert.rejects(
      db.query(`INSERT INTO bad VALUES ${good}, (903, 1, NULL, '1995-01-01', 'x')`),
      {
        errno: 1048,
      },
    );
    const [row] = await rowsOf('SELECT COUNT(*) AS n FROM bad');
    assert.equal(Number(row?.['n']), 0);
  });

  it('completes NULL, DEFAULT, AUTO_INCREMENT and expressions as before', async () => {
    await db.query(
      `CREATE TABLE filled (id BIGINT AUTO_INCREMENT, grp INT NOT NULL DEFAULT 5,
         label VARCHAR(10) DEFAULT 'none', amount DECIMAL(10,2), PRIMARY KEY (id))`,
    );
    const [result] = await db.query(
      `INSERT INTO filled VALUES (NULL, DEFAULT, DEFAULT, 1 + 1), (0, 2, CONCAT('a', 'b'), NULL),
         (10, 3, 'x', '2.5'), (NULL, 4, UPPER('y'), -1.25)`,
    );
    assert.equal((result as unknown as { insertId: number }).insertId, 1);
    const rows = await rowsOf('SELECT id, grp, label, amount FROM filled ORDER BY id');
    assert.deepEqual(
      rows.map((row): unknown[] => [Number(row['id']), row['grp'], row['label'], row['amount']]),
      [
        [1, 5, 'none', '2.00'],
        [2, 2, 'ab', null],
        [10, 3, 'x', '2.50'],
        [11, 4, 'Y', '-1.25'],
      ],
    );
  });

  it('writes a rowstore table through the same statement path', async () => {
    await db.query(
      `CREATE ROWSTORE TABLE rows_kept (k BIGINT NOT NULL, line INT NOT NULL, qty DECIMAL(15,2) NOT NULL,
         day DATE NOT NULL, note VARCHAR(20), PRIMARY KEY (k, line), SHARD KEY (k))`,
    );
    await db.query(`INSERT INTO rows_kept VALUES ${values(1, 300)}`);
    await assert.rejects(db.query(`INSERT INTO rows_kept VALUES ${values(250, 100)}`), {
      errno: 1062,
    });
    const [row] = await rowsOf('SELECT COUNT(*) AS n FROM rows_kept');
    assert.equal(Number(row?.['n']), 300);
  });
});
