import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobsSimulation } from '../../src/sim/jobs-world.js';
import type { TaskBehaviour } from '../../src/sim/sim-host.js';

/** Fixed-seed fault scenarios for the jobs subsystem; every message names the seed. */
const minuteMs = 60_000;

function jobJson(
  id: string,
  options: {
    cron?: string;
    deadlineSeconds?: number;
    policy?: string;
    restart?: string;
    dependencies?: string[];
  },
): Record<string, unknown> {
  return {
    id,
    run: { cmd: 'work', cpus: 0.5, mem: 64, restart: { policy: options.restart ?? 'NEVER' } },
    ...(options.dependencies ? { dependencies: options.dependencies.map((d) => ({ id: d })) } : {}),
    ...(options.cron
      ? {
          schedules: [
            {
              id: 'default',
              cron: options.cron,
              timezone: 'UTC',
              startingDeadlineSeconds: options.deadlineSeconds ?? 900,
              concurrencyPolicy: options.policy ?? 'ALLOW',
            },
          ],
        }
      : {}),
  };
}

async function simulation(seed: number, agents = 3): Promise<JobsSimulation> {
  const sim = await JobsSimulation.create({ seed, agents });
  await sim.advance(30_000);
  return sim;
}

async function createJob(
  sim: JobsSimulation,
  json: Record<string, unknown>,
  behaviour: TaskBehaviour,
): Promise<string> {
  return sim.createJob(json, behaviour);
}

/** Due times (ms) of the job's scheduled runs, in creation order. */
function dueTimes(sim: JobsSimulation, jobId: string): number[] {
  return sim.runsOf(jobId).map((run) => run.dueAt ?? -1);
}

function assertDistinct(seed: number, values: number[], what: string): void {
  assert.equal(
    new Set(values).size,
    values.length,
    `seed ${seed}: ${what} repeated: ${values.map((v) => new Date(v).toISOString()).join(', ')}`,
  );
}

void test('DAG: the child runs exactly once after each parent success, across master restarts mid-run', async () => {
  const seed = 301;
  const sim = await simulation(seed);
  await createJob(sim, jobJson('dag.parent', { cron: '*/5 * * * *' }), {
    kind: 'exit',
    afterMs: 20_000,
  });
  await createJob(sim, jobJson('dag.child', { dependencies: ['dag.parent'] }), {
    kind: 'exit',
    afterMs: 20_000,
  });
  const master = () => sim.world.requireMaster();
  for (let cycle = 0; cycle < 3; cycle++) {
    // Restart while the parent runs, then again while the child runs.
    assert.ok(
      await sim.advanceUntil(
        () =>
          master()
            .state.jobs.activeRunsOf('dag.parent')
            .some((r) => r.status === 'ACTIVE'),
        { timeoutMs: 6 * minuteMs },
      ),
      `seed ${seed}: parent never ran`,
    );
    await sim.restartMaster(2000);
    assert.ok(
      await sim.advanceUntil(() => master().state.jobs.activeRunsOf('dag.child').length > 0, {
        timeoutMs: 2 * minuteMs,
      }),
      `seed ${seed}: child never started in cycle ${cycle}`,
    );
    await sim.restartMaster(1000);
    assert.ok(
      await sim.advanceUntil(() => master().state.jobs.activeRunsOf('dag.child').length === 0, {
        timeoutMs: 2 * minuteMs,
      }),
      `seed ${seed}: child never finished`,
    );
  }
  await sim.advanceUntil(() => sim.activeRunCount() === 0, { timeoutMs: 5 * minuteMs });
  sim.observeNow();
  const history = (id: string) => master().state.jobs.histories.get(id)!;
  const parentSuccesses = history('dag.parent').successCount;
  const childRuns = sim.runsOf('dag.child');
  assert.ok(parentSuccesses >= 3, `seed ${seed}: ${parentSuccesses} parent successes`);
  assert.equal(
    childRuns.length,
    parentSuccesses,
    `seed ${seed}: ${childRuns.length} child runs for ${parentSuccesses} parent successes`,
  );
  assert.ok(
    childRuns.every((run) => run.triggerKind === 'dependency'),
    `seed ${seed}`,
  );
  assert.equal(history('dag.child').successCount, parentSuccesses, `seed ${seed}: child successes`);
  assertDistinct(seed, dueTimes(sim, 'dag.parent'), 'parent due time');
});

