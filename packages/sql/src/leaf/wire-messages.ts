/**
 * Payloads of the leaf protocol (`wire.ts`). Everything is binary; `info` answers with a small
 * JSON document (control data, not rows).
 */
import { SqlError } from '../errors.js';
import { BinaryError, BinaryReader, BinaryWriter } from '../storage/binary.js';
import { readValue, readValues, writeValue, writeValues } from '../storage/value-codec.js';
import type { ColumnMeta } from '../values.js';
import type {
  ConflictMode,
  Engine,
  ExecRequest,
  ExecResult,
  InsertRequest,
  LeafInfo,
  PartitionRef,
} from './api.js';
import { readColumnMetas, readRows, writeColumnMetas, writeRows } from './rows-codec.js';

const CONFLICT_MODES: readonly ConflictMode[] = ['error', 'ignore', 'replace'];

export function writePartition(writer: BinaryWriter, partition: PartitionRef): void {
  writer.string(partition.database);
  writer.i32(partition.ordinal);
}

export function readPartition(reader: BinaryReader): PartitionRef {
  return { database: reader.string(), ordinal: reader.i32() };
}

function writeEngine(writer: BinaryWriter, engine: Engine): void {
  writer.u8(engine === 'row' ? 0 : 1);
}

function readEngine(reader: BinaryReader): Engine {
  const value = reader.u8();
  if (value > 1) throw new BinaryError(`Unknown engine ${value}`);
  return value === 0 ? 'row' : 'column';
}

function writeOptionalString(writer: BinaryWriter, value: string | undefined): void {
  writer.u8(value === undefined ? 0 : 1);
  if (value !== undefined) writer.string(value);
}

function readOptionalString(reader: BinaryReader): string | undefined {
  return reader.u8() === 0 ? undefined : reader.string();
}

export function encodePartition(partition: PartitionRef): Buffer {
  const writer = new BinaryWriter(64);
  writePartition(writer, partition);
  return writer.view();
}

export function decodePartition(payload: Buffer): PartitionRef {
  const reader = new BinaryReader(payload);
  return readPartition(reader);
}

export function encodeString(value: string): Buffer {
  const writer = new BinaryWriter(64);
  writer.string(value);
  return writer.view();
}

export function decodeString(payload: Buffer): string {
  return new BinaryReader(payload).string();
}

export function encodeStrings(values: readonly string[]): Buffer {
  const writer = new BinaryWriter();
  writer.u32(values.length);
  for (const value of values) writer.string(value);
  return writer.view();
}

export function decodeStrings(payload: Buffer): string[] {
  const reader = new BinaryReader(payload);
  const count = reader.count(4);
  const values: string[] = [];
  for (let index = 0; index < count; index++) values.push(reader.string());
  return values;
}

/**
 * Encoded column lists by list. A plan cached on the aggregator sends the same list with every
 * execution, so its bytes are made once; lists of one-off plans are collected with them.
 */
const encodedColumnMetas = new WeakMap<readonly ColumnMeta[], Buffer>();

function writeColumnMetasCached(writer: BinaryWriter, columns: readonly ColumnMeta[]): void {
  let bytes = encodedColumnMetas.get(columns);
  if (bytes === undefined) {
    const own = new BinaryWriter();
    writeColumnMetas(own, columns);
    bytes = Buffer.from(own.view());
    encodedColumnMetas.set(columns, bytes);
  }
  writer.raw(bytes);
}

/**
 * An exec request's flags: result columns follow; the read takes the partition's write lock;
 * the lock wait limit follows.
 */
const EXEC_COLUMNS = 1;
const EXEC_LOCK = 2;
const EXEC_LOCK_WAIT = 4;
/** An insert request without a lock wait limit of its own. */
const NO_LOCK_WAIT = 0xffffffff;

/** A lock wait limit as sent: whole milliseconds below `NO_LOCK_WAIT`. */
function lockWaitField(lockWaitMs: number): number {
  return Math.min(Math.max(0, Math.round(lockWaitMs)), NO_LOCK_WAIT - 1);
}

export function encodeExecRequests(requests: readonly ExecRequest[]): Buffer {
  const writer = new BinaryWriter();
  writer.u32(requests.length);
  for (const request of requests) {
    writePartition(writer, request.partition);
    writeEngine(writer, request.engine);
    writer.string(request.sql);
    writeValues(writer, request.params ?? []);
    writeOptionalString(writer, request.txn);
    writer.u8(
      (request.columns === undefined ? 0 : EXEC_COLUMNS) |
        (request.lock === true ? EXEC_LOCK : 0) |
        (request.lockWaitMs === undefined ? 0 : EXEC_LOCK_WAIT),
    );
    if (request.lockWaitMs !== undefined) writer.u32(lockWaitField(request.lockWaitMs));
    if (request.columns !== undefined) writeColumnMetasCached(writer, request.columns);
  }
  return writer.view();
}

