/**
 * TLS on the MySQL port (Protocol::SSLRequest) with mysql2 and a hand-driven client: the
 * capability is advertised only with a certificate, the switch works when the ClientHello
 * arrives in the same read as the SSLRequest, a bad ClientHello closes only its connection,
 * require_secure_transport refuses plain clients, and caching_sha2_password's full
 * authentication takes the clear password over TLS only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { CACHING_SHA2_PLUGIN } from '../../src/protocol/index.js';
import { eventually } from './helpers.js';
import { nativeScramble, parseErr, RawClient } from './raw-client.js';
import {
  makeCertificates,
  skipWithoutOpenssl,
  startRecordingServer,
  type Certificates,
  type RecordingServer,
} from './tls-fixtures.js';
import {
  CLIENT_SSL,
  frame,
  handshakeResponse,
  openPlain,
  openTls,
  parseGreeting,
  sha2Scramble,
  sslRequestPayload,
  type TlsSession,
} from './tls-raw-client.js';

function connectOptions(
  port: number,
  extra: mysql.ConnectionOptions = {},
): mysql.ConnectionOptions {
  return { host: '127.0.0.1', port, user: 'root', password: 'secret', database: 'test', ...extra };
}

/** Logs in over an established TLS session with mysql_native_password and runs one query. */
async function loginAndQuery(session: TlsSession): Promise<void> {
  session.send(
    handshakeResponse({
      user: 'root',
      authResponse: nativeScramble('secret', session.greeting.nonce),
      plugin: 'mysql_native_password',
    }),
  );
  const ok = await session.reader.read();
  assert.equal(ok.payload[0], 0x00, `login answer: ${Buffer.from(ok.payload).toString('latin1')}`);
  session.sequenceId = 0;
  session.send(Uint8Array.from([0x0e])); // COM_PING
  const pong = await session.reader.read();
  assert.equal(pong.payload[0], 0x00);
}

