import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { AppDefinition } from '../../src/core/app-definition.js';
import { isConverged, planApp, type TaskView } from '../../src/core/app-plan.js';
import { validateApp } from '../../src/core/app-validation.js';

function app(overrides: Record<string, unknown> = {}, config = 'v1'): AppDefinition {
  const result = validateApp(
    { id: 'a', cmd: 'x', ...overrides },
    { version: config, versionInfo: { lastScalingAt: config, lastConfigChangeAt: config } },
  );
  assert.ok(result.ok);
  return result.value;
}

function task(id: string, overrides: Partial<TaskView> = {}): TaskView {
  return {
    id,
    configVersion: 'v1',
    state: 'TASK_RUNNING',
    stagedAt: Number(id.replace(/\D/g, '')) || 0,
    healthy: undefined,
    killRequested: false,
    wasUnreachable: false,
    ...overrides,
  };
}

const base = { launchDelayUntil: 0, now: 1000, frozen: false, placementFailed: false };

test('steady state launches the missing instances', () => {
  const plan = planApp({ ...base, app: app({ instances: 3 }), tasks: [task('t1')] });
  assert.equal(plan.launch, 2);
  assert.deepEqual(plan.kill, []);
});

test('scale down kills the youngest first by default, OLDEST_FIRST when asked', () => {
  const tasks = [task('t1'), task('t2'), task('t3')];
  assert.deepEqual(
    planApp({ ...base, app: app({ instances: 1 }), tasks }).kill.map((k) => k.taskId),
    ['t3', 't2'],
  );
  assert.deepEqual(
    planApp({ ...base, app: app({ instances: 1, killSelection: 'OLDEST_FIRST' }), tasks }).kill.map(
      (k) => k.taskId,
    ),
    ['t1', 't2'],
  );
});

test('unreachable tasks do not count, and their replacements are launched at once', () => {
  const plan = planApp({
    ...base,
    app: app({ instances: 2 }),
    tasks: [task('t1'), task('t2', { state: 'TASK_UNREACHABLE' })],
  });
  assert.equal(plan.launch, 1);
  assert.deepEqual(plan.kill, []);
});

test('a task back from an unreachable agent is the one killed as a duplicate', () => {
  const plan = planApp({
    ...base,
    app: app({ instances: 1 }),
    tasks: [task('t1', { wasUnreachable: true }), task('t9')],
  });
  assert.deepEqual(plan.kill, [{ taskId: 't1', reason: 'duplicate' }]);
});

test('duplicates wait while no copy runs, then the copy that runs is kept', () => {
  const returning = task('t1', { wasUnreachable: true, state: 'TASK_STARTING' });
  const neither = planApp({
    ...base,
    app: app({ instances: 1 }),
    tasks: [returning, task('t9', { state: 'TASK_STARTING' })],
  });
  assert.deepEqual(neither.kill, [], 'no copy runs yet: killing either could leave none');
  assert.equal(neither.launch, 0);
  const replacementRuns = planApp({
    ...base,
    app: app({ instances: 1 }),
    tasks: [returning, task('t9')],
  });
  assert.deepEqual(replacementRuns.kill, [{ taskId: 't1', reason: 'duplicate' }]);
  const returningRuns = planApp({
    ...base,
    app: app({ instances: 1 }),
    tasks: [task('t1', { wasUnreachable: true }), task('t9', { state: 'TASK_STAGING' })],
  });
  assert.deepEqual(returningRuns.kill, [{ taskId: 't9', reason: 'duplicate' }]);
});

test('an unhealthy task is killed only once its replacement is ready', () => {
  const withChecks = app({ instances: 1, healthChecks: [{ protocol: 'TCP' }] });
  const first = planApp({ ...base, app: withChecks, tasks: [task('t1', { healthy: false })] });
  assert.equal(first.launch, 1);
  assert.deepEqual(first.kill, []);
  const starting = planApp({
    ...base,
    app: withChecks,
    tasks: [task('t1', { healthy: false }), task('t2')],
  });
  assert.deepEqual(starting.kill, [], 'replacement not healthy yet');
  const ready = planApp({
    ...base,
    app: withChecks,
    tasks: [task('t1', { healthy: false }), task('t2', { healthy: true })],
  });
  assert.deepEqual(ready.kill, [{ taskId: 't1', reason: 'unhealthy' }]);
  const stuck = planApp({
    ...base,
    placementFailed: true,
    app: withChecks,
    tasks: [task('t1', { healthy: false })],
  });
  assert.deepEqual(
    stuck.kill,
    [{ taskId: 't1', reason: 'unhealthy' }],
    'killed when no replacement can be placed',
  );
});

test('backoff holds launches, not kills', () => {
  const plan = planApp({
    ...base,
    launchDelayUntil: 5000,
    app: app({ instances: 1 }),
    tasks: [task('t1'), task('t2')].slice(0, 0),
  });
  assert.equal(plan.launch, 0);
  assert.equal(plan.delayed, 1);
});

test('a deleted app has all its tasks killed; a frozen app is left alone', () => {
  assert.equal(
    planApp({ ...base, app: undefined, tasks: [task('t1'), task('t2')] }).kill.length,
    2,
  );
  assert.deepEqual(planApp({ ...base, frozen: true, app: app({ instances: 5 }), tasks: [] }), {
    launch: 0,
    kill: [],
    delayed: 0,
  });
});

