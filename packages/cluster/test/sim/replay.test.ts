import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from '../../src/sim/scenario.js';
import { knownIssues } from './helpers.js';

void test('a scenario replays event for event from its seed, and another seed gives another run', async () => {
  const options = { steps: 40, knownIssues };
  const first = await runScenario({ seed: 4242, ...options });
  const second = await runScenario({ seed: 4242, ...options });
  const other = await runScenario({ seed: 4243, ...options });
  assert.ok(first.traceEvents > 1000, `the trace recorded only ${first.traceEvents} events`);
  assert.equal(second.traceHash, first.traceHash);
  assert.equal(second.traceEvents, first.traceEvents);
  assert.deepEqual(second.failovers, first.failovers);
  assert.notEqual(other.traceHash, first.traceHash);
});

// How long it takes in real time is printed, not asserted: timing belongs to benchmarks, and a
// loaded machine would make such an assertion fail for no fault of the code.
void test('a simulated hour of faults runs to its end without violations', async () => {
  const started = performance.now();
  const report = await runScenario({ seed: 77, steps: 1800, knownIssues });
  const realMs = performance.now() - started;
  assert.ok(report.simulatedMs >= 3_600_000, `only ${report.simulatedMs} ms were simulated`);
  assert.deepEqual(report.violations, []);
  console.log(
    `simulated ${Math.round(report.simulatedMs / 1000)} s in ${Math.round(realMs)} ms of real time`,
  );
});
