import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '@exosphere/common';
import { startAgent } from '../../src/agent/start-agent.js';
import { startMaster } from '../../src/master/start-master.js';
import { waitFor } from '../helpers/cluster.js';

test('an agent without attributes registers; a registration without attributes or tasks is accepted', async () => {
  const home = await mkdtemp(join(tmpdir(), 'exo-register-'));
  const master = await startMaster({
    home: join(home, 'master'),
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger(),
  });
  const agent = await startAgent({
    home: join(home, 'agent'),
    masterUrl: master.url,
    port: 0,
    token: master.token,
    logger: silentLogger(),
    resources: 'cpus=1;mem=256;disk=10;ports=[29000-29009]',
  });
  try {
    await waitFor(
      async () =>
        ((await (await fetch(`${master.url}/v1/agents`)).json()) as { agents: unknown[] }).agents
          .length === 1,
      10_000,
      'the agent',
    );
    const response = await fetch(`${master.url}/internal/v1/agents/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${master.token}` },
      body: JSON.stringify({
        agentId: 'bare',
        hostname: 'bare',
        url: 'http://127.0.0.1:1',
        resources: { cpus: 1, mem: 1, disk: 1, ports: [] },
      }),
    });
    assert.equal(response.status, 200);
    const missing = await fetch(`${master.url}/internal/v1/agents/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${master.token}` },
      body: '{}',
    });
    assert.equal(missing.status, 422, 'required fields are still required');
  } finally {
    await agent.close({ killTasks: true });
    await master.close();
    await rm(home, { recursive: true, force: true });
  }
});
