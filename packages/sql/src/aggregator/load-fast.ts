/**
 * The LOAD DATA fast path on the aggregator: the file's bytes are split into lines (no
 * per-field strings), each line's shard key is hashed from its bytes (`load-key.ts`), and the
 * line joins its partition's chunk as part of a run of lines (a view of the packet it came in,
 * not a copy); full chunks go to the leaves as raw bytes inside the statement's transaction
 * (`LeafApi.load`, the frame joins the runs), where DuckDB parses, checks and inserts them.
 * Copying each run into a growing buffer, then into the request and the frame, allocated ~8 MB
 * of buffers per 10,000-line packet; after a bulk load V8 answered that churn with a full
 * garbage collection per packet (~15 ms of CPU each).
 * Each line is also tested for its columns' canonical shape (`load-shapes.ts`): a chunk whose
 * every line has it is sent typed, and its leaf skips the checks.
 * Lines the leaf's checks refuse come back and are inserted through the exact path
 * (`insertRows`), which stores them as INSERT would or raises MySQL's error.
 *
 * From the first chunk holding an enclosure byte (or, with one, a whole `NULL` field), a
 * carriage return, a NUL byte or a backslash other than a whole `\N` field, the rest of the file
 * goes to `slow` (the exact parser), since such lines may span several physical lines or need
 * unescaping. Empty lines go there too, and lines with too few or too many fields.
 */
import { isUtf8 } from 'node:buffer';
import { sqlError } from '../errors.js';
import type { LoadResult } from '../leaf/api.js';
import type { SqlValue } from '../values.js';
import type { PartitionTarget } from './cluster.js';
import type { StatementContext, Warning } from './context.js';
import { isAbortConsequence } from './fan-out.js';
import type { Transaction } from './coordinator.js';
import { insertRows } from './insert.js';
import { lineKeyHash } from './load-key.js';
import type { FastLoadPlan } from './load-plan.js';

const CHUNK_BYTES = 8 * 1024 * 1024;
/**
 * A chunk's runs pin the packets they view: a chunk whose first run came this many bytes of
 * input ago is sent before it takes another, so a partition that gets a line now and then
 * cannot pin the whole file.
 */
const CHUNK_SPAN_BYTES = 64 * 1024 * 1024;
const IN_FLIGHT_MAX = 4;
/** Keyless tables: lines go round-robin in runs of this many. */
const KEYLESS_RUN_LINES = 1024;
const REJECTED_BATCH_ROWS = 20_000;
/**
 * Lines routed between two turns of the event loop: a 10,000-line packet routed at once held
 * the aggregator for ~10 ms, which every other session's statement waited out.
 */
const LINES_PER_TURN = 1024;
/** A line longer than this (or a file without line ends) takes the exact path. */
const LINE_BYTES_MAX = 16 * 1024 * 1024;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const CAPITAL_N = 0x4e;

interface Chunk {
  /** Runs of lines: views of the packets they came in (the frame to the leaf joins them). */
  readonly runs: Buffer[];
  bytes: number;
  lines: number;
  /** `FastLoader.received` when its first run came. */
  readonly since: number;
  /** Whether every line has the plan's shape. */
  typed: boolean;
}

export interface FastLoaderOptions {
  readonly context: StatementContext;
  readonly transaction: Transaction;
  readonly plan: FastLoadPlan;
  readonly targets: readonly PartitionTarget[];
  /** Lines to skip first (IGNORE n LINES); shared with the exact path after a switch. */
  readonly skip: { lines: number };
  /** Receives the bytes that must take the exact path (whole lines, in order). */
  readonly slow: (bytes: Buffer) => Promise<void>;
}

export class FastLoader {
  private readonly chunks: (Chunk | undefined)[];
  private readonly inFlight = new Set<Promise<void>>();
  private rejected: (string | null)[][] = [];
  private leftover: Buffer | undefined;
  private switched = false;
  private failure: Error | undefined;
  private row = 0;
  private keyless = 0;
  /** Bytes of the file received so far. */
  private received = 0;
  affectedRows = 0;
  /** The warnings (Notes) of the lines the leaves refused and the exact path stored. */
  readonly warnings: Warning[] = [];

  constructor(private readonly options: FastLoaderOptions) {
    this.chunks = options.targets.map(() => undefined);
  }

