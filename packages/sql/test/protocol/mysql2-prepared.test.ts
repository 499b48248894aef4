import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from './helpers.js';

describe('mysql2 prepared statements', () => {
  let test: TestServer;
  let connection: mysql.Connection;
  before(async () => {
    test = await startTestServer();
    connection = await mysql.createConnection({
      host: '127.0.0.1',
      port: test.port,
      user: 'root',
      password: 'secret',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      timezone: 'Z',
    });
  });
  after(async () => {
    await connection.end();
    await test.server.close();
  });

  it('decodes every parameter type into the values.ts representation', async () => {
    const T = mysql.TypedParameter;
    const params = [
      T.TINY(-5),
      T.TINY.unsigned(250),
      T.SHORT(-300),
      T.SHORT.unsigned(65535),
      T.LONG(-70000),
      T.LONG.unsigned(4000000000),
      T.LONGLONG(-9007199254740993n),
      T.LONGLONG.unsigned(18446744073709551615n),
      T.LONGLONG(12),
      T.FLOAT(1.5),
      T.DOUBLE(0.1),
      T.DECIMAL('12.50'),
      T.VAR_STRING('héllo ✓'),
      T.BLOB(Buffer.from([0xff, 0, 1])),
      T.BLOB(Buffer.from('valid text')),
      T.DATE(new Date(Date.UTC(2024, 1, 29))),
      T.DATETIME(new Date(Date.UTC(2024, 1, 29, 13, 14, 15, 123))),
      T.TIMESTAMP(new Date(Date.UTC(1999, 11, 31, 23, 59, 59))),
      T.TIME('-838:59:59'),
      T.TIME('12:00:00.5'),
      T.JSON({ a: 1 }),
      null,
      42,
      'plain',
      true,
    ];
    const sql = `SELECT ${params.map(() => '?').join(', ')}`;
    const [rows] = await connection.execute<mysql.RowDataPacket[]>(sql, params);
    assert.deepEqual(test.backend.lastParams, [
      -5,
      250,
      -300,
      65535,
      -70000,
      4000000000,
      -9007199254740993n,
      18446744073709551615n,
      12,
      1.5,
      0.1,
      '12.50',
      'héllo ✓',
      Uint8Array.of(0xff, 0, 1),
      'valid text',
      '2024-02-29',
      '2024-02-29 13:14:15.123000',
      '1999-12-31 23:59:59',
      '-838:59:59',
      '12:00:00.500000',
      '{"a":1}',
      null,
      42,
      'plain',
      1,
    ]);
    // The test double echoes parameters back typed by their JavaScript type (binary rows).
    const row = rows[0]!;
    assert.equal(row.p0, '-5');
    assert.equal(row.p7, '18446744073709551615');
    assert.equal(row.p10, 0.1);
    assert.equal(row.p12, 'héllo ✓');
    assert.deepEqual(row.p13, Buffer.from([0xff, 0, 1]));
    assert.equal(row.p21, null);
  });

  it('remembers parameter types when the client does not send them again', async () => {
    // mysql2 always sends types; the raw tests cover new-params-bound = 0. Here: repeated use.
    for (const value of [1, 2, 3]) {
      await connection.execute('INSERT INTO x VALUES (?)', [value]);
      assert.deepEqual(test.backend.lastParams, [value]);
    }
  });

  it('sends every column type in its binary form', async () => {
    const [rows, fields] = await connection.execute<mysql.RowDataPacket[]>(
      'SELECT * FROM t WHERE id = ?',
      [1],
    );
    assert.equal(fields.length, 19);
    const row = rows[0]!;
    assert.equal(row.id, 1);
    assert.equal(row.tiny, -5);
    assert.equal(row.small, -300);
    assert.equal(row.big, '-9007199254740993');
    assert.equal(row.ubig, '18446744073709551615');
    assert.equal(row.price, '12.50');
    assert.equal(row.ratio, 0.1);
    assert.equal(row.f, 1.5);
    assert.equal(row.label, 'abc');
    assert.equal(row.name, 'héllo ✓');
    assert.equal(row.note, 'long text');
    assert.deepEqual(row.data, Buffer.from([0, 255, 1]));
    assert.equal(row.day, '2024-02-29');
    assert.equal(row.created, '2024-02-29 13:14:15.123456');
    assert.equal(row.stamp, '1970-01-01 00:00:01');
    assert.equal(row.dur, '-838:59:59');
    assert.deepEqual(row.doc, { a: [1, 2] });
    assert.equal(row.flag, 1);
    assert.equal(row.nothing, null);

    const [nulls] = await connection.execute<mysql.RowDataPacket[]>(
      'SELECT * FROM t WHERE id = ?',
      [2],
    );
    assert.ok(Object.entries(nulls[0]!).every(([name, value]) => name === 'id' || value === null));
    const [third] = await connection.execute<mysql.RowDataPacket[]>(
      'SELECT * FROM t WHERE id = ?',
      [3],
    );
    assert.equal(third[0]!.ratio, 1e21);
    assert.equal(third[0]!.f, -0.25);
    assert.equal(third[0]!.created, '2000-01-01 00:00:00');
    assert.equal(third[0]!.stamp, '2038-01-19 03:14:07');
    // mysql2 prints binary TIME microseconds without trailing zeros.
    assert.equal(third[0]!.dur, '12:00:00.5');
    assert.equal(third[0]!.ubig, '0');
    assert.deepEqual(third[0]!.doc, []);
  });

  it('reports prepare errors and keeps the connection usable', async () => {
    await assert.rejects(connection.execute('SELECT * FROM missing WHERE id = ?', [1]), {
      errno: 1146,
    });
    await assert.rejects(connection.prepare('DELETE nonsense'), { errno: 1064 });
    const statement = await connection.prepare('SELECT ?');
    const [rows] = await statement.execute(['again']);
    assert.deepEqual(rows, [{ p0: 'again' }]);
    await statement.close();
    const [after] = await connection.query('SELECT 5');
    assert.deepEqual(after, [{ 5: 5 }]);
  });
});
