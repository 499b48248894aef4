/**
 * A TIME plus or minus an interval (`tm + INTERVAL 1 HOUR`, DATE_ADD(tm, …)) is a TIME, as in
 * MariaDB: days and smaller units move it within ±838:59:59.999999 (past that it is NULL, a
 * "time field overflow"), and months or years make it NULL. DuckDB keeps a TIME as an INTERVAL
 * and SQLite as text, so the sum is taken in microseconds on both.
 */
import type { Context } from '../context.js';
import { datetimeType, timeTypeOf } from '../type-rules.js';
import type { MyType, Typed } from '../types.js';
import { TIME_MICROS_MAX } from '../time-text.js';

/** An interval step, as `dates.ts` splits an interval into units. */
interface Step {
  readonly unit: string;
  readonly amount: string;
}

const MICROS_PER: Readonly<Record<string, number>> = {
  MICROSECOND: 1,
  SECOND: 1_000_000,
  MINUTE: 60_000_000,
  HOUR: 3_600_000_000,
  DAY: 86_400_000_000,
};

export function timeAdd(
  context: Context,
  value: Typed,
  steps: readonly Step[],
  intervalDigits: number,
): Typed {
  const scale = Math.min(6, Math.max(intervalDigits, value.type.scale ?? 0));
  const type: MyType = timeTypeOf(scale);
  const duck = context.dialect === 'duckdb';
  // MariaDB types this one a DATETIME; it is NULL either way.
  if (steps.some((step) => MICROS_PER[step.unit] === undefined))
    return { sql: duck ? 'CAST(NULL AS TIMESTAMP)' : 'NULL', type: datetimeType(0) };
  const amounts = steps.map((step) =>
    step.unit === 'MICROSECOND'
      ? `round(${step.amount})`
      : `round(${step.amount}) * ${MICROS_PER[step.unit] ?? 0}`,
  );
  if (duck) {
    const total = `TRY_CAST(epoch_us(${value.sql}) + ${amounts.join(' + ')} AS BIGINT)`;
    const unit = 10 ** (6 - scale);
    const kept = scale >= 6 ? total : `trunc(${total} / ${unit}) * ${unit}`;
    return {
      sql: `(CASE WHEN abs(${total}) <= ${TIME_MICROS_MAX} THEN to_microseconds(CAST(${kept} AS BIGINT)) END)`,
      type,
    };
  }
  const total = `(exo_time_key(${value.sql}) + ${amounts.join(' + ')})`;
  return {
    sql: `(CASE WHEN abs(${total}) <= ${TIME_MICROS_MAX} THEN exo_micros_time(${total}, ${scale}) END)`,
    type,
  };
}
