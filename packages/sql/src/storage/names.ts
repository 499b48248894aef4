/**
 * Where a partition lives on disk and how DuckDB names it. Database names come from users,
 * so they are encoded before they become path segments or identifiers.
 */
import path from 'node:path';
import { REFERENCE_ORDINAL, type PartitionRef } from '../leaf/api.js';
import { sqlError } from '../errors.js';

export const ROWSTORE_FILE = 'rowstore.sqlite';
export const COLUMNSTORE_FILE = 'columnstore.duckdb';
const REFERENCE_DIRECTORY = 'ref';
const DATABASE_NAME_LENGTH_MAX = 64;

export function partitionKey(partition: PartitionRef): string {
  return `${partition.database}\u0000${partition.ordinal}`;
}

export function validatePartition(partition: PartitionRef): void {
  const { database, ordinal } = partition;
  if (
    typeof database !== 'string' ||
    database.length === 0 ||
    database.length > DATABASE_NAME_LENGTH_MAX
  ) {
    throw sqlError(
      'WRONG_ARGUMENTS',
      `Invalid database name for a partition: '${String(database)}'`,
    );
  }
  if (!Number.isInteger(ordinal) || ordinal < REFERENCE_ORDINAL || ordinal > 0xffff) {
    throw sqlError('WRONG_ARGUMENTS', `Invalid partition ordinal ${String(ordinal)}`);
  }
}

/** Letters, digits and `_` stay; anything else becomes `-XX` per UTF-8 byte, so names stay distinct. */
export function encodeDatabaseName(database: string): string {
  let result = '';
  for (const byte of Buffer.from(database, 'utf8')) {
    const isWord =
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x5f;
    result += isWord ? String.fromCharCode(byte) : `-${byte.toString(16).padStart(2, '0')}`;
  }
  return result;
}

export function decodeDatabaseName(encoded: string): string | undefined {
  if (!/^(?:[A-Za-z0-9_]|-[0-9a-f]{2})+$/.test(encoded)) return undefined;
  const bytes: number[] = [];
  for (let index = 0; index < encoded.length;) {
    if (encoded[index] === '-') {
      bytes.push(Number.parseInt(encoded.slice(index + 1, index + 3), 16));
      index += 3;
    } else {
      bytes.push(encoded.charCodeAt(index));
      index += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export function ordinalDirectory(ordinal: number): string {
  return ordinal === REFERENCE_ORDINAL ? REFERENCE_DIRECTORY : String(ordinal);
}

export function parseOrdinalDirectory(name: string): number | undefined {
  if (name === REFERENCE_DIRECTORY) return REFERENCE_ORDINAL;
  return /^(0|[1-9]\d{0,4})$/.test(name) ? Number(name) : undefined;
}

export function partitionDirectory(dataDir: string, partition: PartitionRef): string {
  return path.join(
    dataDir,
    encodeDatabaseName(partition.database),
    ordinalDirectory(partition.ordinal),
  );
}

/** The DuckDB catalog alias of the partition's ATTACHed file (always used double-quoted). */
export function duckAlias(partition: PartitionRef): string {
  return `p_${encodeDatabaseName(partition.database)}_${ordinalDirectory(partition.ordinal)}`;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function describePartition(partition: PartitionRef): string {
  return `${partition.database}[${partition.ordinal}]`;
}
