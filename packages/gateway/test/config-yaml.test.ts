import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '@exosphere/common';
import { startGateway } from '../src/gateway.js';
import { getJson, startUpstream } from './helpers.js';

test('a YAML configuration file (comments, block style) configures the gateway', async () => {
  const home = await mkdtemp(join(tmpdir(), 'exo-gateway-yaml-'));
  const upstream = await startUpstream('yaml');
  const configPath = join(home, 'gateway.yaml');
  await writeFile(
    configPath,
    [
      '# the whole platform reads this file at start and on every change',
      'upstreams:',
      '  - name: backend',
      '    targets:',
      `      - url: ${upstream.url}`,
      'routes:',
      '  - name: api',
      '    match:',
      '      paths: ["/api/*"]',
      '      methods: [GET]',
      '    rewrite: { stripPrefix: true }',
      '    upstream: backend',
      '',
    ].join('\n'),
  );
  const gateway = await startGateway({
    home,
    configPath,
    port: 0,
    adminPort: 0,
    logger: silentLogger(),
  });
  try {
    const response = await getJson(`${gateway.url}/api/orders`);
    assert.equal(response.status, 200);
    assert.equal((response.body as { url: string }).url, '/orders');
    await writeFile(configPath, 'routes:\n  - name: broken\n    upstream: nowhere\n');
    await gateway.reload().catch(() => undefined);
    assert.equal(
      (await getJson(`${gateway.url}/api/orders`)).status,
      200,
      'an invalid YAML file leaves the running config serving',
    );
  } finally {
    await gateway.close();
    await upstream.close();
    await rm(home, { recursive: true, force: true });
  }
});
