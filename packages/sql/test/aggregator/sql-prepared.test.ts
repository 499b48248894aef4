/**
 * PREPARE / EXECUTE / DEALLOCATE PREPARE as MariaDB 10.11 answers them (each answer below was
 * recorded from it): a text from a string or a user variable, USING values from variables or
 * constants, names in any case, 1243 for an unknown name, 1210 for a wrong number of values,
 * 1064 for a text that does not parse (after which the name is gone), a statement that keeps
 * working across executions (DDL and writes too), and 1295 for these statements inside a
 * prepared statement. Real cluster through mysql2's text protocol.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startSqlCluster, type SqlCluster } from '../support/sql-cluster.js';
import { refusalOf } from '../support/refusals.js';

describe('PREPARE, EXECUTE and DEALLOCATE PREPARE', () => {
  let cluster: SqlCluster;
  let db: Connection;

  const rows = async (sql: string): Promise<unknown[][]> => {
    const [result] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
    return result as unknown as unknown[][];
  };
  const refusal = (sql: string): Promise<[unknown, unknown]> => refusalOf(db, sql);

  before(async () => {
    cluster = await startSqlCluster();
    db = await cluster.connect();
    await db.query('CREATE DATABASE prep');
    await db.query('USE prep');
  });

  after(async () => {
    await db.end();
    await cluster.close();
  });

  it('prepares from a string or a variable and executes with values', async () => {
    const [prepared] = await db.query<ResultSetHeader>("PREPARE s FROM 'SELECT ? + ? AS total'");
    assert.equal(prepared.info, 'Statement prepared');
    await db.query('SET @a = 1, @b = 2');
    assert.deepEqual(await rows('EXECUTE s USING @a, @b'), [[3]]);
    assert.deepEqual(await rows('EXECUTE S USING 10, @b'), [[12]]);
    await db.query("SET @text = 'SELECT ? AS v'");
    await db.query('PREPARE p FROM @text');
    assert.deepEqual(await rows("EXECUTE p USING 'x'"), [['x']]);
    assert.deepEqual(await rows('EXECUTE p USING NULL'), [[null]]);
    await db.query('DEALLOCATE PREPARE s');
    await db.query('DROP PREPARE P');
    assert.deepEqual(await refusal('EXECUTE p'), [
      1243,
      'Unknown prepared statement handler (p) given to EXECUTE',
    ]);
  });

  it('keeps a write or DDL statement across executions', async () => {
    await db.query("PREPARE c FROM 'CREATE TABLE pp (a INT PRIMARY KEY)'");
    await db.query('EXECUTE c');
    assert.deepEqual(await refusal('EXECUTE c'), [1050, "Table 'pp' already exists"]);
    await db.query("SET @t = 'INSERT INTO pp VALUES (?)'");
    await db.query('PREPARE i FROM @t');
    const [first] = await db.query<ResultSetHeader>('EXECUTE i USING 7');
    assert.equal(first.affectedRows, 1);
    await db.query('EXECUTE i USING 8');
    assert.deepEqual((await refusal('EXECUTE i USING 8'))[0], 1062);
    assert.deepEqual(await rows('SELECT a FROM pp ORDER BY a'), [[7], [8]]);
  });

  it('refuses as MariaDB does', async () => {
    await db.query("PREPARE s FROM 'SELECT ? + ?'");
    await db.query('SET @a = 1');
    for (const sql of ['EXECUTE s', 'EXECUTE s USING @a', 'EXECUTE s USING @a, @a, @a'])
      assert.deepEqual(await refusal(sql), [1210, 'Incorrect arguments to EXECUTE'], sql);
    assert.deepEqual(await refusal('DEALLOCATE PREPARE nosuch'), [
      1243,
      'Unknown prepared statement handler (nosuch) given to DEALLOCATE PREPARE',
    ]);
    // A text that does not parse: 1064, and the name it reused is gone.
    assert.deepEqual((await refusal("PREPARE s FROM 'SELEC 1'"))[0], 1064);
    assert.deepEqual((await refusal('EXECUTE s USING 1, 2'))[0], 1243);
    assert.match(
      String((await refusal("PREPARE s FROM 'SELECT 1; SELECT 2'"))[1]),
      /near 'SELECT 2'/,
    );
    await db.query('SET @n = NULL');
    assert.match(String((await refusal('PREPARE s FROM @n'))[1]), /near 'NULL'/);
    assert.deepEqual(await refusal(`PREPARE s FROM 'PREPARE t FROM "SELECT 1"'`), [
      1295,
      'This command is not supported in the prepared statement protocol yet',
    ]);
    await assert.rejects(db.execute("PREPARE t FROM 'SELECT 1'"), { errno: 1295 });
  });
});
