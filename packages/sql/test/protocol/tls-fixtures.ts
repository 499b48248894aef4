/**
 * Certificates for the TLS tests, made with the `openssl` command-line tool in a temporary
 * folder: a self-signed CA and a server certificate it signs for 127.0.0.1 and localhost.
 * Also a test server whose backend records each session's ConnectionInfo.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ConnectionInfo, SqlBackend } from '../../src/protocol/backend.js';
import { startTestServer, type TestServer } from './helpers.js';
import type { MysqlServerOptions } from '../../src/protocol/index.js';

const run = promisify(execFile);

export const OPENSSL = '/usr/bin/openssl';
/** A reason to skip the TLS tests, or false when they can run. */
export const skipWithoutOpenssl: string | false = existsSync(OPENSSL)
  ? false
  : `${OPENSSL} is not installed (Debian package openssl); the tests need it to make certificates`;

export interface Certificates {
  readonly directory: string;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  remove(): Promise<void>;
}

export async function makeCertificates(): Promise<Certificates> {
  const directory = await mkdtemp(join(tmpdir(), 'mysql-tls-'));
  const file = (name: string): string => join(directory, name);
  const openssl = (args: string[]): Promise<unknown> =>
    run(OPENSSL, args, { cwd: directory, timeout: 30_000 });
  await openssl(['genrsa', '-out', file('ca.key'), '2048']);
  await openssl([
    'req',
    ...['-x509', '-new', '-key', file('ca.key'), '-sha256', '-days', '2'],
    ...['-subj', '/CN=Exosphere test CA', '-out', file('ca.pem')],
  ]);
  await openssl(['genrsa', '-out', file('server.key'), '2048']);
  await openssl([
    'req',
    ...['-new', '-key', file('server.key'), '-subj', '/CN=127.0.0.1', '-out', file('server.csr')],
  ]);
  await writeFile(
    file('server.ext'),
    'subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\n',
  );
  await openssl([
    'x509',
    ...['-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key')],
    ...['-CAcreateserial', '-days', '2', '-sha256', '-extfile', file('server.ext')],
    ...['-out', file('server.pem')],
  ]);
  return {
    directory,
    caFile: file('ca.pem'),
    certFile: file('server.pem'),
    keyFile: file('server.key'),
    ca: await readFile(file('ca.pem'), 'utf8'),
    cert: await readFile(file('server.pem'), 'utf8'),
    key: await readFile(file('server.key'), 'utf8'),
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}

export interface RecordingServer extends TestServer {
  /** The ConnectionInfo of every session opened, in order. */
  readonly sessions: ConnectionInfo[];
}

/** The protocol server in front of the test double, recording each session's ConnectionInfo. */
export async function startRecordingServer(
  options: Partial<MysqlServerOptions>,
): Promise<RecordingServer> {
  const sessions: ConnectionInfo[] = [];
  // The test double startTestServer creates, known once it has started.
  const inner: { backend?: SqlBackend } = {};
  const recording: SqlBackend = {
    get serverVersion() {
      return inner.backend?.serverVersion ?? '';
    },
    lookupAccount: (user, address) => inner.backend!.lookupAccount(user, address),
    openSession: (info) => {
      sessions.push(info);
      return inner.backend!.openSession(info);
    },
  };
  const test = await startTestServer({ ...options, backend: recording });
  inner.backend = test.backend;
  return { ...test, sessions };
}