  async push(input: Uint8Array): Promise<void> {
    this.check();
    this.received += input.byteLength;
    const incoming = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (this.switched) return this.options.slow(incoming);
    const data = this.leftover === undefined ? incoming : Buffer.concat([this.leftover, incoming]);
    this.leftover = undefined;
    const complete = data.lastIndexOf(NEWLINE) + 1;
    const stop = this.fastEnd(data, complete);
    await this.route(data, stop);
    if (stop < complete) {
      this.switched = true;
      await this.options.slow(data.subarray(stop));
      return;
    }
    if (complete < data.length) this.leftover = Buffer.from(data.subarray(complete));
    if (this.leftover !== undefined && this.leftover.length > LINE_BYTES_MAX) {
      this.switched = true;
      const rest = this.leftover;
      this.leftover = undefined;
      await this.options.slow(rest);
    }
  }

  /** Waits for the chunks in flight (after a failure, before the transaction rolls back). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
  }

  /** Sends what is left; returns the rows written. */
  async finish(): Promise<number> {
    if (this.leftover !== undefined) {
      const rest = this.leftover;
      this.leftover = undefined;
      // The last line without its terminator: the exact path reads it as MySQL does.
      this.switched = true;
      await this.options.slow(rest);
    }
    for (let ordinal = 0; ordinal < this.chunks.length; ordinal++) await this.send(ordinal);
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
    this.check();
    await this.insertRejected();
    return this.affectedRows;
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * Where the fast path must stop in `data[0, complete)`: the start of the first line holding a
   * byte it cannot pass on as is.
   */
  private fastEnd(data: Buffer, complete: number): number {
    let first = complete;
    const earliest = (byte: number): void => {
      const found = data.indexOf(byte);
      if (found >= 0 && found < first) first = found;
    };
    earliest(0x0d);
    earliest(0x00);
    const delimiter = this.options.plan.delimiter;
    const wholeField = (at: number, length: number): boolean => {
      const before = at === 0 ? NEWLINE : data[at - 1];
      const after = data[at + length];
      return (
        (before === NEWLINE || before === delimiter) && (after === NEWLINE || after === delimiter)
      );
    };
    if (this.options.plan.enclosure !== undefined) {
      earliest(this.options.plan.enclosure);
      // With ENCLOSED BY, a field that is the word NULL unquoted is NULL: the exact path reads it.
      for (let found = data.indexOf('NULL'); found >= 0 && found < first;) {
        if (wholeField(found, 4)) first = found;
        else found = data.indexOf('NULL', found + 4);
      }
    }
    for (let found = data.indexOf(BACKSLASH); found >= 0 && found < first;) {
      if (data[found + 1] !== CAPITAL_N || !wholeField(found, 2)) first = found;
      else found = data.indexOf(BACKSLASH, found + 2);
    }
    // DuckDB's CSV reader refuses bytes that are not UTF-8; such lines take the exact path.
    if (!isUtf8(data.subarray(0, first))) first = firstLineNotUtf8(data, first);
    return first === complete ? complete : data.lastIndexOf(NEWLINE, first) + 1;
  }

  /** Routes the complete lines of `data[0, end)`. */
  private async route(data: Buffer, end: number): Promise<void> {
    const { plan, skip } = this.options;
    const partitions = this.chunks.length;
    const shape = plan.shape;
    let runOrdinal = -1;
    let runStart = 0;
    let runLines = 0;
    let runTyped = shape !== undefined;
    let start = 0;
    while (start < end) {
      const newline = data.indexOf(NEWLINE, start);
      // A line of the canonical shape has every field; another one may have too few or too many,
      // which the exact path reads with MySQL's defaults and warnings (1261, 1262).
      const canonical = shape?.matches(data, start, newline) === true;
      const whole =
        canonical || fieldCount(data, start, newline, plan.delimiter) === plan.columns.length;
      if (skip.lines > 0 || newline === start || !whole) {
        await this.appendRun(runOrdinal, data, runStart, start, runLines, runTyped);
        runOrdinal = -1;
        runLines = 0;
        runTyped = shape !== undefined;
        if (skip.lines > 0) skip.lines -= 1;
        else await this.options.slow(data.subarray(start, newline + 1));
        start = newline + 1;
        runStart = start;
        continue;
      }
      this.row += 1;
      if (this.row % LINES_PER_TURN === 0) await nextTurn();
      let ordinal: number;
      if (plan.keys.length === 0) {
        this.keyless += 1;
        ordinal = Math.floor(this.keyless / KEYLESS_RUN_LINES) % partitions;
      } else {
        ordinal =
          lineKeyHash(data, start, newline, plan.delimiter, plan.keys, this.row) % partitions;
      }
      if (ordinal !== runOrdinal) {
        // Most runs fit their chunk: no promise per run (thousands per packet).
        const full = this.appendRun(runOrdinal, data, runStart, start, runLines, runTyped);
        if (full !== undefined) await full;
        runOrdinal = ordinal;
        runStart = start;
        runLines = 0;
        runTyped = shape !== undefined;
      }
      runLines += 1;
      if (!canonical) runTyped = false;
      start = newline + 1;
    }
    await this.appendRun(runOrdinal, data, runStart, end, runLines, runTyped);
  }

  /**
   * Adds the lines `data[start, end)` to the partition's chunk; when they would take it past
   * CHUNK_BYTES, sends it first and returns the promise of that (else nothing to wait for).
   * The lines are kept as a view of `data`, not copied: the frame to the leaf copies them once.
   */
  private appendRun(
    ordinal: number,
    data: Buffer,
    start: number,
    end: number,
    lines: number,
    typed: boolean,
  ): Promise<void> | undefined {
    if (ordinal < 0 || lines === 0) return undefined;
    const chunk = this.chunks[ordinal];
    if (
      chunk !== undefined &&
      (chunk.bytes + end - start > CHUNK_BYTES || this.received - chunk.since > CHUNK_SPAN_BYTES)
    )
      return this.send(ordinal).then(() => {
        this.addRun(ordinal, data, start, end, lines, typed);
      });
    this.addRun(ordinal, data, start, end, lines, typed);
    return undefined;
  }

  private addRun(
    ordinal: number,
    data: Buffer,
    start: number,
    end: number,
    lines: number,
    typed: boolean,
  ): void {
    let chunk = this.chunks[ordinal];
    if (chunk === undefined) {
      chunk = { runs: [], bytes: 0, lines: 0, typed: true, since: this.received };
      this.chunks[ordinal] = chunk;
    }
    chunk.runs.push(data.subarray(start, end));
    chunk.bytes += end - start;
    chunk.lines += lines;
    chunk.typed &&= typed;
  }

  private async send(ordinal: number): Promise<void> {
    const chunk = this.chunks[ordinal];
    this.chunks[ordinal] = undefined;
    if (chunk === undefined || chunk.lines === 0) return;
    while (this.inFlight.size >= IN_FLIGHT_MAX) await Promise.race(this.inFlight);
    this.check();
    const { context, transaction, plan, targets } = this.options;
    const target = targets[ordinal] as PartitionTarget;
    transaction.touch(target.leaf, target.partition, 'column', true);
    const sending = (async (): Promise<void> => {
      const api = await context.services.cluster.pool.get(target.leaf);
      const result: LoadResult = await api.load(
        {
          partition: target.partition,
          engine: 'column',
          txn: transaction.id,
          table: plan.table.name,
          columns: plan.columns.map((column) => column.name),
          values: plan.checks.map((check) => check.value),
          accept: plan.checks.map((check) => check.accept).join(' AND '),
          fieldCount: plan.columns.length,
          delimiter: String.fromCharCode(plan.delimiter),
          lines: chunk.lines,
          typed: chunk.typed ? plan.shape?.types : undefined,
          data: chunk.runs,
        },
        context.signal,
      );
      this.affectedRows += result.affectedRows;
      for (const row of result.rejected) this.rejected.push([...row]);
    })().catch((error: unknown) => {
      if (this.failure === undefined || isAbortConsequence(this.failure))
        this.failure = error instanceof Error ? error : new Error(String(error));
    });
    const tracked = sending.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    if (this.rejected.length >= REJECTED_BATCH_ROWS) await this.insertRejected();
  }

  /** The lines the leaves refused take the exact path: stored as INSERT would, or MySQL's error. */
  private async insertRejected(): Promise<void> {
    if (this.rejected.length === 0) return;
    const rows: SqlValue[][] = this.rejected;
    this.rejected = [];
    const { context, transaction, plan } = this.options;
    const outcome = await insertRows(
      { ...context, transaction },
      plan.table,
      plan.columns.map((column) => column.name),
      rows,
      'error',
    );
    this.affectedRows += outcome.affectedRows;
    this.warnings.push(...(outcome.warnings ?? []));
    if (outcome.affectedRows !== rows.length)
      throw sqlError('INTERNAL', 'A bulk load stored fewer rows than it was given');
  }
}

/** The number of fields of the line `data[start, end)`. */
function fieldCount(data: Buffer, start: number, end: number, delimiter: number): number {
  let count = 1;
  for (let at = start; at < end; at++) if (data[at] === delimiter) count += 1;
  return count;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The start of the first line in `data[0, end)` that is not valid UTF-8 (`end` if none). */
function firstLineNotUtf8(data: Buffer, end: number): number {
  for (let start = 0; start < end;) {
    const newline = data.indexOf(NEWLINE, start);
    const stop = newline < 0 || newline >= end ? end : newline + 1;
    if (!isUtf8(data.subarray(start, stop))) return start;
    start = stop;
  }
  return end;
}
