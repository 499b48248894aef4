import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '@exosphere/common';
import { startGateway } from '../../src/index.js';
import type { AnalyticsStatus } from '../../src/analytics/analytics-service.js';

test('analytics records calls by default, even without a configuration file', async () => {
  const home = await mkdtemp(join(tmpdir(), 'exo-gateway-analytics-'));
  const gateway = await startGateway({ home, logger: silentLogger() });
  try {
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${gateway.url}/nowhere`);
      assert.equal(response.status, 404);
      await response.arrayBuffer();
    }
    const status = (await (
      await fetch(`${gateway.adminUrl}/analytics/status`)
    ).json()) as AnalyticsStatus;
    assert.equal(status.enabled, true);
    assert.equal(status.recorded, 3);
  } finally {
    await gateway.close();
    await rm(home, { recursive: true, force: true });
  }
});

test('an invalid analytics SQL setting from the caller is refused at start', async () => {
  const home = await mkdtemp(join(tmpdir(), 'exo-gateway-analytics-'));
  try {
    await assert.rejects(
      startGateway({ home, logger: silentLogger(), analyticsSql: { url: 'postgres://x' } }),
      { code: 'EXO_GATEWAY_CONFIG_INVALID' },
    );
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
