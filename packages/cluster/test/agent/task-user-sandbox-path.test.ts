import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '@exosphere/common';
import { startAgent, type StartedAgent } from '../../src/agent/start-agent.js';
import { startMaster, type RunningMaster } from '../../src/master/start-master.js';
import { waitFor } from '../helpers/cluster.js';

// Starting a process as another user needs root; CI and `exo up` machines run the agent so.
const asRoot = process.getuid?.() === 0;

/**
 * A task's user reaches its sandbox by absolute path, as under Mesos: the agent opens its own
 * directories from its home down (o+x only); a parent it does not own that the user cannot
 * search is named in the task's stderr, and the task still runs in its sandbox.
 */
describe(
  'a task user reaches its sandbox by absolute path',
  { skip: asRoot ? false : 'needs an agent running as root' },
  () => {
    let master: RunningMaster;
    let agent: StartedAgent;
    let agentHome: string;
    let outer: string;

    before(async () => {
      // mkdtemp makes 0700 folders: the agent's home itself is one, as `exo up` homes are.
      agentHome = await mkdtemp(join(tmpdir(), 'exo-sandbox-path-'));
      outer = await mkdtemp(join(tmpdir(), 'exo-sandbox-outer-'));
      master = await startMaster({
        home: join(outer, 'master'),
        host: '127.0.0.1',
        port: 0,
        logger: silentLogger(),
        settings: { heartbeatIntervalMs: 200 },
      });
      agent = await startAgent({
        home: agentHome,
        masterUrl: master.url,
        port: 0,
        hostname: '127.0.0.1',
        resources: 'cpus=4;mem=4096;disk=1000;ports=[31000-31009]',
        attributes: {},
        token: master.token,
        logger: silentLogger(),
        heartbeatIntervalMs: 200,
      });
    });

    after(async () => {
      await agent.close({ killTasks: true });
      await master.close();
      await rm(agentHome, { recursive: true, force: true });
      await rm(outer, { recursive: true, force: true });
    });

    async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(master.url + path, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }

    test('cat "$MESOS_SANDBOX/file" and a write by absolute path work as nobody', async () => {
      await api('POST', '/v1/jobs', {
        id: 'sandbox.path',
        run: {
          user: 'nobody',
          cmd: 'echo note > note && cat "$MESOS_SANDBOX/note" > "$MESOS_SANDBOX/copied" && cd "$MESOS_SANDBOX" && echo "$(id -u)" > "$MESOS_SANDBOX/done"',
          cpus: 0.1,
          mem: 32,
          disk: 0,
        },
      });
      await api('POST', '/v1/jobs/sandbox.path/runs');
      const sandboxes = join(agentHome, 'sandboxes');
      let sandbox = '';
      await waitFor(
        async () => {
          for (const name of await readdir(sandboxes).catch(() => [])) {
            const done = await readFile(join(sandboxes, name, 'done'), 'utf8').catch(() => '');
            if (done !== '') sandbox = join(sandboxes, name);
          }
          if (sandbox !== '') return true;
          const jobs = await api<Array<{ history?: { failedFinishedRuns?: unknown[] } }>>(
            'GET',
            '/v1/jobs?embed=history',
          );
          // A failed run means the command could not reach its sandbox: stop waiting.
          if ((jobs[0]?.history?.failedFinishedRuns?.length ?? 0) > 0)
            throw new Error('the run failed before writing by absolute path');
          return false;
        },
        20_000,
        'the job to write by absolute path',
      );
      assert.equal(await readFile(join(sandbox, 'done'), 'utf8'), '65534\n');
      assert.equal(await readFile(join(sandbox, 'copied'), 'utf8'), 'note\n');
      // Only search permission was added to the agent's home, never read or list.
      assert.equal((await stat(agentHome)).mode & 0o777, 0o701);
    });

    test('a parent the agent does not own and nobody cannot search: the task runs, its stderr says why absolute paths fail', async () => {
      // A second agent whose home is below a 0700 folder it must not change (as
      // `exo up --home $(mktemp -d)` places its agent).
      const inner = join(outer, 'agent');
      const second = await startAgent({
        home: inner,
        masterUrl: master.url,
        port: 0,
        hostname: '127.0.0.2',
        resources: 'cpus=4;mem=4096;disk=1000;ports=[31010-31019]',
        attributes: { rack: 'closed' },
        token: master.token,
        logger: silentLogger(),
        heartbeatIntervalMs: 200,
      });
      try {
        await api('POST', '/v2/apps', {
          id: '/sandbox/closed',
          user: 'nobody',
          cmd: 'echo relative > here && sleep 1000',
          cpus: 0.1,
          mem: 32,
          constraints: [['rack', 'CLUSTER', 'closed']],
        });
        const sandboxes = join(inner, 'sandboxes');
        let sandbox = '';
        await waitFor(
          async () => {
            for (const name of await readdir(sandboxes).catch(() => [])) {
              const here = await readFile(join(sandboxes, name, 'here'), 'utf8').catch(() => '');
              if (here !== '') sandbox = join(sandboxes, name);
            }
            return sandbox !== '';
          },
          20_000,
          'the task to write in its working directory',
        );
        const stderr = await readFile(join(sandbox, 'stderr'), 'utf8');
        assert.match(
          stderr,
          new RegExp(
            `^exo: warning: user 'nobody' cannot reach its sandbox by absolute path \\(\\$MESOS_SANDBOX\\): directory ${outer} \\(mode 0700`,
          ),
        );
        await waitFor(
          async () =>
            (await api<{ app: { tasksRunning: number } }>('GET', '/v2/apps/sandbox/closed')).app
              .tasksRunning === 1,
          10_000,
          'the task to be running',
        );
        assert.equal((await stat(outer)).mode & 0o777, 0o700, 'the parent is left alone');
        await api('DELETE', '/v2/apps/sandbox/closed');
      } finally {
        await second.close({ killTasks: true });
      }
    });
  },
);
