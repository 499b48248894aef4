/**
 * Where result columns come from, as column definitions tell clients (mysql2's `fields`, its
 * `nestTables`): the database, the table's name in the query, the stored table and column,
 * and the key and NOT NULL flags of a table column, through aliases, joins, derived tables,
 * CTEs and two-phase aggregation over several partitions. Every expectation is what MariaDB
 * 10.11 sent for the same schema and statements, compared side by side (MariaDB also leaks an
 * internal GROUP_FLAG, 32768, on grouped columns; it is not sent here).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

/** name, orgName, table, orgTable, schema, flags */
type Origin = [string, string, string, string, string, number];

describe('result column origins', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query('CREATE DATABASE origins PARTITIONS 4');
    await db.query('USE origins');
    await db.query(
      `CREATE TABLE emp (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL,
         dept VARCHAR(20), salary DECIMAL(10,2))`,
    );
    await db.query('CREATE ROWSTORE TABLE dept (name VARCHAR(20) PRIMARY KEY, floor INT)');
    await db.query(
      `CREATE TABLE keyed (a INT NOT NULL, b INT NOT NULL DEFAULT 5, c VARCHAR(5), d INT,
         e INT NOT NULL, PRIMARY KEY (a, e), UNIQUE KEY u (b, a, e), KEY k (d, c), SHARD KEY (a))`,
    );
    await db.query(
      "INSERT INTO emp (name, dept, salary) VALUES ('Alice', 'eng', 10), ('Bob', 'eng', 20), ('Eve', NULL, 5)",
    );
    await db.query("INSERT INTO dept VALUES ('eng', 3), ('hr', 2)");
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  async function origins(sql: string, mode: 'query' | 'execute' = 'query'): Promise<Origin[]> {
    const [, fields] = mode === 'query' ? await db.query(sql) : await db.execute(sql);
    return fields.map((f) => [
      f.name,
      f.orgName,
      f.table,
      f.orgTable,
      f.schema ?? '',
      Number(f.flags),
    ]);
  }

  it('names the table as the query does and the stored table and column', async () => {
    for (const mode of ['query', 'execute'] as const) {
      assert.deepEqual(await origins('SELECT id, e.name AS n, name FROM emp e', mode), [
        ['id', 'id', 'e', 'emp', 'origins', 16899],
        ['n', 'name', 'e', 'emp', 'origins', 4097],
        ['name', 'name', 'e', 'emp', 'origins', 4097],
      ]);
    }
    assert.deepEqual(await origins('SELECT origins.emp.id FROM origins.emp'), [
      ['id', 'id', 'emp', 'emp', 'origins', 16899],
    ]);
    // Computed columns have none.
    assert.deepEqual(await origins('SELECT salary + 1 AS s FROM emp'), [
      ['s', '', '', '', '', 128],
    ]);
  });

  it('flags key columns as MariaDB does', async () => {
    assert.deepEqual(await origins('SELECT a, b, c, d, e FROM keyed'), [
      ['a', 'a', 'keyed', 'keyed', 'origins', 20483],
      ['b', 'b', 'keyed', 'keyed', 'origins', 16393],
      ['c', 'c', 'keyed', 'keyed', 'origins', 16384],
      ['d', 'd', 'keyed', 'keyed', 'origins', 16392],
      ['e', 'e', 'keyed', 'keyed', 'origins', 20483],
    ]);
  });

  it('keeps origins through joins; an outer join drops NOT NULL', async () => {
    assert.deepEqual(
      await origins('SELECT d.name, d.floor, e.id FROM emp e LEFT JOIN dept d ON d.name = e.dept'),
      [
        ['name', 'name', 'd', 'dept', 'origins', 20482],
        ['floor', 'floor', 'd', 'dept', 'origins', 0],
        ['id', 'id', 'e', 'emp', 'origins', 16899],
      ],
    );
    // nestTables groups columns by the table names the definitions carry.
    const [nested] = await db.query<RowDataPacket[]>({
      sql: 'SELECT e.id, e.name, d.name FROM emp e JOIN dept d ON d.name = e.dept ORDER BY e.id',
      nestTables: true,
    });
    assert.deepEqual(nested, [
      { e: { id: 1, name: 'Alice' }, d: { name: 'eng' } },
      { e: { id: 2, name: 'Bob' }, d: { name: 'eng' } },
    ]);
  });

  it('names derived tables and CTEs as their own tables', async () => {
    assert.deepEqual(await origins('SELECT x.id, x.nm FROM (SELECT id, name AS nm FROM emp) x'), [
      ['id', 'id', 'x', 'x', 'origins', 16899],
      ['nm', 'nm', 'x', 'x', 'origins', 4097],
    ]);
    assert.deepEqual(await origins('WITH c AS (SELECT id FROM emp) SELECT id FROM c'), [
      ['id', 'id', 'c', 'c', 'origins', 16899],
    ]);
  });

  it('keeps the table of grouped and distinct columns over several partitions', async () => {
    assert.deepEqual(await origins('SELECT dept, COUNT(*) AS n FROM emp GROUP BY dept'), [
      ['dept', 'dept', 'emp', 'emp', 'origins', 0],
      ['n', '', '', '', '', 129],
    ]);
    assert.deepEqual(await origins('SELECT DISTINCT dept FROM emp'), [
      ['dept', 'dept', 'emp', 'emp', 'origins', 0],
    ]);
    assert.deepEqual(await origins('SELECT id FROM emp ORDER BY id LIMIT 1'), [
      ['id', 'id', 'emp', 'emp', 'origins', 16899],
    ]);
  });
});
