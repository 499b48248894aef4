/**
 * The rows of an INSERT whose VALUES are all literals, read by `parser/values-scan.ts`: the same
 * checks and the same rows and DEFAULT markers as the expression path of `insert.ts` gives
 * (its row length check, `evaluateConstants`, and the `()` rule), without copying the rows.
 */
import { sqlError } from '../errors.js';
import type { SqlValue } from '../values.js';

export interface LiteralRows {
  readonly rows: readonly (readonly SqlValue[])[];
  /** Per row and position, whether the item was DEFAULT (empty when none was). */
  readonly defaults: readonly (readonly boolean[])[];
  /** Some row was `()`: every row takes all defaults (the column list is dropped). */
  readonly empty: boolean;
}

export function literalRows(
  source: readonly (readonly (SqlValue | undefined)[])[],
  columns: readonly string[],
  columnsGiven: boolean,
): LiteralRows {
  let empty = false;
  let hasDefault = false;
  for (let index = 0; index < source.length; index++) {
    const row = source[index] as readonly (SqlValue | undefined)[];
    if (row.length !== columns.length && !(row.length === 0 && !columnsGiven)) {
      throw sqlError(
        'WRONG_VALUE_COUNT',
        `Column count doesn't match value count at row ${index + 1}`,
      );
    }
    if (row.length === 0) empty = true;
    else if (!hasDefault && row.includes(undefined)) hasDefault = true;
  }
  if (empty) return { rows: source.map(() => []), defaults: source.map(() => []), empty };
  if (!hasDefault) return { rows: source as readonly (readonly SqlValue[])[], defaults: [], empty };
  return {
    rows: source.map((row) => row.map((value) => value ?? null)),
    defaults: source.map((row) => row.map((value) => value === undefined)),
    empty,
  };
}
