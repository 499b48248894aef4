import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from '../../src/sim/scenario.js';
import { knownIssues } from './helpers.js';

// VOPR-style: random fault schedules from many seeds. EXO_SIM_SEEDS sets how many (default 20);
// EXO_SIM_SEED sets the first seed. By default a developer's run starts from a random seed
// (printed), so every run explores new schedules; CI (CI=true) starts from a fixed seed so
// that a submission's result is reproducible. Any failure replays with
// `EXO_SIM_SEED=<seed> EXO_SIM_SEEDS=1`.
const count = Number(process.env.EXO_SIM_SEEDS ?? 20);
const defaultFirst = process.env.CI === 'true' ? 1_000 : Math.floor(Math.random() * 2 ** 31);
const first = Number(process.env.EXO_SIM_SEED ?? defaultFirst);
const steps = Number(process.env.EXO_SIM_STEPS ?? 80);

void test(`random fault schedules over ${count} seeds from ${first}`, async () => {
  const seeds = Array.from({ length: count }, (_, index) => (first + index) >>> 0);
  console.log(`simulation seeds: ${seeds.join(' ')} (${steps} steps each)`);
  const failovers: number[] = [];
  const hits: Record<string, number> = {};
  for (const seed of seeds) {
    const report = await runScenario({ seed, steps, knownIssues });
    assert.deepEqual(report.violations, []);
    for (const failover of report.failovers)
      if (!failover.disturbed) failovers.push(failover.durationMs);
    for (const [issue, hit] of Object.entries(report.knownIssueHits))
      hits[issue] = (hits[issue] ?? 0) + hit;
  }
  failovers.sort((a, b) => a - b);
  console.log(
    `undisturbed failovers: ${failovers.length}, median ${failovers[Math.floor(failovers.length / 2)] ?? '-'} ms, max ${failovers.at(-1) ?? '-'} ms; known master bugs hit: ${JSON.stringify(hits)}`,
  );
});
