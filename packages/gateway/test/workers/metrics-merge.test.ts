import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeWorkerMetrics } from '../../src/workers/metrics-merge.js';

test('worker metrics merge into one exposition with a worker label, families kept together', () => {
  const text = (requests: number): string =>
    [
      '# HELP exo_gateway_requests_total Requests.',
      '# TYPE exo_gateway_requests_total counter',
      `exo_gateway_requests_total{route="a",status="200"} ${requests}`,
      '# HELP process_uptime_seconds Uptime.',
      '# TYPE process_uptime_seconds gauge',
      'process_uptime_seconds 12',
      '# HELP empty_labels A metric with empty braces.',
      '# TYPE empty_labels gauge',
      'empty_labels{} 1',
      '',
    ].join('\n');
  const merged = mergeWorkerMetrics([
    { worker: 0, text: text(5) },
    { worker: 1, text: text(7) },
  ]);
  assert.equal(
    merged,
    [
      '# HELP exo_gateway_requests_total Requests.',
      '# TYPE exo_gateway_requests_total counter',
      'exo_gateway_requests_total{worker="0",route="a",status="200"} 5',
      'exo_gateway_requests_total{worker="1",route="a",status="200"} 7',
      '# HELP process_uptime_seconds Uptime.',
      '# TYPE process_uptime_seconds gauge',
      'process_uptime_seconds{worker="0"} 12',
      'process_uptime_seconds{worker="1"} 12',
      '# HELP empty_labels A metric with empty braces.',
      '# TYPE empty_labels gauge',
      'empty_labels{worker="0"} 1',
      'empty_labels{worker="1"} 1',
      '',
    ].join('\n'),
  );
});
