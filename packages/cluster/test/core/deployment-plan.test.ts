import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppDefinition } from '../../src/core/app-definition.js';
import { validateApp } from '../../src/core/app-validation.js';
import { findDependencyCycle, planSteps } from '../../src/core/deployment-plan.js';

function app(id: string, dependencies: string[] = [], config = 'v1', instances = 1): AppDefinition {
  const result = validateApp(
    { id, cmd: 'x', dependencies, instances },
    { version: config, versionInfo: { lastScalingAt: config, lastConfigChangeAt: config } },
  );
  assert.ok(result.ok);
  return result.value;
}

test('new apps start after the apps they depend on', () => {
  const steps = planSteps([
    { id: '/web', original: undefined, target: app('/web', ['/api']) },
    { id: '/api', original: undefined, target: app('/api', ['/db']) },
    { id: '/db', original: undefined, target: app('/db') },
  ]);
  assert.deepEqual(
    steps.map((s) => s.actions.map((a) => `${a.action} ${a.app}`)),
    [['StartApplication /db'], ['StartApplication /api'], ['StartApplication /web']],
  );
});

test('scale, restart and stop actions', () => {
  const steps = planSteps([
    { id: '/a', original: app('/a'), target: app('/a', [], 'v1', 3) },
    { id: '/b', original: app('/b'), target: app('/b', [], 'v2') },
    { id: '/c', original: app('/c'), target: undefined },
  ]);
  const actions = steps.flatMap((s) => s.actions.map((a) => `${a.action} ${a.app}`));
  assert.deepEqual(actions.sort(), [
    'RestartApplication /b',
    'ScaleApplication /a',
    'StopApplication /c',
  ]);
});

test('cycles are found with their path', () => {
  const apps = new Map([
    ['/a', { dependencies: ['/b'] }],
    ['/b', { dependencies: ['/c'] }],
    ['/c', { dependencies: ['/a'] }],
    ['/d', { dependencies: [] }],
  ]);
  assert.deepEqual(findDependencyCycle(apps), ['/a', '/b', '/c', '/a']);
  apps.set('/c', { dependencies: [] });
  assert.equal(findDependencyCycle(apps), undefined);
});
