// The MySQL-protocol runners against a real throwaway MariaDB: TPC-H SF 0.01 answers checked
// against DuckDB direct, a short OLTP run, and a clean stop. Skipped when MariaDB is not installed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { missingMariadb, startMariadb, type MariadbHandle } from './mariadb.js';
import { runOltp } from './oltp.js';
import { compareResults } from './tpch/compare.js';
import { ensureTpchData } from './tpch/generate.js';
import { tpchQueries } from './tpch/queries.js';
import { runDuckdb } from './tpch/run-duckdb.js';
import { runMysql } from './tpch/run-mysql.js';

const skip = missingMariadb();

describe('MySQL-protocol runners on MariaDB', { skip }, () => {
  let server: MariadbHandle;
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'exo-tpch-mysql-'));
    server = await startMariadb({ bufferPoolSize: '128M' });
  });

  after(async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('answers the 22 TPC-H queries at SF 0.01 as DuckDB does', async () => {
    const data = await ensureTpchData({ sf: 0.01, root });
    const reference = await runDuckdb({ data, runs: 1 });
    const report = await runMysql({ url: server.url, data, runs: 1, timeoutMs: 30_000 });
    assert.equal(report.queries.length, 22);
    for (const query of tpchQueries(0.01)) {
      const outcome = report.queries.find((candidate) => candidate.number === query.number);
      const expected = reference.queries.find((candidate) => candidate.number === query.number);
      assert.equal(outcome?.status, 'ok', `Q${query.number}: ${outcome?.error ?? outcome?.status}`);
      assert.ok(expected?.result && outcome.result);
      assert.deepEqual(
        compareResults(expected.result, outcome.result, query.orderBy),
        [],
        `Q${query.number}`,
      );
    }
  });

  it('reports a query that outlives its timeout as "timeout"', async () => {
    const data = await ensureTpchData({ sf: 0.01, root });
    // Q9 joins six tables: far longer than a millisecond even at SF 0.01.
    const report = await runMysql({ url: server.url, data, runs: 1, timeoutMs: 1, only: [9] });
    assert.equal(report.queries[0]?.status, 'timeout');
  });

  it('runs point selects and upserts at two concurrencies', async () => {
    const report = await runOltp({
      url: server.url,
      rows: 1000,
      durationMs: 300,
      concurrencies: [1, 4],
    });
    assert.equal(report.phases.length, 4);
    for (const phase of report.phases) {
      assert.equal(phase.errors, 0, `${phase.workload} × ${phase.concurrency}`);
      assert.ok(phase.operations > 0 && phase.p99Ms >= phase.p50Ms);
    }
  });

  it('stops the server and removes its temporary folder', async () => {
    // Runs last; the stop() in after() is then a no-op returning the same promise.
    await server.stop();
    assert.equal(existsSync(dirname(server.socketPath)), false);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: server.host, port: server.port });
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });
    assert.equal(refused, true);
  });
});
