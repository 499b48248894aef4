import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { eventually, startTestServer, type TestServer } from './helpers.js';

describe('mysql2 text protocol', () => {
  let test: TestServer;
  before(async () => {
    test = await startTestServer();
  });
  after(async () => {
    await test.server.close();
  });

  function open(options: mysql.ConnectionOptions = {}): Promise<mysql.Connection> {
    return mysql.createConnection({
      host: '127.0.0.1',
      port: test.port,
      user: 'root',
      password: 'secret',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      ...options,
    });
  }

  it('runs a query and reports the connection id from the per-server counter', async () => {
    const connection = await open({ database: 'test' });
    try {
      const [rows] = await connection.query('SELECT 1');
      assert.deepEqual(rows, [{ 1: 1 }]);
      const [ids] = await connection.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID()');
      assert.equal(ids[0]!['CONNECTION_ID()'], connection.threadId);
      assert.ok(connection.threadId >= 1);
      const [database] = await connection.query<mysql.RowDataPacket[]>('SELECT DATABASE()');
      assert.equal(database[0]!['DATABASE()'], 'test');
    } finally {
      await connection.end();
    }
  });

  it('sends every column type in its text form with MySQL column definitions', async () => {
    const connection = await open();
    try {
      const [rows, fields] = await connection.query<mysql.RowDataPacket[]>('SELECT * FROM t');
      assert.equal(rows.length, 3);
      const first = rows[0]!;
      assert.equal(first.id, 1);
      assert.equal(first.tiny, -5);
      assert.equal(first.small, -300);
      assert.equal(first.big, '-9007199254740993');
      assert.equal(first.ubig, '18446744073709551615');
      assert.equal(first.price, '12.50');
      assert.equal(first.ratio, 0.1);
      assert.equal(first.f, 1.5);
      assert.equal(first.label, 'abc');
      assert.equal(first.name, 'héllo ✓');
      assert.equal(first.note, 'long text');
      assert.deepEqual(first.data, Buffer.from([0, 255, 1]));
      assert.equal(first.day, '2024-02-29');
      assert.equal(first.created, '2024-02-29 13:14:15.123456');
      assert.equal(first.stamp, '1970-01-01 00:00:01');
      assert.equal(first.dur, '-838:59:59');
      assert.deepEqual(first.doc, { a: [1, 2] });
      assert.equal(first.flag, 1);
      assert.equal(first.nothing, null);
      assert.ok(Object.entries(rows[1]!).every(([name, value]) => name === 'id' || value === null));
      assert.equal(rows[2]!.ratio, 1e21);

      const byName = new Map(fields.map((field) => [field.name, field]));
      const expect = (
        name: string,
        type: number,
        charset: number,
        length: number,
        decimals = 0,
      ): void => {
        const field = byName.get(name)!;
        assert.deepEqual(
          [field.columnType, field.characterSet, field.columnLength, field.decimals],
          [type, charset, length, decimals],
          name,
        );
      };
      expect('id', 3, 63, 11);
      expect('tiny', 1, 63, 4);
      expect('small', 2, 63, 6);
      expect('big', 8, 63, 20);
      expect('price', 246, 63, 12, 2);
      expect('ratio', 5, 63, 22, 31);
      expect('f', 4, 63, 12, 31);
      expect('label', 254, 45, 12);
      expect('name', 253, 45, 80);
      expect('note', 252, 45, 262140);
      expect('data', 252, 63, 65535);
      expect('day', 10, 63, 10);
      expect('created', 12, 63, 26, 6);
      expect('stamp', 7, 63, 19);
      expect('dur', 11, 63, 10);
      // A JSON column is MariaDB's LONGTEXT marked format=json (mysql2 still reads it as JSON).
      expect('doc', 252, 45, 4294967295);
      expect('flag', 1, 63, 1);
      expect('nothing', 6, 63, 0);
      const id = byName.get('id')!;
      // NOT_NULL | PRI_KEY | AUTO_INCREMENT, as MariaDB sends a table's own number column (no
      // BINARY, which it sets on computed numbers, and no NUM, which its client library adds).
      assert.equal(id.flags, 1 | 2 | 512);
      assert.equal(Number(byName.get('ubig')!.flags) & 32, 32);
      assert.equal(Number(byName.get('data')!.flags) & (16 | 128), 16 | 128);
      assert.equal(id.table, 't');
      assert.equal(id.orgTable, 't');
      assert.equal(id.schema, 'test');
      assert.equal(id.orgName, 'id');
    } finally {
      await connection.end();
    }
  });

  it('returns several results for multi statements, each with its OK fields', async () => {
    const connection = await open({ multipleStatements: true });
    try {
      const [raw] = await connection.query('SELECT 1; INSERT INTO x VALUES (1), (2); SELECT 2');
      const results = raw as unknown as [
        mysql.RowDataPacket[],
        mysql.ResultSetHeader,
        mysql.RowDataPacket[],
      ];
      assert.equal(results.length, 3);
      assert.deepEqual(results[0], [{ 1: 1 }]);
      assert.equal(results[1].affectedRows, 2);
      assert.equal(results[1].insertId, 2);
      assert.equal(results[1].warningStatus, 1);
      assert.equal(results[1].info, 'Records: 2  Duplicates: 0  Warnings: 1');
      assert.deepEqual(results[2], [{ 2: 2 }]);
    } finally {
      await connection.end();
    }
  });

  it('refuses several statements when the client did not enable them', async () => {
    const connection = await open();
    try {
      await assert.rejects(connection.query('SELECT 1; SELECT 2'), { errno: 1064 });
      const [rows] = await connection.query('SELECT 3');
      assert.deepEqual(rows, [{ 3: 3 }]);
    } finally {
      await connection.end();
    }
  });

  it('reports transaction state in the status flags', async () => {
    const connection = await open();
    try {
      const [begin] = await connection.query<mysql.ResultSetHeader>('BEGIN');
      assert.equal(begin.serverStatus & 0x3, 0x3);
      const [commit] = await connection.query<mysql.ResultSetHeader>('COMMIT');
      assert.equal(commit.serverStatus & 0x3, 0x2);
    } finally {
      await connection.end();
    }
  });

  it('keeps the connection usable after errors, and hides internal errors', async () => {
    const connection = await open();
    try {
      await assert.rejects(connection.query('SELECT * FROM missing'), {
        errno: 1146,
        sqlState: '42S02',
        sqlMessage: "Table 'test.missing' doesn't exist",
      });
      await assert.rejects(connection.query('CRASH'), { errno: 1815, sqlState: 'HY000' });
      assert.ok(
        test.events.some(
          (entry) =>
            entry.event === 'mysql.internal_error' &&
            String(entry.fields.error).includes('simulated engine bug'),
        ),
      );
      const long = await connection.query('LONG ERROR').then(
        () => assert.fail('expected an error'),
        (error: { sqlMessage: string }) => error.sqlMessage,
      );
      assert.ok(Buffer.byteLength(long) <= 512 && long.length === 256);
      await connection.ping();
      const [rows] = await connection.query('SELECT 4');
      assert.deepEqual(rows, [{ 4: 4 }]);
    } finally {
      await connection.end();
    }
  });

  it('changes user and database with COM_CHANGE_USER', async () => {
    const connection = await open();
    try {
      await connection.changeUser({ user: 'alice', password: 'wonderland ✓', database: 'app' });
      const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT CURRENT_USER()');
      assert.equal(rows[0]!['CURRENT_USER()'], 'alice');
      const [database] = await connection.query<mysql.RowDataPacket[]>('SELECT DATABASE()');
      assert.equal(database[0]!['DATABASE()'], 'app');
    } finally {
      await connection.end();
    }
  });

  it('sends results larger than 16 MiB split over several packets, in both directions', async () => {
    const connection = await open();
    try {
      const size = 0xffffff + 100;
      const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT REPEAT('z', ${size})`);
      assert.equal(String(rows[0]!.text).length, size);
      const text = 'q'.repeat(0xffffff);
      const [echo] = await connection.query<mysql.RowDataPacket[]>(`SELECT '${text}'`);
      assert.equal(echo[0]!.text, text);
    } finally {
      await connection.end();
    }
  });

  it('closes backend sessions when clients leave', async () => {
    const connection = await open();
    await connection.query('SELECT 1');
    connection.destroy();
    await eventually(() => test.server.connectionCount === 0 && test.backend.sessionsOpen === 0);
  });
});

describe('mysql2 authentication', () => {
  let test: TestServer;
  before(async () => {
    test = await startTestServer();
  });
  after(async () => {
    await test.server.close();
  });

  it('refuses a wrong password or an unknown user with 1045', async () => {
    const base = { host: '127.0.0.1', port: test.port };
    await assert.rejects(mysql.createConnection({ ...base, user: 'root', password: 'wrong' }), {
      errno: 1045,
      sqlState: '28000',
      message: "Access denied for user 'root'@'127.0.0.1' (using password: YES)",
    });
    await assert.rejects(mysql.createConnection({ ...base, user: 'nobody' }), {
      errno: 1045,
      message: "Access denied for user 'nobody'@'127.0.0.1' (using password: NO)",
    });
    await assert.rejects(mysql.createConnection({ ...base, user: 'root' }), { errno: 1045 });
  });

  it('accepts an account without password, and refuses a password for it', async () => {
    const base = { host: '127.0.0.1', port: test.port, user: 'nopass' };
    const connection = await mysql.createConnection(base);
    await connection.end();
    await assert.rejects(mysql.createConnection({ ...base, password: 'something' }), {
      errno: 1045,
    });
  });

  it('refuses an unknown database named at connect with 1049', async () => {
    await assert.rejects(
      mysql.createConnection({
        host: '127.0.0.1',
        port: test.port,
        user: 'root',
        password: 'secret',
        database: 'nope',
      }),
      { errno: 1049, message: "Unknown database 'nope'" },
    );
  });
});

describe('mysql2 with caching_sha2_password', () => {
  let test: TestServer;
  before(async () => {
    test = await startTestServer({ defaultAuthPlugin: 'caching_sha2_password' });
  });
  after(async () => {
    await test.server.close();
  });

  it('authenticates with the sha2 scramble and fast_auth_success', async () => {
    const connection = await mysql.createConnection({
      host: '127.0.0.1',
      port: test.port,
      user: 'alice',
      password: 'wonderland ✓',
    });
    try {
      const [rows] = await connection.query('SELECT 1');
      assert.deepEqual(rows, [{ 1: 1 }]);
    } finally {
      await connection.end();
    }
    await assert.rejects(
      mysql.createConnection({
        host: '127.0.0.1',
        port: test.port,
        user: 'alice',
        password: 'wrong',
      }),
      { errno: 1045 },
    );
    const empty = await mysql.createConnection({
      host: '127.0.0.1',
      port: test.port,
      user: 'nopass',
    });
    await empty.end();
  });
});
