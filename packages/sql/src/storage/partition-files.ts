/**
 * The files of a partition on the move (REBALANCE PARTITIONS). The source leaf copies the
 * partition's checkpointed files into `<dataDir>/.moves/outgoing/<partition>/` (a snapshot
 * that later reads cannot change) and serves it in chunks; the destination writes the chunks
 * into `<dataDir>/.moves/incoming/<partition>/`, fsyncs them, and renames the folder into
 * place. Both folders are scratch space: a leaf removes them when it opens, so a copy cut
 * short by a crash is discarded.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { sqlError } from '../errors.js';
import type { PartitionRef } from '../leaf/api.js';
import {
  COLUMNSTORE_FILE,
  ROWSTORE_FILE,
  encodeDatabaseName,
  ordinalDirectory,
  partitionDirectory,
} from './names.js';

const MOVES_DIRECTORY = '.moves';
/** The files a partition is made of; nothing else is copied or accepted. */
export const PARTITION_FILES: readonly string[] = [ROWSTORE_FILE, COLUMNSTORE_FILE];
/** The largest chunk one request carries. */
export const PARTITION_CHUNK_BYTES_MAX = 8 * 1024 * 1024;

export interface PartitionFileInfo {
  readonly name: string;
  readonly bytes: number;
}

function moveDirectory(dataDir: string, kind: 'incoming' | 'outgoing', ref: PartitionRef): string {
  const name = `${encodeDatabaseName(ref.database)}.${ordinalDirectory(ref.ordinal)}`;
  return path.join(dataDir, MOVES_DIRECTORY, kind, name);
}

function checkName(name: string): void {
  if (!PARTITION_FILES.includes(name))
    throw sqlError('WRONG_ARGUMENTS', `'${name}' is not a partition file`);
}

/** Removes every unfinished move (called when the leaf opens). */
export async function removeMoveScratch(dataDir: string): Promise<void> {
  await rm(path.join(dataDir, MOVES_DIRECTORY), { recursive: true, force: true });
}

/** Copies the partition's (checkpointed, no longer written) files into its outgoing folder. */
export async function snapshotPartition(
  dataDir: string,
  ref: PartitionRef,
): Promise<PartitionFileInfo[]> {
  const target = moveDirectory(dataDir, 'outgoing', ref);
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  const source = partitionDirectory(dataDir, ref);
  const files: PartitionFileInfo[] = [];
  for (const name of PARTITION_FILES) {
    await copyFile(path.join(source, name), path.join(target, name), constants.COPYFILE_FICLONE);
    files.push({ name, bytes: (await stat(path.join(target, name))).size });
  }
  return files;
}

export async function readSnapshotChunk(options: {
  readonly dataDir: string;
  readonly ref: PartitionRef;
  readonly name: string;
  readonly offset: number;
  readonly bytes: number;
}): Promise<Buffer> {
  checkName(options.name);
  const length = Math.min(Math.max(0, options.bytes), PARTITION_CHUNK_BYTES_MAX);
  const file = path.join(moveDirectory(options.dataDir, 'outgoing', options.ref), options.name);
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, options.offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function removeSnapshot(dataDir: string, ref: PartitionRef): Promise<void> {
  await rm(moveDirectory(dataDir, 'outgoing', ref), { recursive: true, force: true });
}

/** Writes one received chunk; offset 0 of the first file starts the copy afresh. */
export async function writeIncomingChunk(options: {
  readonly dataDir: string;
  readonly ref: PartitionRef;
  readonly name: string;
  readonly offset: number;
  readonly data: Uint8Array;
}): Promise<void> {
  checkName(options.name);
  if (options.data.length > PARTITION_CHUNK_BYTES_MAX)
    throw sqlError('NET_PACKET_TOO_LARGE', 'Partition chunk too large');
  const directory = moveDirectory(options.dataDir, 'incoming', options.ref);
  if (options.offset === 0 && options.name === PARTITION_FILES[0])
    await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  const handle = await open(path.join(directory, options.name), options.offset === 0 ? 'w' : 'r+');
  try {
    await handle.write(options.data, 0, options.data.length, options.offset);
  } finally {
    await handle.close();
  }
}

async function fsyncPath(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes the received files durable and moves them into the partition's folder, which must
 * not exist (the catalog does not place this partition here). After this returns, the copy
 * survives a crash of this leaf.
 */
export async function installIncoming(dataDir: string, ref: PartitionRef): Promise<void> {
  const directory = moveDirectory(dataDir, 'incoming', ref);
  const received = new Set(await readdir(directory).catch(() => [] as string[]));
  for (const name of PARTITION_FILES) {
    if (!received.has(name))
      throw sqlError('INTERNAL', `Partition file ${name} was not received before installing`);
    await fsyncPath(path.join(directory, name));
  }
  await fsyncPath(directory);
  const target = partitionDirectory(dataDir, ref);
  await mkdir(path.dirname(target), { recursive: true });
  // A folder left by an earlier move of this partition away from here is stale.
  await rm(target, { recursive: true, force: true });
  await rename(directory, target);
  await fsyncPath(path.dirname(target));
}
