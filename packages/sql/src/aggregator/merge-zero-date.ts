/**
 * Zero dates loaded into the merge engine as text (rows of rowstore partitions): DuckDB holds
 * them as '-infinity' (zero-date.ts), so a DATE or TIMESTAMP column with one reads its text
 * through `duckZeroDate`. Columns without one keep their plain cast.
 */
import { DUCK_ZERO, ZERO_DATE } from '../zero-date.js';
import type { MergeTable } from './merge-engine.js';

const DATE_TYPES = /^(DATE|TIMESTAMP(_S|_MS|_NS)?|TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE)$/i;

/** Whether a column of DuckDB type `target` is given the zero date's text in some row. */
export function holdsZeroDate(target: string, table: MergeTable, index: number): boolean {
  if (!DATE_TYPES.test(target)) return false;
  return table.rows.some((row) => {
    const value = row[index];
    return typeof value === 'string' && value.startsWith(ZERO_DATE);
  });
}

/** Text that is the zero date as DuckDB's '-infinity', other text as it is. */
export function duckZeroDate(sql: string): string {
  return `(CASE WHEN starts_with(${sql}, '${ZERO_DATE}') THEN '${DUCK_ZERO}' ELSE ${sql} END)`;
}
