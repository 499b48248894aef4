/**
 * The rows of one partition's INSERT in slices, sent one after another in the statement's
 * transaction (`insert.ts`): a single request for a large INSERT … SELECT outgrew the leaf
 * protocol's frames (6 M lineitem rows, 532 MB, against frames of at most 256 MiB: error 1777).
 */
import type { SqlValue } from '../values.js';

/** Rows per insert request at most, and their values' rough size (64 MiB; frames take 256). */
export const INSERT_SLICE_ROWS = 50_000;
const INSERT_SLICE_BYTES = 64 * 1024 * 1024;

/** `rows` cut into slices of at most `INSERT_SLICE_ROWS` rows and about 64 MiB of values. */
export function rowSlices(
  rows: readonly (readonly SqlValue[])[],
): (readonly (readonly SqlValue[])[])[] {
  const slices: (readonly (readonly SqlValue[])[])[] = [];
  let start = 0;
  let bytes = 0;
  for (let index = 0; index < rows.length; index += 1) {
    let size = 0;
    for (const value of rows[index] ?? []) {
      if (typeof value === 'string') size += value.length;
      else if (value instanceof Uint8Array) size += value.byteLength;
      else size += 9;
    }
    if (
      index > start &&
      (index - start >= INSERT_SLICE_ROWS || bytes + size > INSERT_SLICE_BYTES)
    ) {
      slices.push(rows.slice(start, index));
      start = index;
      bytes = 0;
    }
    bytes += size;
  }
  slices.push(start === 0 ? rows : rows.slice(start));
  return slices;
}
