import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/cluster.js';

interface Task {
  id: string;
  state: string;
  healthy?: boolean;
  healthCheckResults: { alive: boolean; consecutiveFailures: number }[];
}

describe('health checks through the master', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 1 });
  });
  after(async () => {
    await cluster.close();
  });

  test('an unhealthy task is killed and replaced; health shows in task JSON and events', async () => {
    const events: string[] = [];
    const controller = new AbortController();
    const stream = fetch(
      `${cluster.url}/v2/events?event_type=health_status_changed_event&event_type=unhealthy_instance_kill_event&event_type=failed_health_check_event`,
      { signal: controller.signal },
    )
      .then(async (response) => {
        const reader = response.body!.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          events.push(Buffer.from(value).toString('utf8'));
        }
      })
      .catch(() => undefined);
    // Healthy for about 1.5 s after start, then the check fails: each task turns unhealthy once.
    const created = await cluster.api('POST', '/v2/apps', {
      id: '/flaky',
      cmd: 'sleep 1000',
      cpus: 0.1,
      mem: 16,
      healthChecks: [
        {
          protocol: 'COMMAND',
          command: {
            value: 'test $(( $(date +%s) - $(stat -c %Y "$MESOS_SANDBOX/stdout") )) -lt 2',
          },
          intervalSeconds: 0.3,
          gracePeriodSeconds: 5,
          maxConsecutiveFailures: 2,
        },
      ],
    });
    assert.equal(created.status, 201);
    let first: Task | undefined;
    await waitFor(
      async () => {
        const { body } = await cluster.api<{ tasks: Task[] }>('GET', '/v2/apps/flaky/tasks');
        first = body.tasks.find((t) => t.healthy === true);
        return first !== undefined;
      },
      10_000,
      'a healthy task',
    );
    assert.equal(first!.healthCheckResults[0]!.alive, true);
    await waitFor(
      async () => {
        const { body } = await cluster.api<{ tasks: Task[] }>('GET', '/v2/apps/flaky/tasks');
        return (
          !body.tasks.some((t) => t.id === first!.id) &&
          body.tasks.some((t) => t.state === 'TASK_RUNNING')
        );
      },
      20_000,
      'the unhealthy task to be replaced',
    );
    await waitFor(
      () => events.join('').includes('unhealthy_instance_kill_event'),
      5000,
      'the kill event',
    );
    const text = events.join('');
    assert.match(text, /event: health_status_changed_event\ndata: \{[^\n]*"alive":true/);
    assert.match(text, /event: health_status_changed_event\ndata: \{[^\n]*"alive":false/);
    assert.match(text, /event: failed_health_check_event/);
    assert.match(
      text,
      new RegExp(
        `event: unhealthy_instance_kill_event\\ndata: \\{[^\\n]*"taskId":"${first!.id.replace(/\./g, '\\.')}"`,
      ),
    );
    controller.abort();
    await stream;
    await cluster.api('DELETE', '/v2/apps/flaky?force=true');
  });
});