export function decodeExecRequests(payload: Buffer): ExecRequest[] {
  const reader = new BinaryReader(payload);
  const count = reader.count(16);
  const requests: ExecRequest[] = [];
  for (let index = 0; index < count; index++) {
    const partition = readPartition(reader);
    const engine = readEngine(reader);
    const sql = reader.string();
    const params = readValues(reader);
    const txn = readOptionalString(reader);
    const flags = reader.u8();
    const lockWaitMs = (flags & EXEC_LOCK_WAIT) === 0 ? undefined : reader.u32();
    const columns: ColumnMeta[] | undefined =
      (flags & EXEC_COLUMNS) === 0 ? undefined : readColumnMetas(reader);
    requests.push({
      partition,
      engine,
      sql,
      params,
      ...(txn === undefined ? {} : { txn }),
      ...(columns === undefined ? {} : { columns }),
      ...((flags & EXEC_LOCK) !== 0 ? { lock: true } : {}),
      ...(lockWaitMs === undefined ? {} : { lockWaitMs }),
    });
  }
  return requests;
}

/** Result columns: the list follows, or they are the ones the request carried (not sent back). */
const COLUMNS_FOLLOW = 0;
const COLUMNS_AS_REQUESTED = 1;

/** `requests` are the ones answered, in order: a result with the request's columns omits them. */
export function encodeExecResults(
  results: readonly ExecResult[],
  requests: readonly ExecRequest[] = [],
): Buffer {
  const writer = new BinaryWriter();
  writer.u32(results.length);
  for (const [index, result] of results.entries()) {
    if (result.columns === requests[index]?.columns) writer.u8(COLUMNS_AS_REQUESTED);
    else {
      writer.u8(COLUMNS_FOLLOW);
      writeColumnMetas(writer, result.columns);
    }
    writeRows(writer, result.rows, result.columns.length);
    writer.f64(result.affectedRows);
    writeValue(writer, result.lastInsertRowid ?? null);
  }
  return writer.view();
}

/** `requests` are the ones sent, in order (a result may refer to their columns). */
export function decodeExecResults(
  payload: Buffer,
  requests: readonly ExecRequest[] = [],
): ExecResult[] {
  const reader = new BinaryReader(payload);
  const count = reader.count(18);
  const results: ExecResult[] = [];
  for (let index = 0; index < count; index++) {
    const mode = reader.u8();
    let columns: readonly ColumnMeta[];
    if (mode === COLUMNS_FOLLOW) columns = readColumnMetas(reader);
    else {
      const requested = requests[index]?.columns;
      if (mode !== COLUMNS_AS_REQUESTED || requested === undefined)
        throw new BinaryError('Result refers to columns the request did not carry');
      columns = requested;
    }
    const rows = readRows(reader);
    const affectedRows = reader.f64();
    const lastInsertRowid = readValue(reader);
    const base = { columns, rows, affectedRows };
    results.push(
      typeof lastInsertRowid === 'number' || typeof lastInsertRowid === 'bigint'
        ? { ...base, lastInsertRowid }
        : base,
    );
  }
  return results;
}

export function encodeInsertRequest(request: InsertRequest): Buffer {
  const writer = new BinaryWriter();
  writePartition(writer, request.partition);
  writeEngine(writer, request.engine);
  writer.string(request.table);
  writer.u32(request.columns.length);
  for (const column of request.columns) writer.string(column);
  writer.u8(CONFLICT_MODES.indexOf(request.onConflict));
  writeOptionalString(writer, request.txn);
  writer.u32(request.lockWaitMs === undefined ? NO_LOCK_WAIT : lockWaitField(request.lockWaitMs));
  writeRows(writer, request.rows, request.columns.length);
  return writer.view();
}

export function decodeInsertRequest(payload: Buffer): InsertRequest {
  const reader = new BinaryReader(payload);
  const partition = readPartition(reader);
  const engine = readEngine(reader);
  const table = reader.string();
  const columnCount = reader.count(4);
  const columns: string[] = [];
  for (let index = 0; index < columnCount; index++) columns.push(reader.string());
  const onConflict = CONFLICT_MODES[reader.u8()];
  if (onConflict === undefined) throw new BinaryError('Unknown conflict mode');
  const txn = readOptionalString(reader);
  const lockWait = reader.u32();
  const rows = readRows(reader);
  return {
    partition,
    engine,
    table,
    columns,
    rows,
    onConflict,
    ...(txn === undefined ? {} : { txn }),
    ...(lockWait === NO_LOCK_WAIT ? {} : { lockWaitMs: lockWait }),
  };
}

export function encodeAffectedRows(affectedRows: number): Buffer {
  const writer = new BinaryWriter(8);
  writer.f64(affectedRows);
  return writer.view();
}

export function decodeAffectedRows(payload: Buffer): number {
  return new BinaryReader(payload).f64();
}

export function encodeInfo(info: LeafInfo): Buffer {
  return Buffer.from(JSON.stringify(info), 'utf8');
}

export function decodeInfo(payload: Buffer): LeafInfo {
  return JSON.parse(payload.toString('utf8')) as LeafInfo;
}

export function encodeError(error: SqlError): Buffer {
  const writer = new BinaryWriter(128);
  writer.u32(error.errno);
  writer.string(error.sqlState);
  writer.string(error.message);
  return writer.view();
}

export function decodeError(payload: Buffer): SqlError {
  const reader = new BinaryReader(payload);
  return new SqlError(reader.u32(), reader.string(), reader.string());
}
