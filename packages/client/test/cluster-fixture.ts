import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgent, startMaster, type RunningMaster, type StartedAgent } from '@exosphere/cluster';
import { silentLogger } from '@exosphere/common';
import { ExosphereClient } from '../src/index.js';

/** A real master and a real agent on port 0, each with its home in a temporary folder. */
export interface TestCluster {
  readonly master: RunningMaster;
  readonly agent: StartedAgent;
  readonly client: ExosphereClient;
  close(): Promise<void>;
}

export async function startTestCluster(): Promise<TestCluster> {
  const masterHome = await mkdtemp(join(tmpdir(), 'exo-client-master-'));
  const agentHome = await mkdtemp(join(tmpdir(), 'exo-client-agent-'));
  const master = await startMaster({
    home: masterHome,
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger(),
  });
  const agent = await startAgent({
    home: agentHome,
    masterUrl: master.url,
    port: 0,
    token: master.token,
    logger: silentLogger(),
    attributes: { zone: 'a' },
    resources: 'cpus=4;mem=4096;disk=1000;ports=[31000-31100]',
    // Tests run without root; isolation is covered by the agent's own tests.
    cgroupRoot: false,
  });
  const client = new ExosphereClient({ url: master.url, timeoutMs: 10_000 });
  await waitFor(async () => (await client.agents.list()).some((a) => a.id === agent.agentId), {
    what: 'the agent to register',
  });
  return {
    master,
    agent,
    client,
    async close() {
      await agent.close({ killTasks: true });
      await master.close();
      await rm(masterHome, { recursive: true, force: true });
      await rm(agentHome, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns something truthy, failing after `timeoutMs` (default 15 s). */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}

/** A tiny app that runs until killed. */
export function sleeper(
  id: string,
  instances = 1,
): { id: string; cmd: string; cpus: number; mem: number; instances: number } {
  return { id, cmd: 'sleep 1000', cpus: 0.05, mem: 16, instances };
}
