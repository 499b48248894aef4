import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from './helpers.js';
import { nativeScramble, parseErr, RawClient, RAW_CLIENT_FLAGS } from './raw-client.js';

function u32(value: number): number[] {
  return [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >>> 24) & 0xff];
}

/** Reads a result set sent without DEPRECATE_EOF; returns its row payloads. */
async function readResultSet(client: RawClient): Promise<Uint8Array[]> {
  const first = await client.read();
  assert.equal(parseErr(first), undefined, 'expected a result set');
  const count = first.payload[0]!;
  for (let index = 0; index < count; index += 1) await client.read();
  assert.equal((await client.read()).payload[0], 0xfe);
  const rows: Uint8Array[] = [];
  for (;;) {
    const packet = await client.read();
    if (packet.payload[0] === 0xfe && packet.payload.length < 9) return rows;
    rows.push(packet.payload);
  }
}

describe('commands sent as raw packets', () => {
  let test: TestServer;
  let client: RawClient;
  before(async () => {
    test = await startTestServer();
    client = await RawClient.login(test.port, { user: 'root', password: 'secret' });
  });
  after(async () => {
    client.close();
    await test.server.close();
  });

  it('answers an unknown command with 1047 and stays usable', async () => {
    client.command([0x63, 1, 2, 3]);
    assert.equal(parseErr(await client.read())?.errno, 1047);
    client.command([]);
    assert.equal(parseErr(await client.read())?.errno, 1047);
    client.command([0x0e]);
    assert.equal((await client.read()).payload[0], 0x00);
  });

  it('answers malformed commands with an ERR that says so', async () => {
    client.command([0x0c, 1]);
    const error = parseErr(await client.read());
    assert.equal(error?.errno, 1835);
    assert.match(error?.message ?? '', /Malformed packet/);
    client.command([0x0e]);
    assert.equal((await client.read()).payload[0], 0x00);
  });

  it('answers COM_STATISTICS with one line of text and COM_PROCESS_KILL through the backend', async () => {
    client.command([0x09]);
    assert.match(
      Buffer.from((await client.read()).payload).toString(),
      /^Uptime: \d+ {2}Threads: 1 /,
    );
    client.command([0x0c, ...u32(77)]);
    assert.equal((await client.read()).payload[0], 0x00);
    assert.deepEqual(test.backend.killed, [77]);
  });

  it('lists fields for COM_FIELD_LIST, and nothing for an unknown table', async () => {
    client.command([0x04, ...Buffer.from('t\0')]);
    const first = Buffer.from((await client.read()).payload);
    assert.ok(first.includes(Buffer.from('id')));
    const second = Buffer.from((await client.read()).payload);
    assert.ok(second.includes(Buffer.from('name')));
    assert.equal((await client.read()).payload[0], 0xfe);
    client.command([0x04, ...Buffer.from('nope\0')]);
    assert.equal((await client.read()).payload[0], 0xfe);
  });

  it('switches multi statements with COM_SET_OPTION', async () => {
    client.command([0x1b, 1, 0]);
    assert.equal((await client.read()).payload[0], 0xfe);
    client.command([0x03, ...Buffer.from('SELECT 1; SELECT 2')]);
    assert.equal(parseErr(await client.read())?.errno, 1064);
    client.command([0x1b, 0, 0]);
    assert.equal((await client.read()).payload[0], 0xfe);
  });

  it('runs prepared statements with long data, remembered types, and id and argument errors', async () => {
    client.command([0x16, ...Buffer.from('SELECT ?, ?')]);
    const prepared = Buffer.from((await client.read()).payload);
    assert.equal(prepared[0], 0x00);
    const id = prepared.readUInt32LE(1);
    assert.equal(prepared.readUInt16LE(7), 2);
    for (let index = 0; index < 3; index += 1) await client.read(); // two parameters and EOF

    client.command([0x18, ...u32(id), 0, 0, ...Buffer.from('hello ')]);
    client.command([0x18, ...u32(id), 0, 0, ...Buffer.from('world')]);
    // Types: VAR_STRING, LONGLONG; parameter 0 comes from long data, 1 inline.
    client.command([
      0x17,
      ...u32(id),
      0,
      ...u32(1),
      0b00,
      1,
      253,
      0,
      8,
      0,
      ...[5, 0, 0, 0, 0, 0, 0, 0],
    ]);
    assert.equal((await readResultSet(client)).length, 1);
    assert.deepEqual(test.backend.lastParams, ['hello world', 5]);

    // new-params-bound = 0: the types of the previous execute apply.
    client.command([0x17, ...u32(id), 0, ...u32(1), 0b10, 0, 1, 65]);
    assert.equal((await readResultSet(client)).length, 1);
    assert.deepEqual(test.backend.lastParams, ['A', null]);

    client.command([0x17, ...u32(id), 0, ...u32(1), 0, 1, 253]);
    assert.equal(parseErr(await client.read())?.errno, 1210);
    client.command([0x17, ...u32(id), 0, ...u32(1), 0, 1, 99, 0, 99, 0]);
    assert.equal(parseErr(await client.read())?.errno, 1210);
    client.command([0x17, ...u32(9999), 0, ...u32(1)]);
    assert.equal(parseErr(await client.read())?.errno, 1243);
    client.command([0x1a, ...u32(9999)]);
    assert.equal(parseErr(await client.read())?.errno, 1243);
    client.command([0x1a, ...u32(id)]);
    assert.equal((await client.read()).payload[0], 0x00);
    client.command([0x19, ...u32(id)]);
    client.command([0x17, ...u32(id), 0, ...u32(1)]);
    assert.equal(parseErr(await client.read())?.errno, 1243);
  });

  it('resets the backend session with COM_RESET_CONNECTION', async () => {
    const opened = test.backend.sessionsOpened;
    const open = test.backend.sessionsOpen;
    client.command([0x1f]);
    assert.equal((await client.read()).payload[0], 0x00);
    assert.equal(test.backend.sessionsOpened, opened + 1);
    assert.equal(test.backend.sessionsOpen, open);
  });

  it('sends an AuthSwitchRequest when the client names an unknown plugin', async () => {
    const raw = await RawClient.open(test.port);
    try {
      await raw.read();
      raw.send(
        Buffer.concat([
          Buffer.from(u32(RAW_CLIENT_FLAGS)),
          Buffer.from(u32(1 << 24)),
          Buffer.from([45]),
          Buffer.alloc(23),
          Buffer.from('root\0'),
          Buffer.from([0]),
          Buffer.from('some_other_plugin\0'),
        ]),
        1,
      );
      const request = Buffer.from((await raw.read()).payload);
      assert.equal(request[0], 0xfe);
      const nameEnd = request.indexOf(0, 1);
      assert.equal(request.subarray(1, nameEnd).toString(), 'mysql_native_password');
      const nonce = request.subarray(nameEnd + 1, nameEnd + 21);
      raw.send(nativeScramble('secret', nonce), 3);
      assert.equal((await raw.read()).payload[0], 0x00);
    } finally {
      raw.close();
    }
  });
});

describe('max_allowed_packet', () => {
  let test: TestServer;
  before(async () => {
    test = await startTestServer({ maxAllowedPacketBytes: 4096 });
  });
  after(async () => {
    await test.server.close();
  });

  it('refuses a bigger packet with 1153, closes that connection only', async () => {
    const options = { host: '127.0.0.1', port: test.port, user: 'root', password: 'secret' };
    const other = await mysql.createConnection(options);
    const connection = await mysql.createConnection(options);
    await assert.rejects(connection.query(`SELECT '${'x'.repeat(10_000)}'`), {
      errno: 1153,
      message: "Got a packet bigger than 'max_allowed_packet' bytes",
    });
    connection.destroy();
    const [rows] = await other.query('SELECT 1');
    assert.deepEqual(rows, [{ 1: 1 }]);
    await other.end();

    const raw = await RawClient.login(test.port, { user: 'root', password: 'secret' });
    raw.socket.write(Buffer.from([0x88, 0x13, 0x00, 0x00, 0x03]));
    assert.equal(parseErr(await raw.read())?.errno, 1153);
    await raw.waitClosed();
  });
});
