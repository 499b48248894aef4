/**
 * LOAD DATA's fast path (raw lines routed by the aggregator, parsed and checked by DuckDB on the
 * leaves) against the exact path: the same rows land on the same partitions as with INSERT,
 * values the leaf refuses still load exactly (adjusted or skipped with MariaDB's warning, as a
 * LOCAL load does),
 * and escapes, NULLs and enclosures read as before.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import {
  createConnection,
  type Connection,
  type ResultSetHeader,
  type RowDataPacket,
} from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const PARTITIONS = 4;

describe('LOAD DATA fast path', () => {
  let cluster: SqlCluster;
  let db: Connection;
  let file: Buffer = Buffer.alloc(0);

  const load = async (sql: string, data: string | Buffer): Promise<number> => {
    file = typeof data === 'string' ? Buffer.from(data) : data;
    const [result] = await db.query<RowDataPacket[]>(sql);
    return (result as unknown as { affectedRows: number }).affectedRows;
  };

  /** Every partition's rows of `table`, read on the leaves directly. */
  const partitionRows = async (table: string, order: string): Promise<string[]> => {
    const out: string[] = [];
    for (let ordinal = 0; ordinal < PARTITIONS; ordinal++) {
      for (const server of cluster.leaves) {
        const info = await server.leaf.info();
        if (!info.partitions.some((p) => p.database === 'bulk' && p.ordinal === ordinal)) continue;
        const [result] = await server.leaf.exec([
          {
            partition: { database: 'bulk', ordinal },
            engine: 'column',
            sql: `SELECT * FROM "${table}" ORDER BY ${order}`,
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

  const count = async (table: string): Promise<number> => {
    const [rows] = await db.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number(rows[0]?.n);
  };

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'root',
      multipleStatements: true,
      dateStrings: true,
      supportBigNumbers: true,
      // Two pieces, the first ending inside a line (an empty piece would end the file early).
      infileStreamFactory: () =>
        Readable.from([file.subarray(0, 7), file.subarray(7)].filter((piece) => piece.length > 0)),
    });
    await db.query(`CREATE DATABASE bulk PARTITIONS ${PARTITIONS}`);
    await db.query('USE bulk');
    for (const name of ['fast', 'exact']) {
      await db.query(
        `CREATE TABLE ${name} (id BIGINT NOT NULL, line INT NOT NULL, price DECIMAL(10,2), ` +
          `flag CHAR(1), name VARCHAR(12), day DATE, at DATETIME, ratio DOUBLE, ` +
          `PRIMARY KEY (id, line), SHARD KEY (id))`,
      );
      await db.query(
        `CREATE TABLE ${name}_s (code VARCHAR(8) NOT NULL, n INT, PRIMARY KEY (code))`,
      );
    }
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('puts every row where INSERT puts it, with the same values', async () => {
    const lines: string[] = [];
    const tuples: string[] = [];
    for (let id = 1; id <= 3000; id++) {
      const line = id % 3;
      lines.push(
        `${id}|${line}|${id}.5|A|name ${id}|2024-01-${String((id % 28) + 1).padStart(2, '0')}|2024-02-03 04:05:06|${id / 8}`,
      );
      tuples.push(
        `(${id},${line},'${id}.5','A','name ${id}','2024-01-${String((id % 28) + 1).padStart(2, '0')}','2024-02-03 04:05:06',${id / 8})`,
      );
    }
    // Values the leaf refuses (non-canonical, rounding) and takes through the exact path.
    lines.push('007|9|1.235|b|x|2024-1-5|2024-02-03T04:05:06|1e2');
    tuples.push("('007','9','1.235','b','x','2024-1-5','2024-02-03T04:05:06','1e2')");
    lines.push('-5|1.5|-1.225|\\N|\\N|\\N|\\N|\\N');
    tuples.push("(-5,'1.5','-1.225',NULL,NULL,NULL,NULL,NULL)");
    lines.push('8|7| 3 |c|trailing  |2024-03-04|2024-03-04 01:02:03| 2.5');
    tuples.push("(8,7,' 3 ','c','trailing  ','2024-03-04','2024-03-04 01:02:03',' 2.5')");
    const loaded = await load(
      "LOAD DATA LOCAL INFILE 'rows.tbl' INTO TABLE fast FIELDS TERMINATED BY '|'",
      lines.join('\n') + '\n',
    );
    assert.equal(loaded, lines.length);
    await db.query(`INSERT INTO exact VALUES ${tuples.join(',')}`);
    const fast = await partitionRows('fast', 'id, line');
    assert.equal(fast.length, lines.length);
    assert.deepEqual(fast, await partitionRows('exact', 'id, line'));
  });

  it('hashes string shard keys as INSERT compares them', async () => {
    await load(
      "LOAD DATA LOCAL INFILE 's.tbl' INTO TABLE fast_s (n, code)",
      '1\tAbc \n2\tabd\n3\tZZ\n4\tzy\n5\tq\n',
    );
    await db.query("INSERT INTO exact_s VALUES ('Abc ',1),('abd',2),('ZZ',3),('zy',4),('q',5)");
    assert.deepEqual(await partitionRows('fast_s', 'code'), await partitionRows('exact_s', 'code'));
    // A key equal under the collation reaches the same partition: LOCAL skips it (IGNORE).
    assert.equal(
      await load("LOAD DATA LOCAL INFILE 's.tbl' INTO TABLE fast_s (n, code)", '9\tABD\n'),
      0,
    );
    const [warnings] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
    assert.deepEqual(
      warnings.map((shown) => `${String(shown.Code)} ${String(shown.Message)}`),
      ["1062 Duplicate entry 'ABD' for key 'PRIMARY'"],
    );
    assert.equal(await count('fast_s'), 5);
  });

  it('stores bad values as MariaDB LOCAL does: adjusted or skipped, with its warning', async () => {
    // LOCAL implies IGNORE. Each expectation (affected rows, info, warning, the row stored) is
    // MariaDB 10.11's answer to the same file in strict mode. The fast path stops at the bad
    // line and the load starts over on the exact path from its copy of the file.
    const good = Array.from(
      { length: 500 },
      (_, index) => `${index + 1}|1|1.00|a|n|2024-01-01|2024-01-01 00:00:00|1`,
    );
    const stored = (id: number, line: number, changed: Record<string, unknown> = {}) => ({
      id,
      line,
      price: '1.00',
      flag: 'a',
      name: 'n',
      day: '2024-01-01',
      at: '2024-01-01 00:00:00',
      ratio: 1,
      ...changed,
    });
    const cases: [string, string, Record<string, unknown> | undefined][] = [
      [
        'x1|1|1.00|a|n|2024-01-01|2024-01-01 00:00:00|1',
        "1366 Incorrect integer value: 'x1' for column `bulk`.`fast`.`id` at row 501",
        stored(0, 1),
      ],
      [
        '9001|1|100000000.00|a|n|2024-01-01|2024-01-01 00:00:00|1',
        "1264 Out of range value for column 'price' at row 501",
        stored(9001, 1, { price: '99999999.99' }),
      ],
      [
        '9001|1|1.00|a|much too long name|2024-01-01|2024-01-01 00:00:00|1',
        "1265 Data truncated for column 'name' at row 501",
        stored(9001, 1, { name: 'much too lon' }),
      ],
      [
        '9001|1|1.00|a|n|2024-02-30|2024-01-01 00:00:00|1',
        "1265 Data truncated for column 'day' at row 501",
        stored(9001, 1, { day: '0000-00-00' }),
      ],
      [
        '9001|\\N|1.00|a|n|2024-01-01|2024-01-01 00:00:00|1',
        "1263 Column set to default value; NULL supplied to NOT NULL column 'line' at row 501",
        stored(9001, 0),
      ],
      [
        '9001|99999999999|1.00|a|n|2024-01-01|2024-01-01 00:00:00|1',
        "1264 Out of range value for column 'line' at row 501",
        stored(9001, 2147483647),
      ],
      [
        '9001|1|1.00|a|n|2024-01-01|2024-01-01 00:00:00|inf',
        "1366 Incorrect double value: 'inf' for column `bulk`.`fast`.`ratio` at row 501",
        stored(9001, 1, { ratio: 0 }),
      ],
      [
        '250|1|1.00|a|n|2024-01-01|2024-01-01 00:00:00|1',
        "1062 Duplicate entry '250-1' for key 'PRIMARY'",
        undefined,
      ],
    ];
    for (const [bad, warning, row] of cases) {
      await db.query('DELETE FROM fast');
      file = Buffer.from(
        [
          ...good,
          bad,
          ...good.map(
            (line) => `${line.slice(0, line.indexOf('|'))}|2${line.slice(line.indexOf('|') + 2)}`,
          ),
        ].join('\n') + '\n',
      );
      const [result] = await db.query<ResultSetHeader>(
        "LOAD DATA LOCAL INFILE 'bad.tbl' INTO TABLE fast FIELDS TERMINATED BY '|'",
      );
      const skipped = row === undefined ? 1 : 0;
      assert.equal(result.affectedRows, 1001 - skipped, bad);
      assert.equal(result.info, `Records: 1001  Deleted: 0  Skipped: ${skipped}  Warnings: 1`, bad);
      const [warnings] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
      assert.deepEqual(
        warnings.map((shown) => `${String(shown.Code)} ${String(shown.Message)}`),
        [warning],
      );
      const [rows] = await db.query<RowDataPacket[]>(
        'SELECT * FROM fast WHERE id IN (0, 9001) OR (id = 250 AND line = 1) ORDER BY id',
      );
      assert.deepEqual(
        rows.map((shown) => ({ ...shown })),
        [stored(250, 1), ...(row === undefined ? [] : [row])].sort(
          (a, b) => Number(a.id) - Number(b.id),
        ),
        bad,
      );
    }
  });

  it('reads escapes, NULLs and enclosures after fast lines', async () => {
    await db.query('DELETE FROM fast');
    const lines = Array.from(
      { length: 2000 },
      (_, index) => `${index + 1}\t0\t\\N\tz\tplain\t\\N\t\\N\t\\N`,
    );
    lines.push('5000\t0\t\\N\tz\ttab\\there\t\\N\t\\N\t\\N');
    lines.push('5001\t0\t\\N\tz\tnew\\\nline\t\\N\t\\N\t\\N');
    lines.push('5002\t0\t1\tz\t\\N\t\\N\t\\N\t\\N');
    lines.push('5003\t0\t1\tz\tlast');
    await load("LOAD DATA LOCAL INFILE 'e.tbl' INTO TABLE fast IGNORE 1 LINES", lines.join('\n'));
    const [rows] = await db.query<RowDataPacket[]>(
      'SELECT id, name, price, day FROM fast WHERE id IN (1, 2, 5000, 5001, 5002, 5003) ORDER BY id',
    );
    assert.deepEqual(
      rows.map((row): unknown[] => [String(row.id), row.name, row.price, row.day]),
      [
        ['2', 'plain', null, null],
        ['5000', 'tab\there', null, null],
        ['5001', 'new\nline', null, null],
        ['5002', null, '1.00', null],
        ['5003', 'last', '1.00', null],
      ],
    );
    assert.equal(await count('fast'), 2003);
    const csv = Array.from({ length: 300 }, (_, index) => `${index + 10000},0,2.5,a,"q, ${index}"`);
    await load(
      "LOAD DATA LOCAL INFILE 'q.csv' INTO TABLE fast FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' (id, line, price, flag, name, @skip)",
      csv.join('\n') + '\n',
    ).catch(async () =>
      // @variables are not supported: the same file without them.
      load(
        "LOAD DATA LOCAL INFILE 'q.csv' INTO TABLE fast FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"'",
        csv.map((line) => `${line},\\N,\\N,\\N`).join('\n') + '\n',
      ),
    );
    const [quoted] = await db.query<RowDataPacket[]>('SELECT name FROM fast WHERE id = 10007');
    assert.equal(quoted[0]?.name, 'q, 7');
  });

  for (const storage of ['', 'ROWSTORE']) {
    it(`undoes a failed load alone inside a transaction (${storage || 'COLUMNSTORE'})`, async () => {
      // MariaDB 10.11's answers to the same script: the failed REPLACE load (strict mode keeps
      // its errors) leaves the transaction's earlier row and nothing of its own 20,000-row
      // batches; the plain load (LOCAL implies IGNORE) then stores every line, the bad one
      // adjusted, and COMMIT keeps both statements' rows.
      const table = `tx_${storage.toLowerCase() || 'column'}`;
      await db.query(`CREATE ${storage} TABLE ${table} (id INT PRIMARY KEY, c INT, s VARCHAR(10))`);
      const lines = Array.from({ length: 30_000 }, (_, index) => `${index + 1}\t${index + 1}\tn`);
      lines.push('30001\tx\tbad');
      await db.query('BEGIN');
      await db.query(`INSERT INTO ${table} VALUES (0, 0, 'first')`);
      await assert.rejects(
        load(
          `LOAD DATA LOCAL INFILE 'tx.tsv' REPLACE INTO TABLE ${table}`,
          lines.join('\n') + '\n',
        ),
        { errno: 1366 },
      );
      assert.equal(await count(table), 1);
      assert.equal(
        await load(`LOAD DATA LOCAL INFILE 'tx.tsv' INTO TABLE ${table}`, lines.join('\n') + '\n'),
        30_001,
      );
      await db.query('COMMIT');
      const [totals] = await db.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS n, SUM(c) AS total FROM ${table}`,
      );
      assert.deepEqual(
        totals.map((row) => [String(row.n), String(row.total)]),
        [['30002', '450015000']],
      );
    });
  }
});
