import assert from 'node:assert/strict';
import { deserialize, serialize } from 'node:v8';
import { describe, it } from 'node:test';
import type { CallRecord } from '../../src/analytics/call-record.js';
import { decodeRecords, encodeRecords } from '../../src/analytics/record-batch.js';

function record(index: number, extra: Partial<CallRecord> = {}): CallRecord {
  return {
    timestampMs: 1_700_000_000_000 + index,
    route: index % 2 === 0 ? 'orders' : 'users',
    api: index % 3 === 0 ? 'shop/v1' : undefined,
    operation: 'GET /orders/{id}',
    application: index % 2 === 0 ? 'mobile' : undefined,
    status: index % 5 === 0 ? 502 : 200,
    latencyMs: 0.25 * index,
    upstreamLatencyMs: index % 5 === 0 ? undefined : 0.125 * index,
    requestBytes: 100 + index,
    responseBytes: 1000 + index,
    clientIp: '10.0.0.1',
    errorCode: index % 5 === 0 ? 'EXO_GATEWAY_BAD_GATEWAY' : undefined,
    traceId: index.toString(16).padStart(32, '0'),
    ...extra,
  };
}

describe('analytics record batches (worker → admin worker)', () => {
  it('round-trips records through V8 serialization, undefined fields included', () => {
    const records = Array.from({ length: 50 }, (_, index) => record(index));
    const batch = deserialize(serialize(encodeRecords(records))) as ReturnType<
      typeof encodeRecords
    >;
    assert.deepEqual(decodeRecords(batch), records);
    // Repeated strings are stored once.
    assert.ok(batch.strings.length < 10, String(batch.strings.length));
  });

  it('an empty batch decodes to no records', () => {
    assert.deepEqual(decodeRecords(encodeRecords([])), []);
  });

  it('refuses what is not a batch', () => {
    const batch = encodeRecords([record(1), record(2)]);
    assert.equal(decodeRecords({ ...batch, count: 3 }), undefined);
    assert.equal(decodeRecords({ ...batch, traceIds: 'only-one' }), undefined);
    assert.equal(decodeRecords({ ...batch, numbers: [] as unknown as Float64Array }), undefined);
  });
});
