/**
 * A DOUBLE result that overflowed: MariaDB stops the statement with 1690 "DOUBLE value is out
 * of range in '…'" (`1e308 * 10`, `EXP(1000)`, `POW(10, 400)`) where the engines carry an
 * infinity (or a NaN, from infinities combined) on. Checked on the result's DOUBLE and FLOAT
 * columns before anything is sent; an overflow inside an expression whose own result is finite
 * (`1e308 * 10 > 0`) is not seen.
 */
import { sqlError } from '../errors.js';
import type { ResultRows } from '../protocol/backend.js';

export function assertFiniteDoubles(result: ResultRows): void {
  const doubles = result.columns.flatMap((column, index) =>
    column.type === 'double' || column.type === 'float' ? [index] : [],
  );
  if (doubles.length === 0) return;
  for (const row of result.rows)
    for (const index of doubles) {
      const value = row[index];
      if (typeof value === 'number' && !Number.isFinite(value))
        throw sqlError(
          'DATA_OUT_OF_RANGE',
          `DOUBLE value is out of range in '${result.columns[index]?.name ?? ''}'`,
        );
    }
}
