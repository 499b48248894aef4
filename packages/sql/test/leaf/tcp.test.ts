import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { SqlError } from '../../src/errors.js';
import type { LeafApi } from '../../src/leaf/api.js';
import { connectLeaf } from '../../src/leaf/client.js';
import { startLeaf, type LeafServer } from '../../src/leaf/server.js';
import { Op, encodeFrame } from '../../src/leaf/wire.js';

const P = { database: 'shop', ordinal: 0 };

describe('leaf over TCP', () => {
  let dataDir: string;
  let server: LeafServer;
  let client: LeafApi;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'exo-tcp-'));
    server = await startLeaf({
      dataDir,
      host: '127.0.0.1',
      port: 0,
      cores: 2,
      lockWaitTimeoutMs: 1_000,
    });
    client = await connectLeaf({ host: '127.0.0.1', port: server.port });
    await client.createPartition(P);
    await client.exec([
      {
        partition: P,
        engine: 'row',
        sql: 'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, b BLOB)',
      },
      {
        partition: P,
        engine: 'column',
        sql: 'CREATE TABLE c (id BIGINT PRIMARY KEY, d DECIMAL(18,4), ts TIMESTAMP)',
      },
    ]);
  });

  after(async () => {
    await client.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers info, exec and bulk insert with exact values', async () => {
    const info = await client.info();
    assert.equal(info.port, server.port);
    assert.deepStrictEqual(info.partitions, [P]);
    const blob = new Uint8Array(1024 * 1024).map((_, index) => index & 0xff);
    const inserted = await client.insert({
      partition: P,
      engine: 'row',
      table: 't',
      columns: ['id', 'v', 'b'],
      rows: [
        [1, 'é🌍', blob],
        [2, '', null],
      ],
      onConflict: 'error',
    });
    assert.equal(inserted.affectedRows, 2);
    await client.insert({
      partition: P,
      engine: 'column',
      table: 'c',
      columns: ['id', 'd', 'ts'],
      rows: [[2n ** 62n, '-12345678901234.5678', '2024-01-02 03:04:05']],
      onConflict: 'error',
    });
    const [rowResult, columnResult] = await client.exec([
      { partition: P, engine: 'row', sql: 'SELECT id, v, b FROM t ORDER BY id' },
      {
        partition: P,
        engine: 'column',
        sql: 'SELECT id, d, ts FROM c WHERE id = ?',
        params: [2n ** 62n],
      },
    ]);
    assert.deepStrictEqual(rowResult?.rows, [
      [1, 'é🌍', blob],
      [2, '', null],
    ]);
    assert.deepStrictEqual(columnResult?.rows, [
      [2n ** 62n, '-12345678901234.5678', '2024-01-02 03:04:05'],
    ]);
    assert.deepEqual(
      columnResult?.columns.map((column) => column.type),
      ['bigint', 'decimal', 'datetime'],
    );
  });

  it('rethrows engine errors as SqlError with their MySQL numbers', async () => {
    await assert.rejects(
      client.exec([
        {
          partition: P,
          engine: 'row',
          sql: 'INSERT INTO t (id, v) VALUES (?, ?)',
          params: [1, 'again'],
        },
      ]),
      (error) =>
        error instanceof SqlError &&
        error.errno === 1062 &&
        error.sqlState === '23000' &&
        error.message === "Duplicate entry '1' for key 'PRIMARY'",
    );
    await assert.rejects(
      client.exec([
        { partition: { database: 'nope', ordinal: 3 }, engine: 'row', sql: 'SELECT 1' },
      ]),
      (error) => error instanceof SqlError && error.errno === 1049,
    );
  });

  it('keeps many requests in flight on one connection', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        client.exec([
          {
            partition: P,
            engine: index % 2 === 0 ? 'row' : 'column',
            sql: 'SELECT ? AS n',
            params: [index],
          },
        ]),
      ),
    );
    assert.deepStrictEqual(
      results.map(([result]) => result?.rows[0]?.[0]),
      Array.from({ length: 200 }, (_, index) => index),
    );
  });

  it('fails calls in flight with 1777 when the connection breaks, then reconnects', async () => {
    // A TCP proxy in front of the leaf, so the test can cut the client's connection.
    const accepted: net.Socket[] = [];
    const proxy = net.createServer((socket) => {
      accepted.push(socket);
      const upstream = net.connect(server.port, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = await connectLeaf({
      host: '127.0.0.1',
      port: (proxy.address() as net.AddressInfo).port,
    });
    try {
      await proxied.info();
      // A statement that runs long enough for the connection to be cut while it is in flight.
      const slow = proxied.exec([
        { partition: P, engine: 'column', sql: 'SELECT count(*) FROM range(3000000000)' },
      ]);
      const failed = assert.rejects(
        slow,
        (error) => error instanceof SqlError && error.errno === 1777,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const socket of accepted) socket.destroy();
      await failed;
      assert.equal((await proxied.info()).port, server.port);
    } finally {
      await proxied.close();
      proxy.close();
    }
  });

  it('closes a connection that announces an oversized frame, and keeps serving others', async () => {
    const oversized = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => oversized.once('connect', resolve));
    const header = Buffer.alloc(9);
    header.writeUInt32LE(0xffff_fff0, 0);
    const answers: Buffer[] = [];
    oversized.on('data', (chunk: Buffer) => answers.push(chunk));
    oversized.on('error', () => undefined);
    const closed = new Promise((resolve) => oversized.once('close', resolve));
    oversized.write(header);
    await closed;
    const answer = Buffer.concat(answers);
    assert.equal(answer[8], Op.Error);
    assert.match(answer.toString('utf8'), /exceeds the limit/);
    assert.equal((await client.info()).port, server.port);
  });

  it('survives random bytes and malformed frames, and keeps answering', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 20 }),
        async (garbage, op) => {
          const socket = net.connect(server.port, '127.0.0.1');
          await new Promise((resolve) => socket.once('connect', resolve));
          socket.on('error', () => undefined);
          // A well-framed request with a garbage payload, then raw garbage.
          socket.write(encodeFrame(7, op, garbage));
          socket.write(garbage);
          await new Promise((resolve) => setTimeout(resolve, 2));
          socket.destroy();
        },
      ),
      { numRuns: 150 },
    );
    const [result] = await client.exec([
      { partition: P, engine: 'row', sql: 'SELECT count(*) FROM t' },
    ]);
    assert.deepStrictEqual(result?.rows, [[2]]);
    assert.equal((await client.info()).port, server.port);
  });

  it('answers a malformed payload with an error for that request only', async () => {
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const answers: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => answers.push(chunk));
    socket.write(encodeFrame(41, Op.Exec, Buffer.from([1, 0, 0, 0, 200])));
    socket.write(encodeFrame(42, Op.InDoubt, Buffer.alloc(0)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    const data = Buffer.concat(answers);
    const seen = new Map<number, number>();
    for (let offset = 0; offset + 9 <= data.length; offset += 4 + data.readUInt32LE(offset)) {
      seen.set(data.readUInt32LE(offset + 4), data[offset + 8] ?? 0);
    }
    assert.equal(seen.get(41), Op.Error);
    assert.equal(seen.get(42), Op.Ok);
  });
});
