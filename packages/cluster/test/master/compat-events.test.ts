import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestCluster, type TestCluster } from '../helpers/cluster.js';
import { request, type Body } from './compat/helpers.js';

interface StreamEvent {
  type: string;
  data: Body;
}

/** Reads server-sent events from /v2/events until `done` says enough (or the time runs out). */
async function readEvents(
  url: string,
  query: string,
  trigger: () => Promise<void>,
  done: (events: readonly StreamEvent[]) => boolean,
): Promise<StreamEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 20_000);
  const response = await fetch(`${url}/v2/events${query}`, { signal: controller.signal });
  assert.equal(response.headers.get('content-type'), 'text/event-stream');
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: StreamEvent[] = [];
  let buffer = '';
  let triggered = false;
  try {
    while (!done(events)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) events.push({ type, data: JSON.parse(data) });
      }
      if (!triggered) {
        triggered = true;
        await trigger();
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

describe('Marathon /v2/events payloads', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ agents: 1 });
  });
  after(async () => {
    await cluster.close();
  });

  test('event_stream_attached, deployment_info, status_update_event and deployment_success as Marathon documents them', async () => {
    const events = await readEvents(
      cluster.url,
      '',
      async () => {
        const posted = await request(cluster.url, 'POST', '/v2/apps', {
          id: '/compat-events/sleeper',
          cmd: 'sleep 3600',
          cpus: 0.1,
          mem: 32,
        });
        assert.equal(posted.status, 201);
      },
      (seen) => seen.some((e) => e.type === 'deployment_success'),
    );
    const first = events[0]!;
    assert.equal(first.type, 'event_stream_attached');
    assert.equal(typeof first.data.remoteAddress, 'string');
    for (const event of events) {
      assert.equal(event.data.eventType, event.type, 'eventType repeats the SSE event name');
      assert.ok(!Number.isNaN(Date.parse(event.data.timestamp)), 'timestamp is an ISO time');
    }
    const info = events.find((e) => e.type === 'deployment_info')!.data;
    assert.equal(typeof info.plan.id, 'string');
    assert.equal(typeof info.plan.version, 'string');
    assert.deepEqual(info.plan.steps[0].actions[0], {
      action: 'StartApplication',
      app: '/compat-events/sleeper',
    });
    assert.deepEqual(info.currentStep.actions[0], {
      action: 'StartApplication',
      app: '/compat-events/sleeper',
    });
    const running = events.find(
      (e) => e.type === 'status_update_event' && e.data.taskStatus === 'TASK_RUNNING',
    )!.data;
    for (const field of [
      'slaveId',
      'taskId',
      'taskStatus',
      'message',
      'appId',
      'host',
      'ports',
      'version',
    ])
      assert.ok(field in running, `status_update_event has ${field}`);
    assert.equal(running.appId, '/compat-events/sleeper');
    assert.ok(Array.isArray(running.ports));
    assert.deepEqual(running.ipAddresses, [{ ipAddress: running.host, protocol: 'IPv4' }]);
    const success = events.find((e) => e.type === 'deployment_success')!.data;
    assert.equal(success.id, info.plan.id);
    const posted = events.find((e) => e.type === 'api_post_event')!.data;
    assert.equal(posted.appDefinition.id, '/compat-events/sleeper');
  });

  test('event_type filters the stream, the greeting included', async () => {
    const events = await readEvents(
      cluster.url,
      '?event_type=app_terminated_event',
      async () => {
        await request(cluster.url, 'DELETE', '/v2/apps/compat-events/sleeper?force=true');
      },
      (seen) => seen.length > 0,
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['app_terminated_event'],
    );
    assert.equal(events[0]!.data.appId, '/compat-events/sleeper');
  });
});
