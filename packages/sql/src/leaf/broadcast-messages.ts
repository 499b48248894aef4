/** Payload of the leaf's broadcast-table request (`Op.CreateBroadcast`, see `BroadcastRequest`). */
import { BinaryReader, BinaryWriter } from '../storage/binary.js';
import type { BroadcastRequest } from './api.js';
import { readRows, writeRows } from './rows-codec.js';

export function encodeBroadcastRequest(request: BroadcastRequest): Buffer {
  const writer = new BinaryWriter();
  writer.string(request.name);
  writer.u32(request.columns.length);
  for (const column of request.columns) {
    writer.string(column.name);
    writer.string(column.engineType);
  }
  writeRows(writer, request.rows, request.columns.length);
  return writer.view();
}

export function decodeBroadcastRequest(payload: Buffer): BroadcastRequest {
  const reader = new BinaryReader(payload);
  const name = reader.string();
  const count = reader.count(8);
  const columns: { name: string; engineType: string }[] = [];
  for (let index = 0; index < count; index++)
    columns.push({ name: reader.string(), engineType: reader.string() });
  const rows = readRows(reader);
  return { name, columns, rows };
}