test('rolling upgrade with minimumHealthCapacity 1, maximumOverCapacity 0 still progresses one at a time', () => {
  const next = app(
    { instances: 3, upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 0 } },
    'v2',
  );
  const plan = planApp({ ...base, app: next, tasks: [task('t1'), task('t2'), task('t3')] });
  assert.equal(plan.launch, 1);
  assert.deepEqual(plan.kill, []);
});

test('rolling upgrade with minimumHealthCapacity 0.5 kills half at once, and launches as they exit', () => {
  const next = app(
    { instances: 4, upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 } },
    'v2',
  );
  const plan = planApp({
    ...base,
    app: next,
    tasks: [task('t1'), task('t2'), task('t3'), task('t4')],
  });
  assert.equal(plan.kill.length, 2);
  assert.equal(plan.launch, 0, 'the killed tasks still run until they exit');
  const dying = planApp({
    ...base,
    app: next,
    tasks: [
      task('t1', { killRequested: true, state: 'TASK_KILLING' }),
      task('t2', { killRequested: true }),
      task('t3'),
      task('t4'),
    ],
  });
  assert.equal(dying.launch, 0);
  const exited = planApp({ ...base, app: next, tasks: [task('t3'), task('t4')] });
  assert.equal(exited.launch, 2);
});

test('a rolling upgrade whose last old tasks are stopping still bounds launches by maximumOverCapacity', () => {
  const next = app(
    { instances: 4, upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.25 } },
    'v2',
  );
  const plan = planApp({
    ...base,
    app: next,
    tasks: [
      task('t1', { killRequested: true, state: 'TASK_KILLING' }),
      task('t2', { killRequested: true, state: 'TASK_KILLING' }),
      task('t5', { configVersion: 'v2' }),
      task('t6', { configVersion: 'v2' }),
      task('t7', { configVersion: 'v2' }),
    ],
  });
  assert.equal(plan.launch, 0, 'two stopping + three running already reach the limit of five');
  const exited = planApp({
    ...base,
    app: next,
    tasks: [
      task('t1', { killRequested: true, state: 'TASK_KILLING' }),
      task('t5', { configVersion: 'v2' }),
      task('t6', { configVersion: 'v2' }),
      task('t7', { configVersion: 'v2' }),
    ],
  });
  assert.equal(exited.launch, 1);
});

/**
 * Simulates a rolling upgrade round by round (new tasks become ready one round after
 * launch) and checks the upgrade strategy's bounds hold in every round and that it ends.
 */
test('property: rolling upgrades respect minimumHealthCapacity and maximumOverCapacity and converge', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 12 }),
      fc.integer({ min: 0, max: 12 }),
      fc.integer({ min: 0, max: 100 }),
      fc.integer({ min: 0, max: 100 }),
      (oldCount, instances, minimumPercent, overPercent) => {
        const minimumHealthCapacity = minimumPercent / 100;
        const maximumOverCapacity = overPercent / 100;
        const next = app(
          { instances, upgradeStrategy: { minimumHealthCapacity, maximumOverCapacity } },
          'v2',
        );
        let tasks: TaskView[] = Array.from({ length: oldCount }, (_, i) => task(`o${i}`));
        let serial = 0;
        const minimumHealthy = Math.ceil(instances * minimumHealthCapacity);
        let maximum = Math.floor(instances * (1 + maximumOverCapacity));
        if (instances > 0 && maximum <= minimumHealthy) maximum = minimumHealthy + 1;
        for (let round = 0; round < 100; round++) {
          if (isConverged(next, tasks)) return;
          const plan = planApp({ ...base, app: next, tasks });
          const killed = new Set(plan.kill.map((k) => k.taskId));
          // Killed tasks exit before the next round (the master counts them until they do).
          assert.ok(
            tasks.length + plan.launch <= Math.max(maximum, oldCount),
            'killed tasks still take capacity in their round',
          );
          tasks = tasks.filter((t) => !killed.has(t.id));
          const readyAfterKills = tasks.filter((t) => t.state === 'TASK_RUNNING').length;
          const wasReady = readyAfterKills + [...killed].length;
          if (wasReady >= minimumHealthy)
            assert.ok(
              readyAfterKills >= Math.min(minimumHealthy, wasReady),
              'capacity fell below the minimum',
            );
          // New tasks become ready in the next round.
          tasks = tasks.map((t) =>
            t.state === 'TASK_STAGING' ? { ...t, state: 'TASK_RUNNING' } : t,
          );
          for (let i = 0; i < plan.launch; i++)
            tasks.push(
              task(`n${serial++}`, {
                configVersion: 'v2',
                state: 'TASK_STAGING',
                stagedAt: 1000 + serial,
              }),
            );
          assert.ok(
            tasks.length <= Math.max(maximum, oldCount),
            `over capacity: ${tasks.length} > ${maximum}`,
          );
        }
        assert.fail('the upgrade did not converge in 100 rounds');
      },
    ),
    { numRuns: 300 },
  );
});
