import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoViolations, busiestHost, processIds, settle, worldWithApp } from './helpers.js';

void test('host death: the replacement runs within agentTimeoutMs + 2 s', async () => {
  const { world, appId } = await worldWithApp({ seed: 101, instances: 3 });
  const victim = busiestHost(world, appId);
  world.killHost(victim);
  await settle(world);
  const [failover] = world.monitor!.failovers;
  assert.ok(failover, 'no failover was measured');
  assert.equal(failover.disturbed, false);
  assert.ok(
    failover.durationMs <= world.monitor!.failoverBoundMs,
    `failover took ${failover.durationMs} ms`,
  );
  console.log(
    `host death → replacements RUNNING after ${failover.durationMs} ms (bound ${world.monitor!.failoverBoundMs} ms)`,
  );
});

void test('agent SIGKILL: its tasks are replaced within the bound, and the leftovers die when it restarts', async () => {
  const { world, appId } = await worldWithApp({ seed: 102, instances: 3 });
  const victim = busiestHost(world, appId);
  const before = processIds(world, appId);
  const killedAt = world.now;
  world.killAgentProcess(victim);
  // The old tasks keep running on the host, so count only what the master can reach.
  const replaced = await world.advanceUntil(() => world.monitor!.servingCount(appId) >= 3, {
    timeoutMs: 20_000,
    stepMs: 10,
  });
  const tookMs = world.now - killedAt;
  assert.ok(replaced);
  assert.ok(tookMs <= world.monitor!.failoverBoundMs, `replacement took ${tookMs} ms`);
  console.log(`agent SIGKILL → replacements RUNNING after ${tookMs} ms`);
  // Restarting before the master has heard that every replacement runs hits a known master
  // bug (known-bugs.test.ts); here the replacements get a second to report.
  await world.advance(1000);
  await world.restartAgentProcess(victim);
  await settle(world);
  const after = processIds(world, appId);
  assert.equal(after.length, 3);
  assert.ok(
    after.some((id) => !before.includes(id)),
    'no replacement was launched',
  );
});

void test('a pause shorter than the timeout margin causes no replacement', async () => {
  const { world, appId } = await worldWithApp({ seed: 103, instances: 3 });
  const victim = busiestHost(world, appId);
  const before = processIds(world, appId);
  const taskCount = world.master!.state.tasks.size;
  world.pauseAgent(victim, world.monitor!.shortPauseMaximumMs);
  await world.advance(15_000);
  assertNoViolations(world);
  assert.deepEqual(processIds(world, appId), before);
  assert.equal(world.master!.state.tasks.size, taskCount);
  const task = world.master!.state.tasks.get(before[0]!)!;
  assert.equal(task.wasUnreachable, false);
});

void test('a pause longer than the timeout replaces the tasks and kills the old ones when the agent wakes', async () => {
  const { world, appId } = await worldWithApp({ seed: 104, instances: 2 });
  const victim = busiestHost(world, appId);
  const before = processIds(world, appId);
  world.pauseAgent(victim, world.settings.agentTimeoutMs + 5000);
  await settle(world);
  const after = processIds(world, appId);
  assert.equal(after.length, 2);
  assert.ok(
    after.every(
      (id) =>
        !before.includes(id) ||
        world.hosts[victim]!.liveProcesses().every((p) => p.spec.taskId !== id),
    ),
  );
});

void test('a long partition: duplicates are killed down to instances, never before the replacements run', async () => {
  const { world, appId } = await worldWithApp({ seed: 105, instances: 3 });
  const victim = busiestHost(world, appId);
  const stranded = world.hosts[victim]!.liveProcesses().map((process) => process.spec.taskId);
  assert.ok(stranded.length > 0);
  world.partition(victim, world.settings.agentTimeoutMs + 4000);
  await world.advance(world.settings.agentTimeoutMs + 2000);
  // Both generations run now: the stranded tasks behind the partition and their replacements.
  assert.ok(processIds(world, appId).length > 3);
  await settle(world);
  const after = processIds(world, appId);
  assert.equal(after.length, 3);
  const master = world.master!;
  for (const taskId of stranded)
    assert.equal(after.includes(taskId), false, `${taskId} survived the heal`);
  assert.equal(
    master.state.tasksOfApp(appId).filter((task) => task.state === 'TASK_RUNNING').length,
    3,
  );
});

void test('a master restart in the middle of a deployment: the deployment completes', async () => {
  const { world } = await worldWithApp({ seed: 106, instances: 2 });
  const appId = await world.deployApp({
    id: '/shop/api',
    cmd: 'serve',
    instances: 6,
    cpus: 0.25,
    mem: 64,
  });
  await world.advance(15); // the launches are on the wire
  assert.equal(world.master!.state.deployments.size, 1);
  await world.restartMaster(1500);
  await settle(world);
  assert.equal(world.master!.state.deployments.size, 0);
  assert.equal(processIds(world, appId).length, 6);
  assert.ok(world.master!.state.apps.has('/shop/web'));
});

void test('an agent process restart keeps its tasks: nothing is killed, the new process re-attaches', async () => {
  const { world, appId } = await worldWithApp({ seed: 107, instances: 3 });
  const victim = busiestHost(world, appId);
  const before = processIds(world, appId);
  const taskCount = world.master!.state.tasks.size;
  await world.restartAgentProcess(victim);
  await world.advance(10_000);
  assertNoViolations(world);
  assert.deepEqual(processIds(world, appId), before);
  assert.equal(world.master!.state.tasks.size, taskCount);
  for (const taskId of before)
    assert.equal(world.master!.state.tasks.get(taskId)?.state, 'TASK_RUNNING');
  assert.equal(world.agentProcess(victim)!.agent.isRegistered(), true);
});

void test('crashing and unhealthy tasks are replaced', async () => {
  const { world } = await worldWithApp({ seed: 108, instances: 1 });
  const crasher = await world.deployApp(
    { id: '/jobs/crasher', cmd: 'false', instances: 2, cpus: 0.1, mem: 32 },
    { kind: 'crash', afterMs: 500 },
  );
  const flaky = await world.deployApp(
    {
      id: '/shop/flaky',
      cmd: 'serve',
      instances: 2,
      cpus: 0.1,
      mem: 32,
      healthChecks: [{ protocol: 'COMMAND', command: { value: 'true' } }],
    },
    { kind: 'unhealthy', afterMs: 2000 },
  );
  await world.advance(20_000);
  assertNoViolations(world);
  const master = world.master!;
  assert.ok(
    (master.state.runtime.get(crasher)?.consecutiveFailures ?? 0) > 1,
    'the crash loop was not recorded',
  );
  assert.equal(master.state.runtime.get(crasher)?.lastFailure?.message, 'exited with code 1');
  const kills = master.context.metrics.taskKills;
  assert.ok(kills, 'the master has a task kill counter');
  assert.ok(processIds(world, flaky).length >= 2);
});
