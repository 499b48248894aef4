import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@exosphere/common';
import { startAgent, type StartedAgent } from '../../src/agent/start-agent.js';
import type { MasterSettings } from '../../src/master/context.js';
import { startMaster, type RunningMaster } from '../../src/master/start-master.js';

export interface TestCluster {
  master: RunningMaster;
  agents: StartedAgent[];
  url: string;
  home: string;
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/**
 * A real master and real agents in this process, on loopback with port 0 and temp homes.
 * Each cluster's agents get a random 100-port task range below the ephemeral range, so
 * clusters of tests running in parallel do not hand out the same ports.
 */
export async function startTestCluster(
  options: {
    agents?: number;
    settings?: Partial<MasterSettings>;
    attributes?: Array<Record<string, string>>;
  } = {},
): Promise<TestCluster> {
  const home = await mkdtemp(join(tmpdir(), 'exo-cluster-'));
  const master = await startMaster({
    home: join(home, 'master'),
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger(),
    settings: { heartbeatIntervalMs: 200, ...options.settings },
  });
  const agents: StartedAgent[] = [];
  for (let i = 0; i < (options.agents ?? 1); i++) {
    const base = 20000 + Math.floor(Math.random() * 90) * 100;
    agents.push(
      await startAgent({
        home: join(home, `agent${i}`),
        masterUrl: master.url,
        port: 0,
        hostname: `127.0.0.${i + 1}`,
        resources: `cpus=4;mem=4096;disk=1000;ports=[${base}-${base + 99}]`,
        attributes: options.attributes?.[i] ?? {},
        token: master.token,
        logger: silentLogger(),
        heartbeatIntervalMs: 200,
      }),
    );
  }
  const url = master.url;
  await waitFor(
    async () => {
      const response = await fetch(`${url}/v1/agents`);
      const body = (await response.json()) as { agents: unknown[] };
      return body.agents.length === agents.length;
    },
    10_000,
    'agents to register',
  );
  return {
    master,
    agents,
    url,
    home,
    async api<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(url + path, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async close() {
      for (const agent of agents) await agent.close({ killTasks: true });
      await master.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Polls `condition` until it holds or `timeoutMs` passes. */
export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
  );
}

/** Waits for an app's `lastTaskFailure` and returns its message (a launch that failed). */
export async function lastTaskFailure(cluster: TestCluster, appId: string): Promise<string> {
  let message = '';
  await waitFor(
    async () => {
      const { body } = await cluster.api<{ app: { lastTaskFailure?: { message: string } } }>(
        'GET',
        `/v2/apps${appId}`,
      );
      message = body.app.lastTaskFailure?.message ?? '';
      return message !== '';
    },
    20_000,
    `a task of ${appId} to fail`,
  );
  return message;
}

/** Waits until a task wrote `path` (non-empty) and returns its text. */
export async function writtenFile(path: string, what: string): Promise<string> {
  let text = '';
  await waitFor(
    async () => {
      text = await readFile(path, 'utf8').catch(() => '');
      return text !== '';
    },
    20_000,
    what,
  );
  return text;
}
