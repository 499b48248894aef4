import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import {
  lastTaskFailure,
  startTestCluster,
  writtenFile,
  waitFor,
  type TestCluster,
} from '../helpers/cluster.js';

const run = promisify(execFile);

/** A zip archive of stored (uncompressed) files: enough for unzip, without a zip tool. */
function storedZip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(10, 4);
    header.writeUInt32LE(crc32(data), 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(10, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(header, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += header.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * Marathon's `fetch` and Metronome's `run.artifacts` with a real master, agent and HTTP server:
 * artifacts are downloaded into the sandbox before the command starts, archives unpacked,
 * executables marked, `outputFile` honoured; a URI that cannot be fetched fails the task with
 * a message naming it, and a scheme that can never be fetched is refused when written.
 */
describe('fetching artifacts into the sandbox', () => {
  let cluster: TestCluster;
  let server: Server;
  let base: string;
  let work: string;
  const served = new Map<string, Buffer>();

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'exo-fetch-'));
    await mkdir(join(work, 'tool', 'bin'), { recursive: true });
    await writeFile(join(work, 'tool', 'bin', 'hello.txt'), 'from the tarball\n');
    await run('tar', ['-czf', join(work, 'tool.tar.gz'), '-C', work, 'tool']);
    served.set('/pkg/tool.tar.gz', await readFile(join(work, 'tool.tar.gz')));
    served.set('/run.sh', Buffer.from('#!/bin/sh\necho from the script\n'));
    served.set('/notes.txt.gz', gzipSync('from the gzip\n'));
    served.set('/bundle.zip', storedZip({ 'zipped/inner.txt': 'from the zip\n' }));
    served.set('/settings', Buffer.from('from outputFile\n'));
    await writeFile(join(work, 'local.txt'), 'from a file URI\n');
    server = createServer((request, response) => {
      const body = served.get(request.url ?? '');
      if (body === undefined) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cluster = await startTestCluster({ agents: 1 });
  });

  after(async () => {
    await cluster.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(work, { recursive: true, force: true });
  });

  test('downloads, unpacks and marks artifacts before the command starts', async () => {
    const out = join(work, 'seen.txt');
    const app = {
      id: '/fetching/all',
      cmd: 'cat tool/bin/hello.txt ./notes.txt zipped/inner.txt app.cfg local.txt > "$OUT.tmp" && ./run.sh >> "$OUT.tmp" && mv "$OUT.tmp" "$OUT"; sleep 1000',
      cpus: 0.1,
      mem: 32,
      env: { OUT: out },
      fetch: [
        { uri: `${base}/pkg/tool.tar.gz` },
        { uri: `${base}/run.sh`, executable: true },
        { uri: `${base}/notes.txt.gz` },
        { uri: `${base}/bundle.zip` },
        { uri: `${base}/settings`, outputFile: 'app.cfg' },
        { uri: `file://${join(work, 'local.txt')}` },
      ],
    };
    const created = await cluster.api('POST', '/v2/apps', app);
    assert.equal(created.status, 201);
    assert.equal(
      await writtenFile(out, 'the command to see every artifact'),
      'from the tarball\nfrom the gzip\nfrom the zip\nfrom outputFile\nfrom a file URI\nfrom the script\n',
    );
    await cluster.api('DELETE', '/v2/apps/fetching/all');
  });

  test('fails the task with the URI when an artifact cannot be fetched', async () => {
    const created = await cluster.api('POST', '/v2/apps', {
      id: '/fetching/missing',
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 32,
      fetch: [{ uri: `${base}/nowhere.tgz` }],
    });
    assert.equal(created.status, 201);
    const message = await lastTaskFailure(cluster, '/fetching/missing');
    assert.equal(message, `Failed to fetch '${base}/nowhere.tgz': HTTP 404 Not Found`);
    await cluster.api('DELETE', '/v2/apps/fetching/missing');
  });

  test('refuses URIs that can never be fetched, for apps and jobs', async () => {
    const app = await cluster.api<{ details: { path: string }[] }>('POST', '/v2/apps', {
      id: '/fetching/hdfs',
      cmd: 'sleep 1',
      fetch: [{ uri: 'hdfs://namenode/app.tgz' }, { uri: 'relative/path' }],
    });
    assert.equal(app.status, 422);
    assert.deepEqual(
      app.body.details.map((detail) => detail.path),
      ['/fetch/0/uri', '/fetch/1/uri'],
    );
    const job = await cluster.api<{ details: { path: string }[] }>('POST', '/v1/jobs', {
      id: 'fetching.job',
      run: { cmd: 'true', cpus: 0.1, mem: 32, disk: 0, artifacts: [{ uri: 's3://bucket/x' }] },
    });
    assert.equal(job.status, 422);
    assert.deepEqual(
      job.body.details.map((detail) => detail.path),
      ['/run/artifacts/0/uri'],
    );
  });

  test('gives a job run its artifacts', async () => {
    const out = join(work, 'job.txt');
    const created = await cluster.api('POST', '/v1/jobs', {
      id: 'fetching.report',
      run: {
        cmd: 'cat app.cfg > "$OUT"',
        cpus: 0.1,
        mem: 32,
        disk: 0,
        env: { OUT: out },
        artifacts: [{ uri: `${base}/settings`, outputFile: 'app.cfg', extract: false }],
      },
    });
    assert.equal(created.status, 201);
    const started = await cluster.api<{ id: string }>('POST', '/v1/jobs/fetching.report/runs');
    assert.equal(started.status, 201);
    await waitFor(
      async () => {
        const { body } = await cluster.api<{ history?: { successCount: number } }>(
          'GET',
          '/v1/jobs/fetching.report?embed=history',
        );
        return (body.history?.successCount ?? 0) === 1;
      },
      20_000,
      'the run to succeed',
    );
    assert.equal(await readFile(out, 'utf8'), 'from outputFile\n');
  });
});
