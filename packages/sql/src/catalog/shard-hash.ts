/**
 * Which partition a row belongs to: a hash of its shard-key values, taken in the form the
 * column compares in. Equal values under MySQL's rules must hash alike, so strings are folded
 * to lower case without trailing spaces (utf8mb4_general_ci is case-insensitive and pads with
 * spaces), and numbers use their canonical decimal text. Values must already be coerced to the
 * column's type (`coerce.ts`), which makes `WHERE id = '7'` and `id = 7` land on one partition.
 */
import type { SqlValue } from '../values.js';
import type { ColumnDef } from './types.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function shardKeyText(value: SqlValue, column: ColumnDef): string {
  if (value === null) return '\u0000null';
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  switch (column.type) {
    case 'char':
    case 'varchar':
    case 'text':
      return String(value).toLowerCase().trimEnd();
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

/** FNV-1a over the UTF-16 code units of each key part, parts separated by a zero unit. */
export function shardHash(values: readonly SqlValue[], columns: readonly ColumnDef[]): number {
  let hash = FNV_OFFSET;
  for (let index = 0; index < values.length; index += 1) {
    const column = columns[index];
    if (column === undefined) throw new Error('shard key arity mismatch');
    const text = shardKeyText(values[index] ?? null, column);
    for (let position = 0; position < text.length; position += 1) {
      hash ^= text.charCodeAt(position);
      hash = Math.imul(hash, FNV_PRIME);
    }
    hash ^= 0;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

export function partitionFor(
  values: readonly SqlValue[],
  columns: readonly ColumnDef[],
  partitions: number,
): number {
  return shardHash(values, columns) % partitions;
}
