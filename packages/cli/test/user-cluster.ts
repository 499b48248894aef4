import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExosphereClient } from '@exosphere/client';
import { startAgent, startMaster, type RunningMaster, type StartedAgent } from '@exosphere/cluster';
import { silentLogger } from '@exosphere/common';

/** The compiled CLI, next to this compiled test (dist/test → dist/src). */
export const mainPath = fileURLToPath(new URL('../src/main.js', import.meta.url));

/** A real master and agent on port 0 for the CLI to talk to, plus an empty EXO_HOME. */
export interface UserCluster {
  readonly master: RunningMaster;
  readonly agent: StartedAgent;
  readonly client: ExosphereClient;
  /** A home with no endpoints.json, so the user's own ~/.exosphere never leaks into a test. */
  readonly exoHome: string;
  close(): Promise<void>;
}

export async function startUserCluster(): Promise<UserCluster> {
  const masterHome = await mkdtemp(join(tmpdir(), 'exo-cli-master-'));
  const agentHome = await mkdtemp(join(tmpdir(), 'exo-cli-agent-'));
  const exoHome = await mkdtemp(join(tmpdir(), 'exo-cli-home-'));
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
    cgroupRoot: false,
  });
  const client = new ExosphereClient({ url: master.url });
  await waitFor(async () => (await client.agents.list()).length > 0, {
    what: 'the agent to register',
  });
  return {
    master,
    agent,
    client,
    exoHome,
    async close() {
      await agent.close({ killTasks: true });
      await master.close();
      for (const path of [masterHome, agentHome, exoHome])
        await rm(path, { recursive: true, force: true });
    },
  };
}

export interface ExoRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `exo ARGS` as a child process; `input` goes to its standard input. */
export function runExo(
  args: readonly string[],
  options: { exoHome: string; input?: string; timeoutMs?: number },
): Promise<ExoRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, EXO_HOME: options.exoHome };
  delete env.EXO_MASTER;
  delete env.EXO_TOKEN;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainPath, ...args], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Polls `check` until it returns something truthy, failing after `timeoutMs` (default 15 s). */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { what: string; timeoutMs?: number },
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
