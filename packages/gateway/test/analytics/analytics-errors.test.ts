import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AnalyticsErrors } from '../../src/analytics/analytics-errors.js';
import { parseSqlUrl } from '../../src/analytics/settings.js';
import { tableStatements } from '../../src/analytics/sql-table.js';
import { analyticsSqlSchema } from '../../src/analytics/settings.js';

const docs = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  '..',
  'docs',
  'errors.md',
);

test('every analytics error code is documented in docs/errors.md under gateway/analytics', async () => {
  const text = await readFile(docs, 'utf8');
  assert.ok(text.includes('## gateway/analytics'));
  const section = text.slice(text.indexOf('## gateway/analytics'));
  for (const [code, spec] of Object.entries(AnalyticsErrors)) {
    if (typeof spec !== 'object' || spec === null || !('status' in spec)) continue;
    const row = new RegExp(
      `\\|\\s*\`${code}\`\\s*\\|\\s*${(spec as { status: number }).status}\\s*\\|\\s*\\S`,
    );
    assert.match(section, row, `${code} is documented`);
  }
});

test('SQL URLs: TCP with defaults, credentials, unix sockets; bad ones get a message', () => {
  assert.deepEqual(parseSqlUrl('mysql://root@127.0.0.1:3307'), {
    host: '127.0.0.1',
    port: 3307,
    user: 'root',
    password: undefined,
    socketPath: undefined,
  });
  const withPassword = parseSqlUrl('mysql://analytics:s%40cret@db.internal');
  assert.ok(typeof withPassword !== 'string');
  assert.equal(withPassword.password, 's@cret');
  assert.equal(withPassword.port, 3306);
  const socket = parseSqlUrl('mysql://root@localhost/?socket=%2Frun%2Fmysqld.sock');
  assert.ok(typeof socket !== 'string');
  assert.equal(socket.socketPath, '/run/mysqld.sock');
  assert.equal(typeof parseSqlUrl('postgres://x@y'), 'string');
  assert.equal(typeof parseSqlUrl('not a url'), 'string');
  assert.equal(analyticsSqlSchema.safeParse({ url: 'redis://x' }).success, false);
  assert.equal(
    analyticsSqlSchema.safeParse({ url: 'mysql://root@h', table: 'calls; DROP' }).success,
    false,
  );
});

test('the exosphere dialect declares a sharded columnstore; the mysql dialect does not', () => {
  const exosphere = tableStatements(analyticsSqlSchema.parse({ url: 'mysql://root@h' }));
  assert.equal(exosphere[0], 'CREATE DATABASE IF NOT EXISTS `exo_analytics`');
  assert.match(exosphere[1]!, /CREATE TABLE IF NOT EXISTS `exo_analytics`\.`api_calls`/);
  assert.match(exosphere[1]!, /SORT KEY \(`ts`\)/);
  assert.match(exosphere[1]!, /SHARD KEY \(`trace_id`\)/);
  const mysql = tableStatements(
    analyticsSqlSchema.parse({ url: 'mysql://root@h', dialect: 'mysql' }),
  );
  assert.doesNotMatch(mysql[1]!, /SHARD|SORT/);
});
