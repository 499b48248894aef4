/**
 * The data plane end to end through mysql2: DDL, writes, point and distributed queries,
 * introspection, and MySQL errors — against a real aggregator and leaf.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

describe('aggregator', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster();
    db = await cluster.connect();
    await db.query('CREATE DATABASE shop PARTITIONS 4');
    await db.query('USE shop');
    await db.query(
      'CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(20) NOT NULL, amount DECIMAL(10,2), placed DATE, note TEXT)',
    );
    await db.query(
      'CREATE ROWSTORE TABLE customers (name VARCHAR(20) PRIMARY KEY, city VARCHAR(20))',
    );
    await db.query('CREATE REFERENCE TABLE cities (city VARCHAR(20) PRIMARY KEY, country CHAR(2))');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('inserts rows across partitions and reads them back exactly', async () => {
    const [result] = await db.query<ResultSetHeader>(
      "INSERT INTO orders VALUES (1,'bob',10.50,'2024-01-02',NULL),(2,'Alice',3,'2024-02-03','x'),(3,'carol',7.25,'2024-02-04',NULL),(4,'bob',0.1,'2024-03-01',NULL)",
    );
    assert.equal(result.affectedRows, 4);
    await db.query("INSERT INTO customers VALUES ('bob','Oslo'),('alice','Lima'),('carol','Oslo')");
    await db.query("INSERT INTO cities VALUES ('Oslo','NO'),('Lima','PE')");
    const [rows] = await db.query<RowDataPacket[]>(
      'SELECT id, customer, amount, placed FROM orders ORDER BY id',
    );
    assert.deepEqual(
      rows.map((row): unknown[] => [row.id, row.customer, row.amount, row.placed]),
      [
        [1, 'bob', '10.50', '2024-01-02'],
        [2, 'Alice', '3.00', '2024-02-03'],
        [3, 'carol', '7.25', '2024-02-04'],
        [4, 'bob', '0.10', '2024-03-01'],
      ],
    );
  });

  it('answers aggregates over every partition with MySQL types', async () => {
    const [rows] = await db.query<RowDataPacket[]>(
      'SELECT customer, COUNT(*) AS n, SUM(amount) AS total FROM orders GROUP BY customer ORDER BY customer',
    );
    // Grouping is case-insensitive, as with utf8mb4_general_ci.
    assert.deepEqual(
      rows.map((row): unknown[] => [row.customer, row.n, row.total]),
      [
        ['Alice', 1, '3.00'],
        ['bob', 2, '10.60'],
        ['carol', 1, '7.25'],
      ],
    );
  });

  it('routes a shard-key equality to one partition and joins rowstore, columnstore and reference tables', async () => {
    const [plan] = await db.query<RowDataPacket[]>('EXPLAIN SELECT * FROM orders WHERE id = 3');
    assert.match(
      String(plan.map((row): unknown => row.EXPLAIN).join('\n')),
      /partition \d+ on leaf/,
    );
    const [point] = await db.execute<RowDataPacket[]>(
      'SELECT customer FROM orders WHERE id = ?',
      [3],
    );
    assert.deepEqual(point, [{ customer: 'carol' }]);
    const [joined] = await db.query<RowDataPacket[]>(
      'SELECT o.id, c.city, ci.country FROM orders o JOIN customers c ON c.name = o.customer LEFT JOIN cities ci ON ci.city = c.city ORDER BY o.id',
    );
    assert.deepEqual(
      joined.map((row): unknown[] => [row.id, row.city, row.country]),
      [
        [1, 'Oslo', 'NO'],
        [2, 'Lima', 'PE'],
        [3, 'Oslo', 'NO'],
        [4, 'Oslo', 'NO'],
      ],
    );
  });

  it('updates and deletes, reporting affected rows', async () => {
    const [updated] = await db.query<ResultSetHeader>(
      "UPDATE orders SET note = 'late' WHERE customer = 'bob'",
    );
    assert.equal(updated.affectedRows, 2);
    const [deleted] = await db.query<ResultSetHeader>('DELETE FROM orders WHERE id = 4');
    assert.equal(deleted.affectedRows, 1);
    const [rows] = await db.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM orders WHERE note = 'LATE'",
    );
    assert.equal(rows[0]?.n, 1);
  });

  it('rejects bad input with MySQL errors and keeps the connection usable', async () => {
    await assert.rejects(db.query('SELEC 1'), (error: { errno: number; message: string }) => {
      assert.equal(error.errno, 1064);
      assert.match(error.message, /near 'SELEC 1' at line 1/);
      return true;
    });
    await assert.rejects(db.query('SELECT * FROM missing'), { errno: 1146 });
    await assert.rejects(db.query("INSERT INTO orders VALUES (1,'dup',1,'2024-01-01',NULL)"), {
      errno: 1062,
    });
    await assert.rejects(db.query('INSERT INTO orders (id) VALUES (9)'), { errno: 1364 });
    // SQLSTATE as MariaDB sends it (MySQL 8.0 sends HY000).
    await assert.rejects(db.query("INSERT INTO orders VALUES (9,'x','abc','2024-01-01',NULL)"), {
      errno: 1366,
      sqlState: '22007',
    });
    await assert.rejects(
      db.query('CREATE TABLE bad (a INT, b INT, PRIMARY KEY (a), UNIQUE KEY (b))'),
      { errno: 1705 },
    );
    const [rows] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM orders');
    assert.equal(rows[0]?.n, 3);
  });

  it('answers the queries drivers and ORMs send', async () => {
    const [version] = await db.query<RowDataPacket[]>('SELECT @@version_comment LIMIT 1');
    assert.equal(Object.keys(version[0] ?? {})[0], '@@version_comment');
    const [variables] = await db.query<RowDataPacket[]>("SHOW VARIABLES LIKE 'lower_case_%'");
    assert.equal(variables[0]?.Variable_name, 'lower_case_table_names');
    // On/off variables read as 1/0 and show as ON/OFF, as MariaDB shows them.
    const [onOff] = await db.query<RowDataPacket[]>({
      sql: "SHOW VARIABLES WHERE Variable_name IN ('autocommit', 'sql_safe_updates')",
      rowsAsArray: true,
    });
    assert.deepEqual(onOff, [
      ['autocommit', 'ON'],
      ['sql_safe_updates', 'OFF'],
    ]);
    const [read] = await db.query<RowDataPacket[]>({
      sql: 'SELECT @@autocommit, @@sql_safe_updates',
      rowsAsArray: true,
    });
    assert.deepEqual(read, [[1, 0]]);
    const [columns] = await db.query<RowDataPacket[]>(
      "SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE, COLUMN_KEY FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'orders' ORDER BY ORDINAL_POSITION",
    );
    assert.deepEqual(columns[0], {
      COLUMN_NAME: 'id',
      DATA_TYPE: 'int',
      IS_NULLABLE: 'NO',
      COLUMN_KEY: 'PRI',
    });
    const [create] = await db.query<RowDataPacket[]>('SHOW CREATE TABLE customers');
    assert.match(
      String(create[0]?.['Create Table']),
      /^CREATE \/\*!90618 ROWSTORE \*\/ TABLE `customers`/,
    );
  });

  it('keeps AUTO_INCREMENT and LAST_INSERT_ID like MySQL', async () => {
    await db.query('CREATE TABLE events (id BIGINT AUTO_INCREMENT PRIMARY KEY, kind VARCHAR(10))');
    const [first] = await db.query<ResultSetHeader>("INSERT INTO events (kind) VALUES ('a'),('b')");
    assert.equal(first.insertId, 1);
    const [second] = await db.query<ResultSetHeader>("INSERT INTO events (kind) VALUES ('c')");
    assert.equal(second.insertId, 3);
    const [last] = await db.query<RowDataPacket[]>('SELECT LAST_INSERT_ID() AS id');
    assert.equal(Number(last[0]?.id), 3);
  });
});
