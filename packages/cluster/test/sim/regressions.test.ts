import assert from 'node:assert/strict';
import { test } from 'node:test';
import { busiestHost, settle, worldWithApp } from './helpers.js';

// Master bugs the simulation found (seeds 201 and 202), kept as regression tests with strict
// invariants now that they are fixed.

void test('a host that reboots without its tasks: the master ends the tasks it had marked UNREACHABLE', async () => {
  const { world, appId } = await worldWithApp({ seed: 201, instances: 2 });
  const victim = busiestHost(world, appId);
  world.killHost(victim);
  await world.advance(10_000);
  await world.bootHost(victim);
  await world.advance(10_000);
  const phantoms = [...world.master!.state.tasks.values()].filter(
    (task) => task.state === 'TASK_UNREACHABLE',
  );
  assert.deepEqual(
    phantoms.map((task) => task.id),
    [],
    `${world.describe('tasks stay UNREACHABLE although their agent re-registered without them')}`,
  );
  await settle(world);
});

void test('tasks back from an unreachable agent are not killed before their replacements run', async () => {
  const { world, appId } = await worldWithApp({ seed: 202, instances: 3 });
  const victim = busiestHost(world, appId);
  world.killAgentProcess(victim);
  // Bring the agent back the moment the master has launched the replacements, before they
  // run: the returning tasks are then the only RUNNING instances, and they get killed.
  const launched = await world.advanceUntil(
    () =>
      [...world.master!.state.tasks.values()].some(
        (task) => task.appId === appId && task.state === 'TASK_STAGING',
      ),
    { timeoutMs: 10_000, stepMs: 1 },
  );
  assert.ok(launched);
  await world.restartAgentProcess(victim);
  await world.advance(2000);
  assert.deepEqual(world.monitor!.violations, []);
});
