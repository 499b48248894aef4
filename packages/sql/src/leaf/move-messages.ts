/** Payloads of the leaf's partition-move requests (see `LeafApi.freezePartition`). */
import { BinaryError, BinaryReader, BinaryWriter } from '../storage/binary.js';
import { PARTITION_CHUNK_BYTES_MAX } from '../storage/partition-files.js';
import type { PartitionChunkRequest, PartitionFileInfo } from './api.js';
import { readPartition, writePartition } from './wire-messages.js';

const FILES_MAX = 16;

export function encodeFileInfos(files: readonly PartitionFileInfo[]): Buffer {
  const writer = new BinaryWriter(64);
  writer.u32(files.length);
  for (const file of files) {
    writer.string(file.name);
    writer.f64(file.bytes);
  }
  return writer.view();
}

export function decodeFileInfos(payload: Buffer): PartitionFileInfo[] {
  const reader = new BinaryReader(payload);
  const count = reader.count(12);
  if (count > FILES_MAX) throw new BinaryError(`More than ${FILES_MAX} partition files`);
  const files: PartitionFileInfo[] = [];
  for (let index = 0; index < count; index++)
    files.push({ name: reader.string(), bytes: reader.f64() });
  return files;
}

/** A chunk request; `bytes` is the wanted length (read) and `data` the chunk (receive). */
export function encodeChunkRequest(
  request: PartitionChunkRequest & { readonly bytes?: number; readonly data?: Uint8Array },
): Buffer {
  const writer = new BinaryWriter(64 + (request.data?.length ?? 0));
  writePartition(writer, request.partition);
  writer.string(request.name);
  writer.f64(request.offset);
  writer.f64(request.bytes ?? 0);
  writer.bytes(request.data ?? new Uint8Array());
  return writer.view();
}

export function decodeChunkRequest(
  payload: Buffer,
): PartitionChunkRequest & { readonly bytes: number; readonly data: Uint8Array } {
  const reader = new BinaryReader(payload);
  const partition = readPartition(reader);
  const name = reader.string();
  const offset = reader.f64();
  const bytes = reader.f64();
  const data = reader.bytes();
  if (!Number.isSafeInteger(offset) || offset < 0) throw new BinaryError('Bad chunk offset');
  if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > PARTITION_CHUNK_BYTES_MAX)
    throw new BinaryError('Bad chunk length');
  return { partition, name, offset, bytes, data };
}
