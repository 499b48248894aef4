/**
 * The Debian `mariadb` command-line client against the protocol server (with the test
 * double backend). Skipped, with the reason, where the client is not installed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './helpers.js';

const CLIENT = '/usr/bin/mariadb';
const skip = existsSync(CLIENT) ? false : `${CLIENT} is not installed`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: string[], options: { cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      CLIENT,
      ['--no-defaults', ...args],
      { timeout: 20_000, cwd: options.cwd },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('mariadb command-line client', { skip }, () => {
  let test: TestServer;
  let directory: string;
  before(async () => {
    test = await startTestServer();
    directory = await mkdtemp(join(tmpdir(), 'mysql-protocol-'));
  });
  after(async () => {
    await test.server.close();
    await rm(directory, { recursive: true, force: true });
  });

  const connect = (): string[] => [
    '-h',
    '127.0.0.1',
    '-P',
    String(test.port),
    '-u',
    'root',
    '-psecret',
  ];

  it('prints batch output', async () => {
    const result = await run([...connect(), '-B', '-e', 'SELECT id, name FROM t']);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.equal(result.stdout, 'id\tname\n1\théllo ✓\n2\tNULL\n3\tx\n');
  });

  it('prints every type and several results', async () => {
    const result = await run([...connect(), '-B', '-N', '-e', 'SELECT * FROM t; SELECT 7']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    const first = lines[0]!.split('\t');
    assert.deepEqual(first.slice(0, 11), [
      '1',
      '-5',
      '-300',
      '-9007199254740993',
      '18446744073709551615',
      '12.50',
      '0.1',
      '1.5',
      'abc',
      'héllo ✓',
      'long text',
    ]);
    assert.ok(first[11]!.startsWith('\\0'));
    assert.deepEqual(first.slice(12), [
      '2024-02-29',
      '2024-02-29 13:14:15.123456',
      '1970-01-01 00:00:01',
      '-838:59:59',
      '{"a":[1,2]}',
      '1',
      'NULL',
    ]);
    assert.equal(lines[2]!.split('\t')[6], '1e21');
    assert.equal(lines.at(-1), '7');
  });

  it('exits with 1 and prints the error on stderr', async () => {
    const result = await run([...connect(), '-B', '-e', 'SELECT * FROM missing']);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^ERROR 1146 \(42S02\) at line 1: Table 'test\.missing' doesn't exist$/m,
    );
  });

  it('refuses a wrong password', async () => {
    const result = await run([
      '-h',
      '127.0.0.1',
      '-P',
      String(test.port),
      '-u',
      'root',
      '-pnope',
      '-e',
      'SELECT 1',
    ]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /ERROR 1045 \(28000\): Access denied for user 'root'@'127\.0\.0\.1' \(using password: YES\)/,
    );
  });

  it('connects with caching_sha2_password and to a named database', async () => {
    const result = await run([
      ...connect(),
      '--default-auth=caching_sha2_password',
      '-D',
      'app',
      '-B',
      '-N',
      '-e',
      'SELECT DATABASE()',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'app\n');
  });

  it('loads a local file with --local-infile=1', async () => {
    const file = join(directory, 'rows.csv');
    await writeFile(file, '1,a\n2,b\n3,c\n');
    const result = await run([
      ...connect(),
      '--local-infile=1',
      '-e',
      `LOAD DATA LOCAL INFILE '${file}' INTO TABLE t`,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(test.backend.loadedFiles.at(-1), {
      fileName: file,
      content: '1,a\n2,b\n3,c\n',
    });
  });
});
