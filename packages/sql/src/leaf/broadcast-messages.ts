/**
 * Payloads of the leaf's broadcast requests: `Op.CreateBroadcast` (see `BroadcastRequest`: the
 * rows in the rows codec, or Parquet files) and `Op.ExportBroadcastRows` (`ExportRowsRequest`).
 */
import { BinaryError, BinaryReader, BinaryWriter } from '../storage/binary.js';
import type { BroadcastRequest, ExportRowsRequest } from './api.js';
import { readRows, writeRows } from './rows-codec.js';
import { readPartition, writePartition } from './wire-messages.js';

/** Parquet files one copy may carry (one per source partition). */
const PARQUET_FILES_MAX = 4096;
const ROWS = 0;
const PARQUET = 1;

export function encodeBroadcastRequest(request: BroadcastRequest): Buffer {
  const writer = new BinaryWriter();
  writer.string(request.name);
  writer.u32(request.columns.length);
  for (const column of request.columns) {
    writer.string(column.name);
    writer.string(column.engineType);
  }
  if (request.parquet === undefined) {
    writer.u8(ROWS);
    writeRows(writer, request.rows, request.columns.length);
  } else {
    writer.u8(PARQUET);
    writer.u32(request.parquet.length);
    for (const file of request.parquet) writer.bytes(file);
  }
  return writer.view();
}

export function decodeBroadcastRequest(payload: Buffer): BroadcastRequest {
  const reader = new BinaryReader(payload);
  const name = reader.string();
  const count = reader.count(8);
  const columns: { name: string; engineType: string }[] = [];
  for (let index = 0; index < count; index++)
    columns.push({ name: reader.string(), engineType: reader.string() });
  if (reader.u8() === ROWS) return { name, columns, rows: readRows(reader) };
  const files = reader.count(4);
  if (files > PARQUET_FILES_MAX) throw new BinaryError(`Too many Parquet files (${files})`);
  const parquet: Uint8Array[] = [];
  for (let index = 0; index < files; index++) parquet.push(reader.bytes());
  return { name, columns, rows: [], parquet };
}

export function encodeExportRowsRequest(request: ExportRowsRequest): Buffer {
  const writer = new BinaryWriter();
  writePartition(writer, request.partition);
  writer.string(request.sql);
  return writer.view();
}

export function decodeExportRowsRequest(payload: Buffer): ExportRowsRequest {
  const reader = new BinaryReader(payload);
  return { partition: readPartition(reader), sql: reader.string() };
}
