import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  lastTaskFailure,
  startTestCluster,
  writtenFile,
  waitFor,
  type TestCluster,
} from '../helpers/cluster.js';

// Starting a process as another user needs root; CI and `exo up` machines run the agent so.
const asRoot = process.getuid?.() === 0;

/**
 * Marathon's and Metronome's `user` with a real master and agent: the command and its command
 * health checks run as that user, who owns the sandbox; a user the agent's machine does not
 * know fails the task with a message naming it.
 */
describe(
  'tasks run as their user',
  { skip: asRoot ? false : 'needs an agent running as root' },
  () => {
    let cluster: TestCluster;
    let work: string;

    before(async () => {
      work = await mkdtemp(join(tmpdir(), 'exo-task-user-'));
      // The task writes its findings here as `nobody`.
      await chmod(work, 0o777);
      cluster = await startTestCluster({ agents: 1 });
      // The agents' homes are below this mkdtemp folder (0700), which is not the agent's to
      // open: without search permission for others every task as `nobody` fails (see below).
      await chmod(cluster.home, 0o711);
    });

    after(async () => {
      await cluster.close();
      await rm(work, { recursive: true, force: true });
    });

    test('an app runs as its user, owns its sandbox, and is checked as that user', async () => {
      const out = join(work, 'app.txt');
      const created = await cluster.api('POST', '/v2/apps', {
        id: '/users/nobody',
        user: 'nobody',
        cmd: 'touch ./written && echo "$(id -u):$(id -g):$(id -u -n)" > "$OUT.tmp" && mv "$OUT.tmp" "$OUT"; sleep 1000',
        cpus: 0.1,
        mem: 32,
        env: { OUT: out },
        healthChecks: [
          {
            protocol: 'COMMAND',
            command: { value: 'test "$(id -u)" = 65534' },
            gracePeriodSeconds: 30,
            intervalSeconds: 1,
            timeoutSeconds: 5,
            maxConsecutiveFailures: 3,
          },
        ],
      });
      assert.equal(created.status, 201);
      assert.equal(
        await writtenFile(out, 'the command to write what it sees'),
        '65534:65534:nobody\n',
      );
      await waitFor(
        async () => {
          const { body } = await cluster.api<{ app: { tasksHealthy: number } }>(
            'GET',
            '/v2/apps/users/nobody',
          );
          return body.app.tasksHealthy === 1;
        },
        20_000,
        'the command health check (run as nobody) to pass',
      );
      await cluster.api('DELETE', '/v2/apps/users/nobody');
    });

    test('a job runs as its user', async () => {
      const out = join(work, 'job.txt');
      const created = await cluster.api('POST', '/v1/jobs', {
        id: 'users.job',
        run: {
          user: 'nobody',
          cmd: `id -u > ${out}`,
          cpus: 0.1,
          mem: 32,
          disk: 0,
        },
      });
      assert.equal(created.status, 201);
      assert.equal((await cluster.api('POST', '/v1/jobs/users.job/runs')).status, 201);
      assert.equal(await writtenFile(out, 'the job to write its uid'), '65534\n');
    });

    test('a user this machine does not know fails the task with its name', async () => {
      const created = await cluster.api('POST', '/v2/apps', {
        id: '/users/unknown',
        user: 'no-such-user-exo',
        cmd: 'sleep 1000',
        cpus: 0.1,
        mem: 32,
      });
      assert.equal(created.status, 201);
      const message = await lastTaskFailure(cluster, '/users/unknown');
      assert.equal(message, "user 'no-such-user-exo' does not exist on this agent");
      await cluster.api('DELETE', '/v2/apps/users/unknown');
    });
  },
);
