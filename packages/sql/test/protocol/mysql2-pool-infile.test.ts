import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from './helpers.js';

describe('mysql2 pool and LOAD DATA LOCAL INFILE', () => {
  let test: TestServer;
  before(async () => {
    test = await startTestServer();
  });
  after(async () => {
    await test.server.close();
  });

  it('serves 200 concurrent queries through a pool of 8', async () => {
    const pool = mysql.createPool({
      host: '127.0.0.1',
      port: test.port,
      user: 'root',
      password: 'secret',
      connectionLimit: 8,
    });
    try {
      let connectionsMax = 0;
      const results = await Promise.all(
        Array.from({ length: 200 }, async (_, index) => {
          const [rows] = await pool.query<mysql.RowDataPacket[]>(`SELECT ${index}`);
          connectionsMax = Math.max(connectionsMax, test.server.connectionCount);
          return rows[0]![String(index)] as unknown;
        }),
      );
      assert.deepEqual(
        results,
        Array.from({ length: 200 }, (_, index) => index),
      );
      assert.ok(connectionsMax <= 8 && connectionsMax >= 1);
    } finally {
      await pool.end();
    }
  });

  it('streams a local file to the backend and returns its OK', async () => {
    const lines =
      Array.from({ length: 50_000 }, (_, index) => `${index},row ${index}`).join('\n') + '\n';
    const connection = await mysql.createConnection({
      host: '127.0.0.1',
      port: test.port,
      user: 'root',
      password: 'secret',
      infileStreamFactory: (path: string) =>
        path === 'fail.csv'
          ? Readable.from([Buffer.from('FAIL\n')])
          : Readable.from([Buffer.from(lines.slice(0, 1000)), Buffer.from(lines.slice(1000))]),
    });
    try {
      const [result] = await connection.query<mysql.ResultSetHeader>(
        "LOAD DATA LOCAL INFILE 'data.csv' INTO TABLE t",
      );
      assert.equal(result.affectedRows, 50_000);
      assert.equal(result.info, 'Records: 50000  Deleted: 0  Skipped: 0  Warnings: 0');
      const loaded = test.backend.loadedFiles.at(-1)!;
      assert.equal(loaded.fileName, 'data.csv');
      assert.equal(loaded.content, lines);
      await assert.rejects(connection.query("LOAD DATA LOCAL INFILE 'fail.csv' INTO TABLE t"), {
        errno: 1048,
      });
      const [rows] = await connection.query('SELECT 1');
      assert.deepEqual(rows, [{ 1: 1 }]);
    } finally {
      await connection.end();
    }
  });

  it('refuses LOCAL INFILE with 1148 when the client did not enable it', async () => {
    const connection = await mysql.createConnection({
      host: '127.0.0.1',
      port: test.port,
      user: 'root',
      password: 'secret',
      flags: ['-LOCAL_FILES'],
    });
    try {
      await assert.rejects(connection.query("LOAD DATA LOCAL INFILE 'data.csv' INTO TABLE t"), {
        errno: 1148,
      });
      const [rows] = await connection.query('SELECT 1');
      assert.deepEqual(rows, [{ 1: 1 }]);
    } finally {
      await connection.end();
    }
  });
});
