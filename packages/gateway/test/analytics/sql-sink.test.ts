import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import type { AnalyticsStatus } from '../../src/analytics/analytics-service.js';
import { generateApiKey } from '../../src/policies/security/api-key.js';
import {
  eventually,
  getJson,
  startTestGateway,
  startUpstream,
  type TestGateway,
  type Upstream,
} from '../helpers.js';
import { missingMariadb, startTestMariadb, type TestMariadb } from './mariadb-server.js';

const reason = missingMariadb();
const bufferRowsMax = 50;

/**
 * The SQL sink against a real MariaDB (the `mysql` dialect: MariaDB rejects SingleStore's SHARD
 * KEY): rows arrive; a killed server costs the proxy nothing, rows beyond the retry buffer are
 * dropped and counted, and writing resumes when it is back; a stalled server times the INSERT
 * out and the batch is retried.
 */
describe('analytics SQL sink against MariaDB', { skip: reason }, () => {
  let mariadb: TestMariadb;
  let upstream: Upstream;
  let gateway: TestGateway;
  const key = generateApiKey({ id: 'shop-1' });

  async function query<T>(sql: string): Promise<T[]> {
    const connection: Connection = await createConnection({
      socketPath: mariadb.socketPath,
      user: 'root',
    });
    try {
      const [rows] = await connection.query<RowDataPacket[]>(sql);
      return rows as T[];
    } finally {
      await connection.end();
    }
  }

  async function rowCount(): Promise<number> {
    try {
      const [row] = await query<{ rows: number }>(
        'SELECT COUNT(*) AS `rows` FROM exo_analytics.api_calls',
      );
      return Number(row?.rows ?? 0);
    } catch {
      return -1;
    }
  }

  async function call(path: string, withKey = true): Promise<number> {
    const response = await fetch(`${gateway.url}${path}`, {
      headers: withKey ? { apikey: key.key } : {},
    });
    await response.arrayBuffer();
    return response.status;
  }

  async function analyticsStatus(): Promise<AnalyticsStatus> {
    return (await getJson(`${gateway.adminUrl}/analytics/status`)).body as AnalyticsStatus;
  }

  async function sinkStatus(): Promise<NonNullable<AnalyticsStatus['sql']>> {
    const { sql } = await analyticsStatus();
    assert.ok(sql);
    return sql;
  }

  before(async () => {
    mariadb = await startTestMariadb();
    upstream = await startUpstream('origin');
    gateway = await startTestGateway({
      upstreams: [{ name: 'origin', targets: [{ url: upstream.url }] }],
      routes: [
        {
          name: 'orders',
          match: { paths: ['/orders/{id}'] },
          upstream: 'origin',
          policies: [
            { type: 'api-key', keys: [{ id: key.id, hash: key.hash, application: 'shop' }] },
          ],
        },
      ],
      analytics: {
        drainIntervalMs: 20,
        sql: {
          url: mariadb.url,
          dialect: 'mysql',
          batchRows: 10,
          flushIntervalMs: 30,
          bufferRowsMax,
          timeoutMs: 500,
          retryMinMs: 20,
          retryMaxMs: 200,
        },
      },
    });
  });

  after(async () => {
    await gateway?.close();
    await upstream?.close();
    await mariadb?.close();
  });

  it('writes every call as a row, creating the database and table', async () => {
    const statuses = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => call(`/orders/${i}`)),
      ...Array.from({ length: 3 }, () => call('/orders/1', false)),
      ...Array.from({ length: 2 }, () => call('/elsewhere', false)),
    ]);
    assert.equal(statuses.filter((status) => status === 200).length, 20);
    await eventually(async () => (await rowCount()) === 25, 10_000);
    const rows = await query<Record<string, unknown>>(
      'SELECT * FROM exo_analytics.api_calls ORDER BY ts',
    );
    const ok = rows.find((row) => row.status === 200)!;
    assert.equal(ok.route, 'orders');
    assert.equal(ok.operation, 'GET /orders/{id}');
    assert.equal(ok.application, 'shop');
    assert.equal(ok.api, null);
    assert.equal(ok.error_code, null);
    assert.ok(Number(ok.latency_ms) > 0);
    assert.ok(Number(ok.upstream_latency_ms) > 0);
    assert.ok(Number(ok.request_bytes) > 0 && Number(ok.response_bytes) > 0);
    assert.equal(ok.client_ip, '127.0.0.1');
    assert.match(String(ok.trace_id), /^[0-9a-f]{32}$/);
    assert.ok(Math.abs(new Date(ok.ts as string | Date).getTime() - Date.now()) < 60_000);
    const codes = rows.map((row) => `${String(row.status)} ${String(row.error_code)}`);
    assert.equal(codes.filter((code) => code === '401 EXO_GATEWAY_UNAUTHORIZED').length, 3);
    assert.equal(codes.filter((code) => code === '404 EXO_GATEWAY_NO_ROUTE').length, 2);
  });

  it('keeps serving while MariaDB is down, drops beyond the buffer, and resumes', async () => {
    await mariadb.kill();
    await eventually(async () => !(await sinkStatus()).connected, 5000);
    const before = await analyticsStatus();
    // The proxy path does not depend on the sink: every call succeeds while it is down.
    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => call(`/orders/${i}`)));
    assert.deepEqual(new Set(statuses), new Set([200]));
    await eventually(async () => (await sinkStatus()).errors > (before.sql?.errors ?? 0), 5000);
    const during = await analyticsStatus();
    assert.equal(during.sql?.connected, false);
    assert.equal(during.sql.bufferedRows, bufferRowsMax);
    // Every call is either waiting in the buffer or dropped and counted.
    assert.equal(
      during.dropped.sink - before.dropped.sink + bufferRowsMax - (before.sql?.bufferedRows ?? 0),
      100,
    );
    assert.equal(during.dropped.queue, 0);
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    assert.ok(
      metrics.includes(`exo_gateway_analytics_dropped_total{stage="sink"} ${during.dropped.sink}`),
    );
    assert.match(metrics, /exo_gateway_analytics_sink_connected 0/);

    await mariadb.start();
    const expected = (before.sql?.flushedRows ?? 0) + bufferRowsMax;
    await eventually(async () => (await rowCount()) === expected, 10_000);
    const resumed = await sinkStatus();
    assert.equal(resumed.connected, true);
    assert.equal(resumed.bufferedRows, 0);
  });

  it('retries a batch whose INSERT timed out on a stalled server', async () => {
    const before = await sinkStatus();
    mariadb.pause();
    try {
      const statuses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => call(`/orders/${i}`)),
      );
      assert.deepEqual(new Set(statuses), new Set([200]));
      // The INSERT (10 rows) waits 500 ms, times out, and goes back to the buffer.
      await eventually(
        async () => (await sinkStatus()).retriedRows >= before.retriedRows + 10,
        5000,
      );
    } finally {
      mariadb.resume();
    }
    // At least once: the stalled INSERT may still be applied when the server resumes, so the
    // same call can appear twice; every call appears.
    await eventually(async () => {
      const [row] = await query<{ calls: number }>(
        'SELECT COUNT(DISTINCT trace_id) AS calls FROM exo_analytics.api_calls',
      ).catch(() => [{ calls: 0 }]);
      return Number(row?.calls) === 25 + bufferRowsMax + 10;
    }, 10_000);
  });
});
