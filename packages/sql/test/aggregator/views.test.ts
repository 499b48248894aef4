/**
 * Views end to end on a real cluster (2 leaves) through mysql2: CREATE / ALTER / DROP, views
 * over joins, aggregates, UNION, CTEs, window functions and other views, the same answers on 1
 * and 16 partitions, SHOW / DESCRIBE / information_schema, durability across an aggregator
 * restart, prepared statements after the view changes, privileges, and the `mariadb` CLI.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';

const run = promisify(execFile);

async function rows(db: Connection, sql: string): Promise<Record<string, unknown>[]> {
  const [result] = await db.query<RowDataPacket[]>(sql);
  return result.map((row) => ({ ...row }));
}

async function values(db: Connection, sql: string): Promise<unknown[][]> {
  const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return result as unknown as unknown[][];
}

describe('views', () => {
  let cluster: SqlCluster;
  let db: Connection;

  before(async () => {
    cluster = await startSqlCluster({ leaves: 2 });
    db = await cluster.connect();
    await db.query(`
      CREATE DATABASE shop PARTITIONS 4; USE shop;
      CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, city VARCHAR(20));
      CREATE TABLE orders (id INT, customer INT, amount DECIMAL(10,2), SHARD KEY (customer));
      CREATE REFERENCE TABLE cities (name VARCHAR(20) PRIMARY KEY, country VARCHAR(20));
      INSERT INTO customers VALUES (1,'ann','oslo'),(2,'bob','rome'),(3,'cyd','oslo'),(4,'dan',NULL);
      INSERT INTO orders VALUES (1,1,10.50),(2,1,4.50),(3,2,7.00),(4,3,1.25),(5,3,2.75),(6,3,NULL);
      INSERT INTO cities VALUES ('oslo','no'),('rome','it')`);
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('reads a view anywhere a table can appear', async () => {
    await db.query('CREATE VIEW named AS SELECT id, name FROM customers WHERE city IS NOT NULL');
    assert.deepEqual(await values(db, 'SELECT * FROM named ORDER BY id'), [
      [1, 'ann'],
      [2, 'bob'],
      [3, 'cyd'],
    ]);
    // Qualified, aliased, joined, in a subquery, and `view.column`.
    assert.deepEqual(
      await values(
        db,
        'SELECT n.name, shop.named.id FROM shop.named AS n JOIN shop.named ON n.id = named.id WHERE n.id IN (SELECT customer FROM orders) ORDER BY 1',
      ),
      [
        ['ann', 1],
        ['bob', 2],
        ['cyd', 3],
      ],
    );
    assert.deepEqual(await values(db, 'SELECT named.name FROM named WHERE id = 2'), [['bob']]);
  });

  it('renames columns with a column list and supports every query shape', async () => {
    await db.query(`
      CREATE VIEW totals (customer, total, orders) AS
        SELECT customer, SUM(amount), COUNT(*) FROM orders GROUP BY customer;
      CREATE VIEW people AS SELECT name FROM customers UNION SELECT country FROM cities;
      CREATE VIEW ranked AS WITH big AS (SELECT customer, amount FROM orders WHERE amount > 2)
        SELECT customer, amount, ROW_NUMBER() OVER (PARTITION BY customer ORDER BY amount DESC) AS rn FROM big;
      CREATE VIEW report AS
        SELECT c.name, t.total, ci.country FROM customers c
        JOIN totals t ON t.customer = c.id LEFT JOIN cities ci ON ci.name = c.city`);
    assert.deepEqual(await values(db, 'SELECT * FROM totals ORDER BY customer'), [
      [1, '15.00', 2],
      [2, '7.00', 1],
      [3, '4.00', 3],
    ]);
    assert.deepEqual(await values(db, 'SELECT COUNT(*) FROM people'), [[6]]);
    assert.deepEqual(await values(db, 'SELECT * FROM ranked WHERE rn = 1 ORDER BY customer'), [
      [1, '10.50', 1],
      [2, '7.00', 1],
      [3, '2.75', 1],
    ]);
    assert.deepEqual(await values(db, 'SELECT * FROM report ORDER BY name'), [
      ['ann', '15.00', 'no'],
      ['bob', '7.00', 'it'],
      ['cyd', '4.00', 'no'],
    ]);
    // A view of views, read by INSERT … SELECT and CREATE TABLE … SELECT.
    await db.query('CREATE TABLE copied (name VARCHAR(20), total DECIMAL(10,2))');
    await db.query('INSERT INTO copied SELECT name, total FROM report');
    assert.deepEqual(await values(db, 'SELECT COUNT(*), SUM(total) FROM copied'), [[3, '26.00']]);
    await db.query('CREATE TABLE snapshot AS SELECT * FROM totals');
    assert.deepEqual(await values(db, 'SELECT SUM(orders) FROM snapshot'), [['6']]);
  });

  it('alters, replaces and drops views', async () => {
    await db.query('CREATE VIEW changing AS SELECT id FROM customers');
    await db.query('ALTER VIEW changing AS SELECT id, name FROM customers WHERE id < 3');
    assert.deepEqual(await values(db, 'SELECT * FROM changing ORDER BY id'), [
      [1, 'ann'],
      [2, 'bob'],
    ]);
    await db.query('CREATE OR REPLACE VIEW changing AS SELECT COUNT(*) AS n FROM customers');
    assert.deepEqual(await values(db, 'SELECT n FROM changing'), [[4]]);
    await db.query('CREATE VIEW gone1 AS SELECT 1 AS one; CREATE VIEW gone2 AS SELECT 2 AS two');
    await db.query('DROP VIEW gone1, gone2 CASCADE');
    await assert.rejects(db.query('SELECT * FROM gone1'), { errno: 1146 });
    // A view in another database reads its own database's tables, whatever the reader's is.
    await db.query(
      'CREATE DATABASE other; CREATE VIEW other.mine AS SELECT COUNT(*) AS n FROM shop.orders',
    );
    const elsewhere = await cluster.connect('other');
    try {
      await elsewhere.query('CREATE TABLE orders (x INT)');
      await elsewhere.query('CREATE VIEW local AS SELECT COUNT(*) AS n FROM orders');
      assert.deepEqual(await values(elsewhere, 'SELECT n FROM mine'), [[6]]);
      assert.deepEqual(await values(db, 'SELECT n FROM other.local'), [[0]]);
    } finally {
      await elsewhere.end();
    }
    await db.query('DROP DATABASE other');
    await assert.rejects(db.query('SELECT * FROM other.mine'), { errno: 1146 });
    assert.deepEqual(
      await values(
        db,
        "SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = 'other'",
      ),
      [[0]],
    );
  });

  it('gives the same results on 1 and 16 partitions', async () => {
    const answers: unknown[][][] = [];
    for (const partitions of [1, 16]) {
      const name = `parts${partitions}`;
      await db.query(`CREATE DATABASE ${name} PARTITIONS ${partitions}`);
      const conn = await cluster.connect(name);
      try {
        await conn.query('CREATE TABLE m (id INT, grp INT, v DOUBLE, SHARD KEY (id))');
        const inserts = Array.from(
          { length: 200 },
          (_, i) => `(${i}, ${i % 7}, ${(i * 37) % 101})`,
        );
        await conn.query(`INSERT INTO m VALUES ${inserts.join(',')}`);
        await conn.query(
          'CREATE VIEW stats AS SELECT grp, COUNT(*) AS n, AVG(v) AS mean, COUNT(DISTINCT v) AS d, MAX(v) AS top FROM m GROUP BY grp',
        );
        await conn.query('CREATE VIEW high AS SELECT * FROM stats WHERE mean > 49');
        answers.push([
          ...(await values(conn, 'SELECT * FROM stats ORDER BY grp')),
          ...(await values(conn, 'SELECT grp, n FROM high ORDER BY grp')),
          ...(await values(conn, 'SELECT SUM(n), MIN(top) FROM stats')),
        ]);
      } finally {
        await conn.end();
      }
    }
    // Seven groups, at least one above the mean, and the totals row.
    assert.ok((answers[0] ?? []).length >= 9);
    assert.deepEqual(answers[1], answers[0]);
  });

  it('answers SHOW, DESCRIBE and information_schema for views', async () => {
    await db.query(
      'CREATE ALGORITHM = MERGE SQL SECURITY INVOKER VIEW shown (k, label) AS SELECT id, name FROM customers WITH LOCAL CHECK OPTION',
    );
    const full = await values(db, "SHOW FULL TABLES LIKE 'sh%'");
    assert.deepEqual(full, [['shown', 'VIEW']]);
    assert.ok((await values(db, 'SHOW TABLES')).some((row) => row[0] === 'shown'));
    const expected = [
      [
        'shown',
        'CREATE ALGORITHM=MERGE DEFINER=`root`@`127.0.0.1` SQL SECURITY INVOKER VIEW `shown` (`k`,`label`) AS SELECT id, name FROM customers WITH LOCAL CHECK OPTION',
        // mysql2 connects with utf8mb4_unicode_ci, which the view records, as MariaDB's does.
        'utf8mb4',
        'utf8mb4_unicode_ci',
      ],
    ];
    assert.deepEqual(await values(db, 'SHOW CREATE VIEW shown'), expected);
    assert.deepEqual(await values(db, 'SHOW CREATE TABLE shown'), expected);
    const [, createFields] = await db.query('SHOW CREATE VIEW shown');
    assert.deepEqual(
      (createFields as unknown as { name: string }[]).map((field) => field.name),
      ['View', 'Create View', 'character_set_client', 'collation_connection'],
    );
    assert.deepEqual(await values(db, 'DESCRIBE shown'), [
      ['k', 'int(11)', 'NO', '', null, ''],
      ['label', 'varchar(20)', 'NO', '', null, ''],
    ]);
    assert.deepEqual(
      (await values(db, 'SHOW COLUMNS FROM totals')).map((row) => row.slice(0, 2)),
      [
        ['customer', 'int(11)'],
        ['total', 'decimal(32,2)'],
        ['orders', 'bigint(21)'],
      ],
    );
    assert.deepEqual(
      await values(
        db,
        "SELECT TABLE_TYPE, ENGINE, VERSION, TABLE_ROWS, TABLE_COLLATION, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'shown'",
      ),
      [['VIEW', null, null, null, null, 'VIEW']],
    );
    assert.deepEqual(
      await rows(db, "SELECT * FROM information_schema.VIEWS WHERE TABLE_NAME = 'shown'"),
      [
        {
          TABLE_CATALOG: 'def',
          TABLE_SCHEMA: 'shop',
          TABLE_NAME: 'shown',
          VIEW_DEFINITION: 'SELECT id, name FROM customers',
          CHECK_OPTION: 'LOCAL',
          IS_UPDATABLE: 'NO',
          DEFINER: 'root@127.0.0.1',
          SECURITY_TYPE: 'INVOKER',
          CHARACTER_SET_CLIENT: 'utf8mb4',
          COLLATION_CONNECTION: 'utf8mb4_unicode_ci',
          ALGORITHM: 'MERGE',
        },
      ],
    );
    assert.deepEqual(
      await values(
        db,
        "SELECT COLUMN_NAME, ORDINAL_POSITION, IS_NULLABLE, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'shown' ORDER BY ORDINAL_POSITION",
      ),
      [
        ['k', 1, 'NO', 'int', 'int(11)'],
        ['label', 2, 'NO', 'varchar', 'varchar(20)'],
      ],
    );
    const status = await rows(db, "SHOW TABLE STATUS LIKE 'shown'");
    assert.equal(status[0]?.['Engine'], null);
    assert.equal(status[0]?.['Comment'], 'VIEW');
  });

  it('keeps views across an aggregator restart', async () => {
    await db.query('CREATE VIEW durable (who) AS SELECT name FROM customers WHERE id = 4');
    await db.end();
    await cluster.restartAggregator();
    db = await cluster.connect('shop');
    assert.deepEqual(await values(db, 'SELECT who FROM durable'), [['dan']]);
    assert.match(
      String((await values(db, 'SHOW CREATE VIEW durable'))[0]?.[1]),
      /VIEW `durable` \(`who`\) AS SELECT name FROM customers WHERE id = 4$/,
    );
    assert.deepEqual(await values(db, 'SELECT * FROM report ORDER BY name LIMIT 1'), [
      ['ann', '15.00', 'no'],
    ]);
  });

  it('re-plans prepared statements and cached texts after the view changes', async () => {
    await db.query('CREATE VIEW moving AS SELECT id, name FROM customers WHERE id = 1');
    const read = async (): Promise<unknown[]> => {
      const [result] = await db.execute<RowDataPacket[]>('SELECT * FROM moving WHERE id >= ?', [0]);
      return result.map((row) => ({ ...row }));
    };
    assert.deepEqual(await read(), [{ id: 1, name: 'ann' }]);
    assert.deepEqual(await read(), [{ id: 1, name: 'ann' }]);
    await db.query('ALTER VIEW moving AS SELECT id, city FROM customers WHERE id = 2');
    assert.deepEqual(await read(), [{ id: 2, city: 'rome' }]);
    await db.query('DROP VIEW moving');
    await assert.rejects(read(), { errno: 1146 });
    // A table of the same name takes over, and the other way round.
    await db.query(
      'CREATE TABLE moving (id INT PRIMARY KEY, n INT); INSERT INTO moving VALUES (5, 6)',
    );
    const text = async (): Promise<unknown> =>
      (await values(db, 'SELECT * FROM moving WHERE id = 5'))[0];
    assert.deepEqual(await text(), [5, 6]);
    assert.deepEqual(await text(), [5, 6]);
    assert.deepEqual(await read(), [{ id: 5, n: 6 }]);
    await db.query('DROP TABLE moving; CREATE VIEW moving AS SELECT 5 AS id, 7 AS n');
    assert.deepEqual(await text(), [5, 7]);
    assert.deepEqual(await read(), [{ id: 5, n: 7 }]);
  });

  it('checks privileges at CREATE and when reading', async () => {
    await db.query(`
      CREATE DATABASE secret; CREATE TABLE secret.s (x INT); INSERT INTO secret.s VALUES (42);
      CREATE USER 'viewer'@'%' IDENTIFIED BY 'pw';
      GRANT SELECT, CREATE VIEW ON shop.* TO 'viewer'@'%';
      CREATE SQL SECURITY DEFINER VIEW shop.peek AS SELECT x FROM secret.s;
      CREATE SQL SECURITY INVOKER VIEW shop.peek_invoker AS SELECT x FROM secret.s`);
    const { createConnection } = await import('mysql2/promise');
    const viewer = await createConnection({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'viewer',
      password: 'pw',
      database: 'shop',
    });
    try {
      await viewer.query('CREATE VIEW mine AS SELECT name FROM customers');
      assert.deepEqual(await values(viewer, 'SELECT COUNT(*) FROM mine'), [[4]]);
      // Creating a view needs SELECT on what it reads (MariaDB's text: "ANY command").
      await assert.rejects(viewer.query('CREATE VIEW sneaky AS SELECT x FROM secret.s'), {
        errno: 1142,
        message: /^ANY command denied to user 'viewer'@'[^']+' for table `secret`\.`s`$/,
      });
      // SQL SECURITY DEFINER: SELECT on the view's database is enough.
      assert.deepEqual(await values(viewer, 'SELECT x FROM peek'), [[42]]);
      // SQL SECURITY INVOKER: the reader needs SELECT where the view reads.
      await assert.rejects(viewer.query('SELECT x FROM peek_invoker'), {
        errno: 1356,
        message:
          "View 'shop.peek_invoker' references invalid table(s) or column(s) or function(s) or definer/invoker of view lack rights to use them",
      });
      await assert.rejects(viewer.query('DROP VIEW mine'), {
        errno: 1142,
        message: /^DROP command denied to user 'viewer'@'[^']+' for table `shop`\.`mine`$/,
      });
    } finally {
      await viewer.end();
    }
  });

  it('answers SHOW FULL TABLES and SHOW CREATE VIEW to the mariadb CLI', async () => {
    const cli = (sql: string): Promise<{ stdout: string }> =>
      run('mariadb', [
        '-h',
        '127.0.0.1',
        '-P',
        String(cluster.port),
        '-u',
        'root',
        '-B',
        'shop',
        '-e',
        sql,
      ]);
    const tables = (await cli("SHOW FULL TABLES LIKE 'name%'")).stdout;
    assert.equal(tables, 'Tables_in_shop (name%)\tTable_type\nnamed\tVIEW\n');
    const create = (await cli('SHOW CREATE VIEW named')).stdout;
    assert.equal(
      create,
      'View\tCreate View\tcharacter_set_client\tcollation_connection\n' +
        'named\tCREATE ALGORITHM=UNDEFINED DEFINER=`root`@`127.0.0.1` SQL SECURITY DEFINER VIEW `named` AS SELECT id, name FROM customers WHERE city IS NOT NULL\tutf8mb4\tutf8mb4_unicode_ci\n',
    );
  });
});