for (const [restart, expected] of [
  ['ON_FAILURE', 'SUCCESS'],
  ['NEVER', 'FAILED'],
] as const) {
  void test(`a run whose agent dies, restart ${restart}: ends ${expected}`, async () => {
    const seed = restart === 'ON_FAILURE' ? 302 : 303;
    const sim = await simulation(seed);
    const jobId = `lost.${restart.toLowerCase().replace('_', '-')}`;
    await createJob(sim, jobJson(jobId, { cron: '0 * * * *', restart }), {
      kind: 'exit',
      afterMs: 30_000,
    });
    const master = () => sim.world.requireMaster();
    assert.ok(
      await sim.advanceUntil(
        () =>
          master()
            .state.jobs.activeRunsOf(jobId)
            .some((r) => r.status === 'ACTIVE'),
        { timeoutMs: 61 * minuteMs, stepMs: 1000 },
      ),
      `seed ${seed}`,
    );
    const run = master().state.jobs.activeRunsOf(jobId)[0]!;
    const firstTask = master().state.tasks.get(run.tasks[0]!.id)!;
    const victim = sim.world.hosts.findIndex((host) => host.hostname === firstTask.host);
    sim.world.killHost(victim);
    assert.ok(
      await sim.advanceUntil(() => master().state.jobs.activeRunsOf(jobId).length === 0, {
        timeoutMs: 5 * minuteMs,
      }),
      `seed ${seed}: the run never ended`,
    );
    const history = master().state.jobs.histories.get(jobId)!;
    const finished = [...history.successfulFinishedRuns, ...history.failedFinishedRuns];
    assert.equal(finished.length, 1, `seed ${seed}: ${finished.length} finished runs`);
    assert.equal(finished[0]!.status, expected, `seed ${seed}: ${finished[0]!.message}`);
    if (expected === 'SUCCESS') {
      const retryTask = master().state.tasks.get(finished[0]!.taskId!);
      assert.ok(
        finished[0]!.taskId!.endsWith('.2'),
        `seed ${seed}: succeeded with ${finished[0]!.taskId}`,
      );
      assert.notEqual(
        retryTask?.host,
        firstTask.host,
        `seed ${seed}: the retry ran on the dead host`,
      );
    }
  });
}

void test('concurrencyPolicy FORBID records the due run as missed while one is active', async () => {
  const seed = 304;
  const sim = await simulation(seed);
  await createJob(sim, jobJson('policy.forbid', { cron: '* * * * *', policy: 'FORBID' }), {
    kind: 'exit',
    afterMs: 150_000,
  });
  await sim.advance(6 * minuteMs);
  await sim.advanceUntil(() => sim.activeRunCount() === 0, { timeoutMs: 5 * minuteMs });
  sim.observeNow();
  const runs = sim.runsOf('policy.forbid');
  const missed = sim.missedOf('policy.forbid');
  assert.ok(runs.length >= 2, `seed ${seed}: ${runs.length} runs`);
  assert.ok(
    missed.length >= 3 && missed.every((m) => m.reason.includes('FORBID')),
    `seed ${seed}: ${JSON.stringify(missed)}`,
  );
  // Never two runs at once: each run starts after the previous one was created 150 s + earlier.
  const history = sim.world.requireMaster().state.jobs.histories.get('policy.forbid')!;
  const finished = [...history.successfulFinishedRuns].sort((a, b) => a.createdAt - b.createdAt);
  for (let i = 1; i < finished.length; i++)
    assert.ok(
      finished[i]!.createdAt >= finished[i - 1]!.finishedAt,
      `seed ${seed}: runs overlapped`,
    );
  const all = [...runs.map((r) => r.dueAt!), ...missed.map((m) => m.dueAt)];
  assertDistinct(seed, all, 'due time');
});

