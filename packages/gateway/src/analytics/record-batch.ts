import type { CallRecord } from './call-record.js';

/**
 * Call records in columns, as workers send them to the admin worker (workers/worker-link.ts)
 * over node:cluster's IPC channel with V8 serialization: numbers in one Float64Array, the
 * repetitive strings (route, API, operation, application, client address, error code) once
 * each in a table that the records point into. A batch costs a fraction of the same records
 * as JSON or as objects to encode, relay and decode.
 */
export interface RecordBatch {
  readonly count: number;
  /** The distinct dimension strings. */
  readonly strings: string[];
  /** Per record, `refsPerRecord` entries: index + 1 into `strings`, 0 for undefined. */
  readonly refs: Uint32Array;
  /** Per record, `numbersPerRecord` entries; NaN for an undefined upstream latency. */
  readonly numbers: Float64Array;
  /** The trace ids, comma-separated (one string crosses the channel cheaper than many). */
  readonly traceIds: string;
}

const refsPerRecord = 6;
const numbersPerRecord = 6;

export function encodeRecords(records: readonly CallRecord[]): RecordBatch {
  const count = records.length;
  const strings: string[] = [];
  const indexes = new Map<string, number>();
  const refs = new Uint32Array(count * refsPerRecord);
  const numbers = new Float64Array(count * numbersPerRecord);
  let traceIds = '';
  const ref = (value: string | undefined): number => {
    if (value === undefined) return 0;
    let index = indexes.get(value);
    if (index === undefined) {
      index = strings.push(value);
      indexes.set(value, index);
    }
    return index;
  };
  for (let index = 0; index < count; index++) {
    const record = records[index]!;
    const refBase = index * refsPerRecord;
    refs[refBase] = ref(record.route);
    refs[refBase + 1] = ref(record.api);
    refs[refBase + 2] = ref(record.operation);
    refs[refBase + 3] = ref(record.application);
    refs[refBase + 4] = ref(record.clientIp);
    refs[refBase + 5] = ref(record.errorCode);
    const numberBase = index * numbersPerRecord;
    numbers[numberBase] = record.timestampMs;
    numbers[numberBase + 1] = record.status;
    numbers[numberBase + 2] = record.latencyMs;
    numbers[numberBase + 3] = record.upstreamLatencyMs ?? NaN;
    numbers[numberBase + 4] = record.requestBytes;
    numbers[numberBase + 5] = record.responseBytes;
    // Trace ids are hex (proxy/traceparent.ts): no comma inside one.
    traceIds += index === 0 ? record.traceId : `,${record.traceId}`;
  }
  return { count, strings, refs, numbers, traceIds };
}

/**
 * The records of a batch, or undefined when it is not one (a message is checked, not trusted:
 * it crossed a process boundary).
 */
export function decodeRecords(batch: RecordBatch): CallRecord[] | undefined {
  const { count, strings, refs, numbers } = batch;
  const traceIds = typeof batch.traceIds === 'string' ? batch.traceIds.split(',') : [];
  if (
    !Number.isInteger(count) ||
    !Array.isArray(strings) ||
    !(refs instanceof Uint32Array) ||
    !(numbers instanceof Float64Array) ||
    refs.length !== count * refsPerRecord ||
    numbers.length !== count * numbersPerRecord ||
    (count > 0 && traceIds.length !== count)
  )
    return undefined;
  const text = (reference: number): string | undefined =>
    reference === 0 ? undefined : strings[reference - 1];
  const records: CallRecord[] = new Array<CallRecord>(count);
  for (let index = 0; index < count; index++) {
    const refBase = index * refsPerRecord;
    const numberBase = index * numbersPerRecord;
    const upstreamLatencyMs = numbers[numberBase + 3]!;
    records[index] = {
      timestampMs: numbers[numberBase]!,
      route: text(refs[refBase]!) ?? '',
      api: text(refs[refBase + 1]!),
      operation: text(refs[refBase + 2]!) ?? '',
      application: text(refs[refBase + 3]!),
      status: numbers[numberBase + 1]!,
      latencyMs: numbers[numberBase + 2]!,
      upstreamLatencyMs: Number.isNaN(upstreamLatencyMs) ? undefined : upstreamLatencyMs,
      requestBytes: numbers[numberBase + 4]!,
      responseBytes: numbers[numberBase + 5]!,
      clientIp: text(refs[refBase + 4]!) ?? '',
      errorCode: text(refs[refBase + 5]!),
      traceId: String(traceIds[index]),
    };
  }
  return records;
}
