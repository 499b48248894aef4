/**
 * `exo sql leaf --cores N`: a leaf that shares its machine uses N cores — its engine's threads,
 * and one partition per core in a new database's default. Real `exo sql leaf` and
 * `exo sql aggregator` processes, asked with the real `mariadb` client.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { exoMain } from './helpers/processes.js';

const run = promisify(execFile);
const children: ChildProcess[] = [];
let home: string | undefined;

/** Starts `exo <args>` and resolves with the port its "listening on" line names. */
function start(args: string[]): Promise<number> {
  const child = spawn(process.execPath, [exoMain, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, EXO_LOG_LEVEL: 'warn' },
  });
  children.push(child);
  let text = '';
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`exo did not start:\n${text}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (?:mysql:\/\/root@)?[^:\s]+:(\d+)/.exec(text);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exo exited with ${String(code)}:\n${text}`));
    });
  });
}

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(
    children
      .filter((child) => child.exitCode === null)
      .map((child) => new Promise((resolve) => child.once('exit', resolve))),
  );
  if (home !== undefined) await rm(home, { recursive: true, force: true });
});

void test('a leaf started with --cores 1 holds one partition of a new database', async () => {
  home = await mkdtemp(join(tmpdir(), 'exo-cli-cores-'));
  const leafPort = await start([
    'sql',
    'leaf',
    '--home',
    join(home, 'leaf'),
    '--port',
    '0',
    '--cores',
    '1',
  ]);
  const port = await start([
    'sql',
    'aggregator',
    '--home',
    join(home, 'aggregator'),
    '--port',
    '0',
    '--single-node',
    '--leaf',
    `127.0.0.1:${leafPort}`,
  ]);
  const { stdout } = await run('mariadb', [
    '-h127.0.0.1',
    `-P${port}`,
    '-uroot',
    '-N',
    '-e',
    'CREATE DATABASE cores_one; USE cores_one; SHOW PARTITIONS',
  ]);
  assert.equal(stdout.trim().split('\n').length, 1, stdout);
});

void test('--cores takes a whole number from 1', async () => {
  for (const bad of ['0', '1.5', 'two']) {
    const failed = await run(process.execPath, [exoMain, 'sql', 'leaf', '--cores', bad]).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    assert.equal(failed?.code, 2, bad);
    assert.match(failed?.stderr ?? '', /--cores must be a whole number 1-1024/);
  }
});