void test('concurrencyPolicy REPLACE stops the active run and starts the new one', async () => {
  const seed = 305;
  const sim = await simulation(seed);
  await createJob(sim, jobJson('policy.replace', { cron: '* * * * *', policy: 'REPLACE' }), {
    kind: 'exit',
    afterMs: 90_000,
  });
  await sim.advance(4 * minuteMs + 10_000);
  sim.observeNow();
  const master = sim.world.requireMaster();
  const active = master.state.jobs.activeRunsOf('policy.replace');
  assert.equal(active.length, 1, `seed ${seed}: ${active.length} active runs`);
  const history = master.state.jobs.histories.get('policy.replace')!;
  assert.ok(
    history.failedFinishedRuns.length >= 3,
    `seed ${seed}: ${history.failedFinishedRuns.length} replaced runs`,
  );
  assert.ok(
    history.failedFinishedRuns.every((r) => r.message?.includes('REPLACE')),
    `seed ${seed}`,
  );
  assert.equal(sim.missedOf('policy.replace').length, 0, `seed ${seed}`);
  // The replaced runs' tasks were killed: no host runs more than the one current task.
  const live = sim.world.hosts
    .flatMap((h) => h.liveProcesses())
    .filter((p) => p.spec.appId === 'job:policy.replace' && p.state !== 'TASK_KILLING');
  assert.equal(live.length, 1, `seed ${seed}: ${live.length} live tasks`);
  assertDistinct(seed, dueTimes(sim, 'policy.replace'), 'due time');
});

void test('a backward wall-clock jump never repeats a run, even with a master restart inside it', async () => {
  const seed = 306;
  const sim = await simulation(seed);
  await createJob(sim, jobJson('jump.back', { cron: '* * * * *' }), {
    kind: 'exit',
    afterMs: 5000,
  });
  await sim.advance(10 * minuteMs);
  sim.jumpWallClock(-5 * minuteMs);
  await sim.advance(30_000);
  await sim.restartMaster(0);
  await sim.advance(10 * minuteMs);
  sim.observeNow();
  const due = dueTimes(sim, 'jump.back');
  assertDistinct(seed, due, 'due time');
  // The minutes between the first pass and the end: each ran once, none was missed.
  const sorted = [...due].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++)
    assert.equal(
      sorted[i]! - sorted[i - 1]!,
      minuteMs,
      `seed ${seed}: gap after ${new Date(sorted[i - 1]!).toISOString()}`,
    );
  assert.equal(sim.missedOf('jump.back').length, 0, `seed ${seed}`);
  assert.ok(sorted.length >= 14, `seed ${seed}: ${sorted.length} runs`);
});

void test('a forward jump beyond startingDeadlineSeconds records the skipped due times as missed', async () => {
  const seed = 307;
  const sim = await simulation(seed);
  await createJob(sim, jobJson('jump.forward', { cron: '* * * * *', deadlineSeconds: 90 }), {
    kind: 'exit',
    afterMs: 5000,
  });
  await sim.advance(3 * minuteMs);
  const before = sim.now;
  sim.jumpWallClock(10 * minuteMs);
  const after = sim.now;
  await sim.advance(3 * minuteMs);
  sim.observeNow();
  const due = dueTimes(sim, 'jump.forward');
  const missed = sim.missedOf('jump.forward').map((m) => m.dueAt);
  assertDistinct(seed, [...due, ...missed], 'due time');
  const jumped = (d: number) => d > before && d <= after;
  // Due times more than 90 s before the landing are missed; the newer ones start late.
  for (const d of missed)
    assert.ok(jumped(d) && d < after - 90_000, `seed ${seed}: ${new Date(d).toISOString()} missed`);
  const startedLate = due.filter(jumped);
  assert.ok(
    startedLate.every((d) => d >= after - 90_000 - 1000),
    `seed ${seed}`,
  );
  assert.equal(
    missed.length + startedLate.length,
    10,
    `seed ${seed}: ${missed.length} missed, ${startedLate.length} late`,
  );
  assert.ok(missed.length >= 8, `seed ${seed}: ${missed.length} missed`);
});
