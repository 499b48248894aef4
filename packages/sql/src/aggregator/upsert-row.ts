/**
 * One row of INSERT … ON DUPLICATE KEY UPDATE on its partition, counted as MySQL counts it:
 * 1 when the row was inserted, 2 when an existing row was changed, and 0 when it was left as it
 * was (a client with CLIENT_FOUND_ROWS sees 1 for it: the caller counts both). The engines'
 * upsert reports 1 either way, so the row is read by its key before the upsert and returned by
 * it, in one request to the leaf.
 */
import { quoteEngineIdentifier } from '../catalog/engine-ddl.js';
import { foldsKeys, keySide } from '../catalog/folded-keys.js';
import type { TableDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';
import type { ExecRequest, ExecResult } from '../leaf/api.js';
import type { PartitionTarget } from './cluster.js';
import type { StatementContext } from './context.js';
import type { Transaction } from './coordinator.js';
import { columnMetas } from './query-options.js';
import { DUPLICATE_KEY, retryConflicts } from '../storage/conflict-retry.js';
import { lockWaitOf } from './lock-wait.js';

export interface UpsertRow {
  readonly target: PartitionTarget;
  readonly table: TableDef;
  /** The keys the upsert meets a stored row on (any of them), as column lists. */
  readonly keys: readonly (readonly string[])[];
  /** The engine upsert (`INSERT … ON CONFLICT … DO UPDATE …` or `MERGE`) and its parameters. */
  readonly sql: string;
  readonly params: readonly SqlValue[];
  /** The completed row, in table column order. */
  readonly row: readonly SqlValue[];
  readonly transaction: Transaction | undefined;
  /** Given the row as the upsert left it (inserted or updated), for RETURNING. */
  readonly returned?: (row: readonly SqlValue[]) => void;
}

/** What every upsert of one table and its keys sends: made once per table definition. */
interface UpsertShape {
  readonly keys: readonly (readonly string[])[];
  /** The row positions of the key values, key after key. */
  readonly keyIndexes: readonly number[];
  readonly select: string;
  /** Engine upserts with their RETURNING clause, by upsert (few per table). */
  readonly returning: Map<string, string>;
  readonly names: string;
}

const RETURNING_CACHED_MAX = 64;
const RACE_ATTEMPTS = 5;
const shapes = new WeakMap<TableDef, UpsertShape>();

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function sameKeys(
  left: readonly (readonly string[])[],
  right: readonly (readonly string[])[],
): boolean {
  return (
    left === right ||
    (left.length === right.length &&
      left.every(
        (key, index) =>
          key.length === right[index]?.length &&
          key.every((name, position) => name === right[index]?.[position]),
      ))
  );
}

function shapeOf(table: TableDef, keys: readonly (readonly string[])[]): UpsertShape {
  const cached = shapes.get(table);
  if (cached !== undefined && sameKeys(cached.keys, keys)) return cached;
  const names = table.columns.map((column) => quoteEngineIdentifier(column.name)).join(', ');
  // The stored row the upsert meets: its keys compare as the engine's keys do (folded text).
  const folds = foldsKeys(table);
  const where: string[] = [];
  const keyIndexes: number[] = [];
  for (const key of keys) {
    const parts = key.map((name) => {
      const position = table.columns.findIndex((candidate) => candidate.name === name);
      const column = table.columns[position];
      const side = (sql: string): string =>
        column === undefined ? sql : keySide(column, sql, folds);
      keyIndexes.push(position);
      return `${side(quoteEngineIdentifier(name))} = ${side('?')}`;
    });
    where.push(parts.join(' AND '));
  }
  const condition = where.length === 1 ? where[0] : where.map((part) => `(${part})`).join(' OR ');
  const shape: UpsertShape = {
    keys,
    keyIndexes,
    select: `SELECT ${names} FROM ${quoteEngineIdentifier(table.name)} WHERE ${condition ?? 'FALSE'}`,
    returning: new Map(),
    names,
  };
  shapes.set(table, shape);
  return shape;
}

function withReturning(shape: UpsertShape, sql: string): string {
  let returning = shape.returning.get(sql);
  if (returning === undefined) {
    returning = `${sql} RETURNING ${shape.names}`;
    if (shape.returning.size >= RETURNING_CACHED_MAX) shape.returning.clear();
    shape.returning.set(sql, returning);
  }
  return returning;
}

/** The leaf requests of one upsert: the stored row it meets, then the upsert returning its row. */
export function upsertRequests(
  context: StatementContext,
  upsert: UpsertRow,
): [ExecRequest, ExecRequest] {
  const { target, table, transaction } = upsert;
  const shape = shapeOf(table, upsert.keys);
  const keyValues = shape.keyIndexes.map((index) => upsert.row[index] ?? null);
  const { lockWaitMs } = lockWaitOf(context.session);
  const columns = columnMetas(table);
  // Built field by field: spreading the shared fields into each request cost more than the rest.
  const request = (sql: string, params: readonly SqlValue[]): ExecRequest => {
    const made: Mutable<ExecRequest> = {
      partition: target.partition,
      engine: table.storage,
      sql,
      params,
      columns,
    };
    if (transaction !== undefined) made.txn = transaction.id;
    if (lockWaitMs !== undefined) made.lockWaitMs = lockWaitMs;
    return made;
  };
  return [
    request(shape.select, keyValues),
    request(withReturning(shape, upsert.sql), upsert.params),
  ];
}

export async function upsertRow(context: StatementContext, upsert: UpsertRow): Promise<0 | 1 | 2> {
  const { target, table, transaction } = upsert;
  transaction?.touch(target.leaf, target.partition, table.storage, true);
  const { pool, localWrites } = context.services.cluster;
  const requests = upsertRequests(context, upsert);
  const local = await localWrites?.exec(target, { engine: table.storage, transaction }, requests);
  if (local !== undefined) return countedUpsert(upsert, local[0], local[1]);
  const api = pool.ready(target.leaf) ?? (await pool.get(target.leaf));
  // Two autocommit upserts of one new key on a columnstore partition both find no row; DuckDB
  // then refuses the second insert as a duplicate where InnoDB would have made it wait and
  // update. Run again, it finds the row and updates it; a duplicate the update itself makes
  // stays one after a few tries.
  const raced = transaction === undefined && table.storage === 'column' ? [DUPLICATE_KEY] : [];
  const [before, after] = await retryConflicts(() => api.exec(requests, context.signal), {
    errnos: raced,
    attempts: RACE_ATTEMPTS,
  });
  return countedUpsert(upsert, before, after);
}

/** MySQL's count for the row, from the stored row before the upsert and the one it left. */
export function countedUpsert(
  upsert: UpsertRow,
  before: ExecResult | undefined,
  after: ExecResult | undefined,
): 0 | 1 | 2 {
  const old = before?.rows[0];
  const now = after?.rows[0];
  upsert.returned?.(now ?? upsert.row);
  if (old === undefined) return 1;
  return now === undefined || sameRow(old, now) ? 0 : 2;
}

function sameRow(left: readonly SqlValue[], right: readonly SqlValue[]): boolean {
  return left.length === right.length && left.every((value, index) => same(value, right[index]));
}

function same(left: SqlValue, right: SqlValue | undefined): boolean {
  if (left instanceof Uint8Array && right instanceof Uint8Array)
    return Buffer.from(left).equals(Buffer.from(right));
  if (left === null || right === null || right === undefined) return left === right;
  // Numbers may come back as number or bigint; compare them as text.
  return String(left) === String(right);
}
