import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateApp } from '../../src/core/app-validation.js';

const version = '2026-01-01T00:00:00.000Z';
const options = { version, versionInfo: { lastScalingAt: version, lastConfigChangeAt: version } };

function errorsOf(raw: unknown): Record<string, string[]> {
  const result = validateApp(raw, options);
  assert.equal(result.ok, false, 'expected the app to be rejected');
  return Object.fromEntries(
    (result as unknown as { errors: { path: string; errors: string[] }[] }).errors.map((e) => [
      e.path,
      e.errors,
    ]),
  );
}

test('a Marathon app as users write it is accepted with Marathon defaults', () => {
  const result = validateApp(
    {
      id: '/prod/web',
      cmd: 'python3 -m http.server $PORT0',
      instances: 3,
      cpus: 0.5,
      mem: 256,
      env: { MODE: 'prod', WORKERS: 4 },
      portDefinitions: [{ port: 0, name: 'http' }],
      healthChecks: [{ protocol: 'HTTP', path: '/health', portIndex: 0 }],
      upgradeStrategy: { minimumHealthCapacity: 0.5 },
      constraints: [
        ['hostname', 'UNIQUE'],
        ['rack', 'GROUP_BY', '2'],
      ],
      labels: { team: 'web' },
      backoffSeconds: 2,
      dependencies: ['../db'],
      taskKillGracePeriodSeconds: 10,
      tasksRunning: 3,
      deployments: [],
      version: '2015-01-01T00:00:00.000Z',
    },
    options,
  );
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  const app = result.value;
  assert.equal(app.id, '/prod/web');
  assert.equal(app.disk, 0);
  assert.deepEqual(app.env, { MODE: 'prod', WORKERS: '4' });
  assert.equal(app.healthChecks[0]!.intervalSeconds, 60);
  assert.equal(app.healthChecks[0]!.gracePeriodSeconds, 300);
  assert.equal(app.healthChecks[0]!.timeoutSeconds, 20);
  assert.equal(app.healthChecks[0]!.maxConsecutiveFailures, 3);
  assert.deepEqual(app.upgradeStrategy, { minimumHealthCapacity: 0.5, maximumOverCapacity: 1 });
  assert.equal(app.backoffFactor, 1.15);
  assert.equal(app.maxLaunchDelaySeconds, 300);
  assert.equal(app.killSelection, 'YOUNGEST_FIRST');
  assert.deepEqual(app.dependencies, ['/db']);
  assert.equal(app.constraints.length, 2);
  assert.equal(app.version, version, 'the version is stamped by the master, not taken from input');
});

test('defaults: one port, 1 cpu, 128 MiB, one instance', () => {
  const result = validateApp({ id: 'simple', cmd: 'sleep 100' }, options);
  assert.ok(result.ok);
  assert.equal(result.value.id, '/simple');
  assert.equal(result.value.instances, 1);
  assert.equal(result.value.cpus, 1);
  assert.equal(result.value.mem, 128);
  assert.equal(result.value.portDefinitions.length, 1);
});

test('deprecated ports become port definitions', () => {
  const result = validateApp({ id: 'p', cmd: 'x', ports: [0, 0] }, options);
  assert.ok(result.ok);
  assert.equal(result.value.portDefinitions.length, 2);
});

test('containers are rejected with a clear message at their path', () => {
  const errors = errorsOf({
    id: 'c',
    cmd: 'x',
    container: { type: 'DOCKER', docker: { image: 'nginx' } },
  });
  assert.match(errors['/container']![0]!, /containers are not supported/);
});

test('every invalid field is reported with its JSON path', () => {
  const errors = errorsOf({
    id: 'x',
    cmd: 'x',
    instances: -1,
    mem: 'lots',
    upgradeStrategy: { minimumHealthCapacity: 2 },
  });
  assert.ok(errors['/instances']);
  assert.ok(errors['/mem']);
  assert.ok(errors['/upgradeStrategy/minimumHealthCapacity']);
});

test('semantic errors: ids, commands, ports, health checks, constraints', () => {
  const errors = errorsOf({
    id: '/Bad_Id',
    cmd: 'x',
    args: ['y'],
    healthChecks: [{ protocol: 'COMMAND' }, { protocol: 'HTTP', portIndex: 3 }],
    constraints: [['hostname', 'NEAR']],
    requirePorts: true,
  });
  assert.ok(errors['/id']);
  assert.ok(errors['/cmd']);
  assert.ok(errors['/healthChecks/0/command']);
  assert.ok(errors['/healthChecks/1/portIndex']);
  assert.ok(errors['/constraints/0']);
  assert.ok(errors['/requirePorts']);
});

test('a typo of a known field is rejected naming the right one; other unknown fields are ignored', () => {
  const errors = errorsOf({ id: 'x', cmd: 'x', instnces: 2 });
  assert.match(errors['/instnces']![0]!, /did you mean 'instances'/);
  const result = validateApp({ id: 'x', cmd: 'x', someFutureField: { a: 1 } }, options);
  assert.ok(result.ok);
});

test('an app needs cmd or args', () => {
  const errors = errorsOf({ id: 'x' });
  assert.match(errors['/cmd']![0]!, /cmd.*args/);
});

test('non-objects are rejected', () => {
  for (const raw of [null, 3, 'app', [1]]) {
    const result = validateApp(raw, options);
    assert.equal(result.ok, false);
  }
});

test('id segments that name app sub-resources are reserved', () => {
  for (const id of ['/prod/tasks/web', '/versions', '/a/restart']) {
    const errors = errorsOf({ id, cmd: 'x' });
    assert.match(errors['/id']![0]!, /reserved/);
  }
});

test('type errors and semantic errors are reported together', () => {
  const errors = errorsOf({ id: '/Bad_Id', instances: 'many' });
  assert.ok(errors['/id'], 'the id problem is reported alongside the type error');
  assert.ok(errors['/instances']);
  assert.ok(errors['/cmd']);
});
