/**
 * The aggregator with TLS options (`exo sql aggregator --tls-cert --tls-key
 * --require-secure-transport`): @@have_ssl and @@require_secure_transport, a TLS client
 * served, a plain client refused with 3159 even as root on loopback.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { startAggregator, type RunningAggregator } from '../../src/index.js';
import { makeCertificates, skipWithoutOpenssl, type Certificates } from './tls-fixtures.js';

describe('aggregator with TLS', { skip: skipWithoutOpenssl }, () => {
  let certificates: Certificates;
  let home: string;
  let aggregator: RunningAggregator;
  before(async () => {
    certificates = await makeCertificates();
    home = await mkdtemp(join(tmpdir(), 'exo-sql-tls-'));
    aggregator = await startAggregator({
      home,
      port: 0,
      singleNode: true,
      tls: { cert: certificates.cert, key: certificates.key },
      requireSecureTransport: true,
    });
  });
  after(async () => {
    await aggregator.close();
    await rm(home, { recursive: true, force: true });
    await certificates.remove();
  });

  it('reports have_ssl and require_secure_transport to a TLS client', async () => {
    const connection = await mysql.createConnection({
      host: '127.0.0.1',
      port: aggregator.port,
      user: 'root',
      ssl: { ca: certificates.ca },
    });
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(
        'SELECT @@have_ssl AS have_ssl, @@require_secure_transport AS required',
      );
      assert.equal(rows[0]?.have_ssl, 'YES');
      assert.equal(Number(rows[0]?.required), 1);
      const [status] = await connection.query<mysql.RowDataPacket[]>("SHOW STATUS LIKE 'Ssl_%'");
      const byName = new Map(status.map((row) => [row['Variable_name'], row['Value']]));
      assert.match(String(byName.get('Ssl_version')), /^TLSv1\.[23]$/);
      assert.ok(String(byName.get('Ssl_cipher')).length > 0, 'Ssl_cipher names the cipher');
      await assert.rejects(connection.query('SET SESSION require_secure_transport = 0'), {
        errno: 1238,
      });
    } finally {
      await connection.end();
    }
  });

  it('refuses root on loopback without TLS', async () => {
    await assert.rejects(
      mysql.createConnection({ host: '127.0.0.1', port: aggregator.port, user: 'root' }),
      (error: unknown) => (error as { errno: number }).errno === 3159,
    );
  });
});
