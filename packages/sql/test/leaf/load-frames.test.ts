/**
 * A bulk load chunk travels to its leaf as the aggregator's runs of lines (views of the packets
 * they came in), which the frame joins: framed from runs it is byte for byte the frame of the
 * joined bytes, and the leaf decodes the joined lines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { LoadRequest } from '../../src/leaf/api.js';
import { decodeLoadRequest, encodeLoadRequest } from '../../src/leaf/load-messages.js';
import { FRAME_HEADER_BYTES, Op, encodeFrame } from '../../src/leaf/wire.js';

function request(data: LoadRequest['data'], typed: LoadRequest['typed']): LoadRequest {
  return {
    partition: { database: 'shop', ordinal: 3 },
    engine: 'column',
    txn: 'txn-1',
    table: 'facts',
    columns: ['id', 'note'],
    values: ['TRY_CAST(c0 AS BIGINT)', 'c1'],
    accept: 'true',
    fieldCount: 2,
    delimiter: '\t',
    lines: 2,
    typed,
    data,
  };
}

describe('bulk load frames', () => {
  it('frames runs of lines exactly as their joined bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }),
        fc.boolean(),
        (runs, typed) => {
          const joined = Buffer.concat(runs);
          const types = typed ? ['BIGINT', 'VARCHAR'] : undefined;
          const fromRuns = encodeFrame(9, Op.Load, encodeLoadRequest(request(runs, types)));
          const whole = encodeFrame(9, Op.Load, encodeLoadRequest(request(joined, types)));
          assert.deepEqual(fromRuns, whole);
          const decoded = decodeLoadRequest(fromRuns.subarray(FRAME_HEADER_BYTES));
          assert.deepEqual(Buffer.from(decoded.data as Uint8Array), joined);
          assert.deepEqual(decoded.typed, types);
          assert.equal(decoded.table, 'facts');
        },
      ),
    );
  });
});
