/**
 * A window's `OVER (…)`: PARTITION BY, ORDER BY and the frame. A RANGE frame bounded by an
 * INTERVAL (`RANGE BETWEEN INTERVAL 7 DAY PRECEDING AND CURRENT ROW`) needs one ORDER BY
 * expression of a date or datetime type, as MySQL checks (3587, 3588, 3589). DuckDB takes the
 * interval as is; SQLite, whose RANGE offsets are numbers, orders by the key's microseconds
 * since 1970 and offsets by the interval's.
 */
import type {
  FrameBound,
  IntervalExpr,
  WindowCallExpr,
  WindowFrame,
} from '../../parser/ast-expr.js';
import { sqlError } from '../../errors.js';
import { notSupported, quoteIdentifier, type Context } from '../context.js';
import { translateValue } from '../expr.js';
import { translateOrderItems } from '../order.js';
import { isDateTime } from '../type-rules.js';
import { intervalLength } from './dates.js';

type WindowSpec = WindowCallExpr['over'];

/** A bound; in a RANGE frame an INTERVAL offset is the engine's length of time. */
function bound(context: Context, b: FrameBound, range: boolean): string {
  switch (b.kind) {
    case 'unboundedPreceding':
      return 'UNBOUNDED PRECEDING';
    case 'unboundedFollowing':
      return 'UNBOUNDED FOLLOWING';
    case 'currentRow':
      return 'CURRENT ROW';
    case 'preceding':
    case 'following': {
      const offset =
        range && b.value.kind === 'interval'
          ? length(context, b)
          : translateValue(context, b.value).sql;
      return `${offset} ${b.kind.toUpperCase()}`;
    }
  }
}

function frame(context: Context, f: WindowFrame): string {
  const unit = f.unit.toUpperCase();
  const range = f.unit === 'range';
  if (f.end === undefined) return ` ${unit} ${bound(context, f.start, range)}`;
  return ` ${unit} BETWEEN ${bound(context, f.start, range)} AND ${bound(context, f.end, range)}`;
}

function offsets(f: WindowFrame | undefined): FrameBound[] {
  if (f?.unit !== 'range') return [];
  return [f.start, ...(f.end === undefined ? [] : [f.end])].filter(
    (b) => b.kind === 'preceding' || b.kind === 'following',
  );
}

/** The ORDER BY and frame of a RANGE frame with offsets, checked as MySQL checks them. */
function rangeWithOffsets(context: Context, spec: WindowSpec, bounds: FrameBound[]): string {
  const name = spec.name === undefined ? '<unnamed window>' : spec.name;
  const f = spec.frame as WindowFrame;
  const byInterval = bounds.some((b) => 'value' in b && b.value.kind === 'interval');
  const [item, ...more] = spec.orderBy;
  if (item === undefined || more.length > 0) {
    // The ORDER BY of a window named in this one: the engine checks it.
    if (item === undefined && spec.name !== undefined && context.dialect === 'duckdb')
      return frame(context, f);
    throw sqlError(
      'WINDOW_RANGE_FRAME_ORDER_TYPE',
      `Window '${name}' with RANGE N PRECEDING/FOLLOWING frame requires exactly one ORDER BY expression, of numeric or temporal type`,
    );
  }
  const key = translateValue(context, item.expr);
  const temporal = key.type.type === 'date' || isDateTime(key.type);
  if (temporal && !byInterval)
    throw sqlError(
      'WINDOW_RANGE_FRAME_TEMPORAL_TYPE',
      `Window '${name}' with RANGE frame has ORDER BY expression of datetime type. Only INTERVAL bound value allowed.`,
    );
  if (!temporal && byInterval) {
    if (key.type.type === 'time') return notSupported('a RANGE frame over a TIME', context.dialect);
    throw sqlError(
      'WINDOW_RANGE_FRAME_NUMERIC_TYPE',
      `Window '${name}' with RANGE frame has ORDER BY expression of numeric type, INTERVAL bound value not allowed.`,
    );
  }
  if (!byInterval || context.dialect === 'duckdb')
    return ` ORDER BY ${translateOrderItems(context, spec.orderBy)}${frame(context, f)}`;
  const micros = `CAST(round((julianday(${key.sql}) - 2440587.5) * 86400000000) AS INTEGER)`;
  const nulls = item.nulls ?? (item.desc === true ? 'last' : 'first');
  const order = `${micros} ${item.desc === true ? 'DESC' : 'ASC'} NULLS ${nulls.toUpperCase()}`;
  return ` ORDER BY ${order}${frame(context, f)}`;
}

function length(context: Context, b: Extract<FrameBound, { value: unknown }>): string {
  const interval = b.value as IntervalExpr;
  const amount = translateValue(context, interval.value);
  return intervalLength(context, { ...amount, intervalUnit: interval.unit.toUpperCase() });
}

export function translateWindowSpec(context: Context, spec: WindowSpec): string {
  const parts: string[] = [];
  if (
    spec.name !== undefined &&
    spec.partitionBy.length === 0 &&
    spec.orderBy.length === 0 &&
    spec.frame === undefined
  ) {
    return quoteIdentifier(spec.name);
  }
  if (spec.name !== undefined) parts.push(quoteIdentifier(spec.name));
  if (spec.partitionBy.length > 0)
    parts.push(
      `PARTITION BY ${spec.partitionBy.map((e) => translateValue(context, e).sql).join(', ')}`,
    );
  const bounds = offsets(spec.frame);
  if (bounds.length > 0) return `(${parts.join(' ')}${rangeWithOffsets(context, spec, bounds)})`;
  if (spec.orderBy.length > 0) parts.push(`ORDER BY ${translateOrderItems(context, spec.orderBy)}`);
  return `(${parts.join(' ')}${spec.frame === undefined ? '' : frame(context, spec.frame)})`;
}
