import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SeededRandom } from '@exosphere/common';
import {
  api,
  portRange,
  startExo,
  stopExo,
  tasksOf,
  waitFor,
  type ExoProcess,
} from './helpers/processes.js';
import { sandboxProcesses, sandboxTaskIds } from './helpers/sandbox-processes.js';

/** `EXO_CHAOS_SEED=<n>` replays a run: the same faults in the same order. */
const seed = Number(process.env.EXO_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const rounds = 6;
/** How long the cluster has to be whole again after each fault. */
const recoveryMs = 15_000;
const appId = '/chaos';
const jobId = 'chaos-job';

interface AppJson {
  app: { instances: number; tasksRunning: number; tasksHealthy: number };
}

interface JobHistoryJson {
  history: { successfulFinishedRuns: { id: string }[] };
}

/**
 * Real `exo master` and two `exo agent` processes, killed at random as users do with kill -9:
 * a task's process, an agent (started again with the same home), or the master (started again
 * with the same home and port). After each fault the app is back to exactly its 3 running,
 * healthy tasks — one process tree each, none counted twice — and an on-demand job run still
 * completes; at the end no task process outlives the app and the job.
 */
describe('processes killed at random', () => {
  let home: string;
  let master: ExoProcess | undefined;
  let masterPort = 0;
  const agents: Array<ExoProcess | undefined> = [];

  async function startMaster(): Promise<void> {
    master = await startExo([
      'master',
      '--home',
      join(home, 'master'),
      '--port',
      String(masterPort),
      '--agent-timeout-ms',
      '3000',
    ]);
    masterPort = Number(new URL(master.url).port);
  }

  async function startAgent(index: number): Promise<void> {
    agents[index] = await startExo([
      'agent',
      '--home',
      join(home, `agent${index}`),
      '--master',
      master!.url,
      '--port',
      '0',
      '--hostname',
      `127.0.0.${index + 1}`,
      '--token-file',
      join(home, 'master', 'token'),
      '--resources',
      `cpus=2;mem=2048;disk=1000;${portRange()}`,
      '--heartbeat-interval-ms',
      '500',
    ]);
  }

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'exo-chaos-'));
    await startMaster();
    await startAgent(0);
    await startAgent(1);
    await waitFor(
      async () =>
        (await api<{ agents: unknown[] }>(master!.url, 'GET', '/v1/agents')).body.agents.length ===
        2,
      10_000,
      'two agents',
    );
  });

  after(async () => {
    for (const agent of agents) await stopExo(agent);
    await stopExo(master);
    // Agents leave tasks running when they stop, by design; end any a failed test left.
    for (const { pid } of await sandboxProcesses(home)) process.kill(pid, 'SIGKILL');
    await rm(home, { recursive: true, force: true });
  });

  /** Exactly 3 tasks, all running and healthy, each with its own live process tree. */
  async function appIsWhole(): Promise<boolean> {
    const tasks = await tasksOf(master!.url, appId);
    const ids = tasks.map((task) => task.id).sort();
    if (tasks.length !== 3 || new Set(ids).size !== 3) return false;
    if (!tasks.every((task) => task.state === 'TASK_RUNNING' && task.healthy === true))
      return false;
    const { body } = await api<AppJson>(master!.url, 'GET', `/v2/apps${appId}`);
    if (body.app.tasksRunning !== 3 || body.app.tasksHealthy !== 3) return false;
    return JSON.stringify(await sandboxTaskIds(home, appId)) === JSON.stringify(ids);
  }

  async function startJobRun(): Promise<string> {
    const run = await api<{ id: string }>(master!.url, 'POST', `/v1/jobs/${jobId}/runs`);
    assert.equal(run.status, 201, JSON.stringify(run.body));
    return run.body.id;
  }

  async function jobRunSucceeds(runId: string, what: string): Promise<void> {
    await waitFor(
      async () =>
        (
          await api<JobHistoryJson>(master!.url, 'GET', `/v1/jobs/${jobId}?embed=history`)
        ).body.history.successfulFinishedRuns.some((finished) => finished.id === runId),
      recoveryMs,
      `${what} ${runId} to succeed`,
    );
  }

  /**
   * Waits until the master heard from the agents (by hostname) after `sinceMs`: a check made
   * sooner could pass on what was true before the fault.
   */
  async function agentsHeard(sinceMs: number, hostnames: readonly string[]): Promise<void> {
    await waitFor(
      async () => {
        const { body } = await api<{
          agents: { hostname: string; condition: string; lastHeartbeatAt: string }[];
        }>(master!.url, 'GET', '/v1/agents');
        return hostnames.every((hostname) =>
          body.agents.some(
            (agent) =>
              agent.hostname === hostname &&
              agent.condition === 'active' &&
              Date.parse(agent.lastHeartbeatAt) > sinceMs,
          ),
        );
      },
      recoveryMs,
      `the master to hear from ${hostnames.join(', ')} again`,
    );
  }

  /** Applies one fault chosen by `random`, waits until the master saw it, and says which. */
  async function fault(random: SeededRandom): Promise<string> {
    const kind = random.int(3);
    const faultAtMs = Date.now();
    if (kind === 0) {
      // Processes of this cluster only: other tests may run an app with the same id.
      const candidates = (await sandboxProcesses(home))
        .filter((candidate) => candidate.appId === appId)
        .sort((a, b) => a.pid - b.pid);
      const chosen = candidates[random.int(candidates.length)];
      if (chosen === undefined) return 'no task process to kill';
      const { pid, taskId } = chosen;
      process.kill(pid, 'SIGKILL');
      // The killed task ends and is replaced: it leaves the app's task list.
      await waitFor(
        async () => !(await tasksOf(master!.url, appId)).some((task) => task.id === taskId),
        recoveryMs,
        `task ${taskId} to end`,
      );
      return `kill -9 process ${pid} of task ${taskId}`;
    }
    if (kind === 1) {
      const index = random.int(agents.length);
      agents[index]!.child.kill('SIGKILL');
      await agents[index]!.exited;
      await startAgent(index);
      await agentsHeard(faultAtMs, [`127.0.0.${index + 1}`]);
      return `kill -9 agent ${index}, started again`;
    }
    master!.child.kill('SIGKILL');
    await master!.exited;
    await startMaster();
    await agentsHeard(faultAtMs, ['127.0.0.1', '127.0.0.2']);
    return 'kill -9 master, started again';
  }

  test(
    `${rounds} rounds of kill -9 at random (seed ${seed}; EXO_CHAOS_SEED=${seed} replays)`,
    { timeout: 75_000 },
    async () => {
      const created = await api(master!.url, 'POST', '/v2/apps', {
        id: appId,
        cmd: 'sleep 1000',
        instances: 3,
        cpus: 0.1,
        mem: 16,
        healthChecks: [
          {
            protocol: 'COMMAND',
            command: { value: 'test -d "$MESOS_SANDBOX"' },
            gracePeriodSeconds: 10,
            intervalSeconds: 1,
            timeoutSeconds: 2,
            maxConsecutiveFailures: 3,
          },
        ],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const job = await api(master!.url, 'POST', '/v1/jobs', {
        id: jobId,
        run: {
          cmd: 'sleep 0.5',
          cpus: 0.1,
          mem: 16,
          restart: { policy: 'ON_FAILURE', activeDeadlineSeconds: 30 },
        },
      });
      assert.equal(job.status, 201, JSON.stringify(job.body));
      const schedule = await api(master!.url, 'POST', `/v1/jobs/${jobId}/schedules`, {
        id: 'every-minute',
        cron: '* * * * *',
        enabled: true,
      });
      assert.equal(schedule.status, 201, JSON.stringify(schedule.body));
      await waitFor(appIsWhole, recoveryMs, 'the app to start: 3 running, healthy tasks');

      const random = new SeededRandom(seed);
      for (let round = 1; round <= rounds; round++) {
        // A run in flight while the fault strikes (ON_FAILURE: a launch the fault lost is retried).
        const inFlight = await startJobRun();
        const what = await fault(random);
        console.log(`chaos seed ${seed} round ${round}: ${what}`);
        try {
          await waitFor(appIsWhole, recoveryMs, 'exactly 3 running, healthy tasks');
          await jobRunSucceeds(inFlight, 'the run started before the fault');
          await jobRunSucceeds(await startJobRun(), 'an on-demand run started after it');
        } catch (error) {
          const tasks = await tasksOf(master!.url, appId).catch(() => []);
          throw new Error(
            `seed ${seed}, round ${round} (${what}): ${(error as Error).message}\ntasks: ${JSON.stringify(tasks)}\nlive: ${JSON.stringify(await sandboxTaskIds(home, appId))}`,
          );
        }
      }

      const deleted = await api(master!.url, 'DELETE', `/v2/apps${appId}?force=true`);
      assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
      await api(master!.url, 'DELETE', `/v1/jobs/${jobId}?stopCurrentJobRuns=true`);
      let left: unknown[] = [];
      await waitFor(
        async () => (left = await sandboxProcesses(home)).length === 0,
        recoveryMs,
        'every task process to end',
      ).catch((error: Error) => {
        throw new Error(`seed ${seed}: ${error.message}: ${JSON.stringify(left)}`);
      });
    },
  );
});
