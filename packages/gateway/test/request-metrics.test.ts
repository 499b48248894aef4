import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsRegistry } from '@exosphere/common';
import {
  CounterBatch,
  GatewayRegistry,
  RequestMetrics,
} from '../src/observability/request-metrics.js';

describe('request metrics batched until /metrics renders', () => {
  it('renders the counts and the duration histogram as the registry did per request', () => {
    const registry = new GatewayRegistry();
    const metrics = new RequestMetrics(registry.counter('exo_gateway_requests_total', 'Requests.'));
    registry.requestMetrics = metrics;
    metrics.record('orders', 200, 0.0004);
    metrics.record('orders', 200, 0.003);
    metrics.record('orders', 502, 0.2);
    metrics.record('a"b', 404, 20);
    const text = registry.render();
    assert.match(text, /^exo_gateway_requests_total\{route="orders",status="200"\} 2$/m);
    assert.match(text, /^exo_gateway_requests_total\{route="orders",status="502"\} 1$/m);
    assert.match(text, /^exo_gateway_requests_total\{route="a\\"b",status="404"\} 1$/m);
    assert.match(text, /^# TYPE exo_gateway_request_duration_seconds histogram$/m);
    // Cumulative buckets: le=0.001 holds 1, le=0.005 holds 2, le=0.25 holds 3.
    const bucket = (le: string): string | undefined =>
      new RegExp(
        `^exo_gateway_request_duration_seconds_bucket\\{route="orders",le="${le}"\\} (\\d+)$`,
        'm',
      ).exec(text)?.[1];
    assert.equal(bucket('0.001'), '1');
    assert.equal(bucket('0.005'), '2');
    assert.equal(bucket('0.25'), '3');
    assert.equal(bucket('\\+Inf'), '3');
    assert.match(text, /^exo_gateway_request_duration_seconds_count\{route="orders"\} 3$/m);
    assert.match(text, /^exo_gateway_request_duration_seconds_bucket\{route="a\\"b",le="10"\} 0$/m);
    // Later requests add to what was rendered.
    metrics.record('orders', 200, 0.001);
    assert.match(
      registry.render(),
      /^exo_gateway_requests_total\{route="orders",status="200"\} 3$/m,
    );
  });

  it('a counter batch adds its counts when the registry renders', () => {
    const registry = new GatewayRegistry();
    const batch = new CounterBatch(registry.counter('decisions_total', 'Decisions.'));
    registry.beforeRender(() => batch.flush());
    const allowed = { route: 'r', result: 'allowed' };
    for (let index = 0; index < 5; index++) batch.inc(allowed);
    batch.inc({ route: 'r', result: 'limited' });
    const text = registry.render();
    assert.match(text, /^decisions_total\{result="allowed",route="r"\} 5$/m);
    assert.match(text, /^decisions_total\{result="limited",route="r"\} 1$/m);
    assert.match(registry.render(), /^decisions_total\{result="allowed",route="r"\} 5$/m);
    // A plain registry has no batches: it renders as before.
    assert.equal(new MetricsRegistry().render(), '\n');
  });
});
