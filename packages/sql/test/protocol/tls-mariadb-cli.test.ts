/**
 * The Debian `mariadb` command-line client over TLS (`--ssl --ssl-ca`, with and without
 * `--ssl-verify-server-cert`) and under require_secure_transport. Skipped, with the reason,
 * where the client or `openssl` is not installed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  makeCertificates,
  skipWithoutOpenssl,
  startRecordingServer,
  type Certificates,
  type RecordingServer,
} from './tls-fixtures.js';

const CLIENT = '/usr/bin/mariadb';
const skip = existsSync(CLIENT) ? skipWithoutOpenssl : `${CLIENT} is not installed`;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(CLIENT, ['--no-defaults', ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('mariadb command-line client over TLS', { skip }, () => {
  let certificates: Certificates;
  let test: RecordingServer;
  let strict: RecordingServer;
  before(async () => {
    certificates = await makeCertificates();
    const tls = { cert: certificates.cert, key: certificates.key };
    test = await startRecordingServer({ tls });
    strict = await startRecordingServer({ tls, requireSecureTransport: true });
  });
  after(async () => {
    await test.server.close();
    await strict.server.close();
    await certificates.remove();
  });

  const connect = (port: number): string[] => [
    ...['-h', '127.0.0.1', '-P', String(port), '-u', 'root', '-psecret', '-B'],
  ];

  it('queries over TLS with --ssl --ssl-ca', async () => {
    const before = test.sessions.length;
    const result = await run([
      ...connect(test.port),
      '--ssl',
      `--ssl-ca=${certificates.caFile}`,
      '-e',
      'SELECT id, name FROM t',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^id\tname\n1\t/);
    assert.ok(test.sessions[before]?.tls, 'the session ran over TLS');
  });

  it('verifies the server certificate, whose name is 127.0.0.1', async () => {
    const result = await run([
      ...connect(test.port),
      '--ssl',
      `--ssl-ca=${certificates.caFile}`,
      '--ssl-verify-server-cert',
      '-e',
      'SELECT id, name FROM t',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^id\tname\n1\t/);
  });

  it('is refused without TLS under require_secure_transport, and accepted with it', async () => {
    const plain = await run([
      ...connect(strict.port),
      '--skip-ssl',
      '-e',
      'SELECT id, name FROM t',
    ]);
    assert.notEqual(plain.code, 0);
    assert.match(plain.stderr, /3159/);
    const secure = await run([
      ...connect(strict.port),
      '--ssl',
      `--ssl-ca=${certificates.caFile}`,
      '-e',
      'SELECT id, name FROM t',
    ]);
    assert.equal(secure.code, 0, secure.stderr);
  });
});
