/** Payloads of the leaf's savepoint requests (`Op.Savepoint`, `Op.RollbackToSavepoint`). */
import { BinaryError, BinaryReader, BinaryWriter } from '../storage/binary.js';
import type { SavepointRequest } from './api.js';

/** The aggregator holds at most this many savepoints per transaction; more is a bad request. */
const KEEP_MAX = 100_000;

export function encodeSavepointRequest(request: SavepointRequest): Buffer {
  const writer = new BinaryWriter(64 + request.keep.length * 8);
  writer.string(request.txn);
  writer.f64(request.savepoint);
  writer.u32(request.keep.length);
  for (const id of request.keep) writer.f64(id);
  return writer.view();
}

export function decodeSavepointRequest(payload: Buffer): SavepointRequest {
  const reader = new BinaryReader(payload);
  const txn = reader.string();
  const savepoint = reader.f64();
  const count = reader.count(8);
  if (count > KEEP_MAX) throw new BinaryError(`More than ${KEEP_MAX} savepoints`);
  const keep: number[] = [];
  for (let index = 0; index < count; index++) keep.push(reader.f64());
  return { txn, savepoint, keep };
}