describe('TLS on the MySQL protocol', { skip: skipWithoutOpenssl }, () => {
  let certificates: Certificates;
  let test: RecordingServer;
  before(async () => {
    certificates = await makeCertificates();
    test = await startRecordingServer({
      tls: { cert: certificates.cert, key: certificates.key },
    });
  });
  after(async () => {
    await test.server.close();
    await certificates.remove();
  });

  it('advertises CLIENT_SSL only when the server has a certificate', async () => {
    const secure = await openPlain(test.port);
    secure.socket.destroy();
    assert.notEqual(secure.greeting.capabilities & CLIENT_SSL, 0);
    const plainServer = await startRecordingServer({});
    try {
      const plain = await openPlain(plainServer.port);
      plain.socket.destroy();
      assert.equal(plain.greeting.capabilities & CLIENT_SSL, 0);
      // A client that insists on TLS is told the server has none.
      await assert.rejects(
        mysql.createConnection(connectOptions(plainServer.port, { ssl: { ca: certificates.ca } })),
      );
      // Plain clients are unaffected.
      const connection = await mysql.createConnection(connectOptions(plainServer.port));
      await connection.query('SELECT 1');
      await connection.end();
    } finally {
      await plainServer.server.close();
    }
  });

  it('serves mysql2 over TLS, verifying the certificate with the CA', async () => {
    const before = test.sessions.length;
    const connection = await mysql.createConnection(
      connectOptions(test.port, { ssl: { ca: certificates.ca } }),
    );
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT id, name FROM t');
      assert.equal(rows.length, 3);
      const info = test.sessions[before];
      assert.ok(info?.tls, 'the session knows its TLS parameters');
      assert.match(info.tls.version, /^TLSv1\.[23]$/);
      assert.ok(info.tls.cipher.length > 0);
    } finally {
      await connection.end();
    }
  });

  it('refuses a certificate the client cannot verify', async () => {
    await assert.rejects(
      mysql.createConnection(connectOptions(test.port, { ssl: { rejectUnauthorized: true } })),
    );
  });

  it('still serves plain clients when TLS is offered but not required', async () => {
    const before = test.sessions.length;
    const connection = await mysql.createConnection(connectOptions(test.port));
    try {
      await connection.query('SELECT 1');
      assert.equal(test.sessions[before]?.tls, undefined);
    } finally {
      await connection.end();
    }
  });

  it('hands the ClientHello bytes read with the SSLRequest to TLS (same read)', async () => {
    // The SSLRequest and the first 10 bytes of the ClientHello go in one TCP write; the rest
    // of the ClientHello follows in a second write.
    const split = await openTls(test.port, { ca: certificates.ca, coalesce: true, firstBytes: 10 });
    try {
      await loginAndQuery(split);
    } finally {
      split.close();
    }
    // And the whole ClientHello in the same write as the SSLRequest.
    const whole = await openTls(test.port, {
      ca: certificates.ca,
      coalesce: true,
      firstBytes: 1 << 20,
    });
    try {
      await loginAndQuery(whole);
    } finally {
      whole.close();
    }
  });

  it('closes a connection that sends garbage instead of a ClientHello, and keeps serving', async () => {
    const { socket } = await openPlain(test.port);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.resume();
    socket.write(
      Buffer.concat([
        frame(sslRequestPayload(), 1),
        Buffer.from('GET / HTTP/1.1\r\nHost: example\r\n\r\n'),
      ]),
    );
    await closed;
    await eventually(() => test.events.some((entry) => entry.event === 'mysql.tls_failed'));
    const connection = await mysql.createConnection(
      connectOptions(test.port, { ssl: { ca: certificates.ca } }),
    );
    await connection.query('SELECT 1');
    await connection.end();
  });

  it('closes a connection that leaves in the middle of the TLS handshake', async () => {
    const { socket } = await openPlain(test.port);
    socket.write(Buffer.concat([frame(sslRequestPayload(), 1), Buffer.from([0x16, 0x03, 0x01])]));
    socket.destroy();
    await eventually(() => test.server.connectionCount === 0);
  });

  it('runs caching_sha2_password full authentication over TLS with the clear password', async () => {
    for (const [password, expected] of [
      ['secret', 0x00],
      ['wrong', 0xff],
    ] as const) {
      const session = await openTls(test.port, { ca: certificates.ca, coalesce: false });
      try {
        // A scramble that does not verify (as after a cache miss) makes the server ask for
        // the password.
        session.send(
          handshakeResponse({
            user: 'root',
            authResponse: sha2Scramble(password, Buffer.alloc(20)),
            plugin: CACHING_SHA2_PLUGIN,
          }),
        );
        const more = await session.reader.read();
        assert.deepEqual([...more.payload], [0x01, 0x04], 'perform_full_authentication');
        session.send(Buffer.from(password + '\0'));
        const answer = await session.reader.read();
        assert.equal(answer.payload[0], expected);
        if (expected === 0xff) assert.equal(Buffer.from(answer.payload).readUInt16LE(1), 1045);
      } finally {
        session.close();
      }
    }
  });

  it('never asks for the clear password on a plain connection', async () => {
    const client = await RawClient.open(test.port);
    try {
      const greeting = parseGreeting(await client.read());
      client.send(
        handshakeResponse({
          user: 'root',
          authResponse: sha2Scramble('secret', Buffer.alloc(20)),
          plugin: CACHING_SHA2_PLUGIN,
          flags: 0x1 | 0x4 | 0x200 | 0x8000 | 0x80000,
        }),
        1,
      );
      assert.ok(greeting.nonce.length === 20);
      const answer = await client.read();
      assert.equal(parseErr(answer)?.errno, 1045);
    } finally {
      client.close();
    }
  });

  it('serves mysql2 with caching_sha2_password over TLS', async () => {
    const sha2 = await startRecordingServer({
      tls: { cert: certificates.cert, key: certificates.key },
      defaultAuthPlugin: CACHING_SHA2_PLUGIN,
    });
    try {
      const connection = await mysql.createConnection(
        connectOptions(sha2.port, { ssl: { ca: certificates.ca } }),
      );
      await connection.query('SELECT 1');
      await connection.end();
      assert.ok(sha2.sessions[0]?.tls);
    } finally {
      await sha2.server.close();
    }
  });
});

describe('require_secure_transport', { skip: skipWithoutOpenssl }, () => {
  let certificates: Certificates;
  let test: RecordingServer;
  before(async () => {
    certificates = await makeCertificates();
    test = await startRecordingServer({
      tls: { cert: certificates.cert, key: certificates.key },
      requireSecureTransport: true,
    });
  });
  after(async () => {
    await test.server.close();
    await certificates.remove();
  });

  it('refuses a plain client with 3159, loopback included', async () => {
    await assert.rejects(mysql.createConnection(connectOptions(test.port)), (error: unknown) => {
      const { errno, sqlState, message } = error as {
        errno: number;
        sqlState: string;
        message: string;
      };
      assert.equal(errno, 3159);
      assert.equal(sqlState, 'HY000');
      assert.match(message, /insecure transport are prohibited/);
      return true;
    });
    assert.equal(test.sessions.length, 0);
  });

  it('accepts a TLS client', async () => {
    const connection = await mysql.createConnection(
      connectOptions(test.port, { ssl: { ca: certificates.ca } }),
    );
    await connection.query('SELECT 1');
    await connection.end();
    assert.ok(test.sessions.at(-1)?.tls);
  });

  it('cannot be asked for without a certificate', async () => {
    await assert.rejects(
      startRecordingServer({ requireSecureTransport: true }),
      /requireSecureTransport needs a TLS certificate/,
    );
  });
});
