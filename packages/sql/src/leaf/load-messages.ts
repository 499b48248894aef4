/** Payloads of the leaf's bulk load request (`Op.Load`, see `LoadRequest` in `api.ts`). */
import { BinaryError, BinaryReader, BinaryWriter } from '../storage/binary.js';
import type { LoadRequest, LoadResult } from './api.js';
import { readRows, writeRows } from './rows-codec.js';
import { payloadLength } from './wire.js';

const FIELD_COUNT_MAX = 4096;

/** The request as pieces: its header, then the chunk's bytes as given (joined by the frame). */
export function encodeLoadRequest(request: LoadRequest): Uint8Array[] {
  const writer = new BinaryWriter(4096);
  writer.string(request.partition.database);
  writer.i32(request.partition.ordinal);
  writer.u8(request.engine === 'row' ? 0 : 1);
  writer.string(request.txn);
  writer.string(request.table);
  writer.u32(request.columns.length);
  request.columns.forEach((column, index) => {
    writer.string(column);
    writer.string(request.values[index] ?? 'NULL');
  });
  writer.string(request.accept);
  writer.u32(request.fieldCount);
  writer.string(request.delimiter);
  writer.u32(request.lines);
  writer.u8(request.typed === undefined ? 0 : 1);
  if (request.typed !== undefined) {
    writer.u32(request.typed.length);
    for (const type of request.typed) writer.string(type);
  }
  // The layout of `BinaryWriter.bytes`: a length, then the bytes.
  writer.u32(payloadLength(request.data));
  const parts = request.data instanceof Uint8Array ? [request.data] : request.data;
  return [writer.view(), ...parts];
}

export function decodeLoadRequest(payload: Buffer): LoadRequest {
  const reader = new BinaryReader(payload);
  const partition = { database: reader.string(), ordinal: reader.i32() };
  const engine = reader.u8() === 0 ? 'row' : 'column';
  const txn = reader.string();
  const table = reader.string();
  const count = reader.count(8);
  const columns: string[] = [];
  const values: string[] = [];
  for (let index = 0; index < count; index++) {
    columns.push(reader.string());
    values.push(reader.string());
  }
  const accept = reader.string();
  const fieldCount = reader.u32();
  if (fieldCount === 0 || fieldCount > FIELD_COUNT_MAX)
    throw new BinaryError(`Invalid field count ${fieldCount}`);
  const delimiter = reader.string();
  const lines = reader.u32();
  let typed: string[] | undefined;
  if (reader.u8() === 1) {
    const typeCount = reader.count(4);
    if (typeCount !== fieldCount) throw new BinaryError('A typed load needs one type per field');
    typed = [];
    for (let index = 0; index < typeCount; index++) typed.push(reader.string());
  }
  // A view: the chunk is written to its file and dropped with the request (no copy of MBs).
  const data = reader.bytesView();
  return {
    partition,
    engine,
    txn,
    table,
    columns,
    values,
    accept,
    fieldCount,
    delimiter,
    lines,
    typed,
    data,
  };
}

export function encodeLoadResult(result: LoadResult, fieldCount: number): Buffer {
  const writer = new BinaryWriter();
  writer.f64(result.affectedRows);
  writeRows(writer, result.rejected, fieldCount);
  return writer.view();
}

export function decodeLoadResult(payload: Buffer): LoadResult {
  const reader = new BinaryReader(payload);
  const affectedRows = reader.f64();
  const rows = readRows(reader);
  return {
    affectedRows,
    rejected: rows.map((row) => row.map((value) => (value === null ? null : String(value)))),
  };
}
