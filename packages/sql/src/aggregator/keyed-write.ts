/**
 * DELETE (and the shared parts of UPDATE, `keyed-update.ts`) that the partitions cannot decide alone: ORDER BY and LIMIT (global across
 * partitions), subqueries in WHERE, and the multi-table forms. The aggregator first runs a
 * query (the ordinary select path) over the statement's tables, WHERE, ORDER BY and LIMIT that
 * returns the identity of every row to write (and, when needed, its new values); the writes
 * then go to the partitions holding those rows, all in one transaction, so the statement is
 * atomic (two-phase commit when it reaches several partitions).
 */
import type { DeleteStatement, Expr } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import { translateDelete, type TranslatedSql, type WriteOptions } from '../dialect/index.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import type { PartitionTarget } from './cluster.js';
import { columnMetas, literalOf, translateOptions } from './query-options.js';
import {
  chunks,
  identityFilter,
  identityMatch,
  KEYS_PER_STATEMENT,
  routeIdentities,
  type RowIdentity,
} from './row-identity.js';
import { inWriteTransaction } from './write-transaction.js';
import { returnedRows, returningAll } from './engine-returning.js';
import { deleteTargets, type WriteTarget } from './write-targets.js';

import { singleTable } from '../planner/tables.js';
import { pickRows, selectOf, type PickedRows } from './keyed-pick.js';
import { execOptions } from './exec-options.js';

interface EngineWrite {
  readonly target: PartitionTarget;
  readonly sql: TranslatedSql;
}

/**
 * DELETE … RETURNING: the engines' own RETURNING of every column is appended to each delete,
 * and the whole rows they deleted are collected (`delete-returning.ts`).
 */
export interface ReturnedRows {
  readonly rows: SqlValue[][];
}

async function runWrites(
  context: StatementContext,
  target: WriteTarget,
  writes: readonly EngineWrite[],
  returned?: ReturnedRows,
): Promise<number> {
  if (writes.length === 0) return 0;
  const { cluster } = context.services;
  const returning = returned === undefined ? '' : returningAll(target.table);
  let next = 0;
  const results = await cluster.exec(
    writes.map((write) => write.target),
    target.table.storage,
    () => {
      const write = writes[next] as EngineWrite;
      next += 1;
      return {
        sql: write.sql.sql + returning,
        params: write.sql.params.map((index) => context.params[index] ?? null),
        ...(returned !== undefined ? { columns: columnMetas(target.table) } : {}),
      };
    },
    execOptions(context, true, context.transaction),
  );
  if (returned === undefined) return results.reduce((sum, result) => sum + result.affectedRows, 0);
  const rows = returnedRows(target.table, results);
  for (const row of rows) returned.rows.push([...row]);
  return rows.length * (target.table.reference ? writes.length : 1);
}

export function writeOptions(
  context: StatementContext,
  target: WriteTarget,
  pseudoRowid = false,
): WriteOptions {
  const dialect = target.table.storage === 'column' ? 'duckdb' : 'sqlite';
  const columns = columnMetas(target.table);
  const resolved = {
    engineName: target.table.name,
    columns: pseudoRowid ? [...columns, { name: 'rowid', type: 'bigint' as const }] : columns,
  };
  return {
    ...translateOptions(context, dialect, () => resolved),
    name: target.alias,
    table: resolved,
  };
}

/** `rowid IN (SELECT rowid FROM t WHERE <one copy> LIMIT 1)`: one copy of a keyless row. */
export function oneCopy(
  target: WriteTarget,
  identity: RowIdentity,
  row: readonly SqlValue[],
): Expr {
  const inner = 'exo_copy';
  return {
    kind: 'in',
    not: false,
    expr: { kind: 'column', table: target.alias, column: 'rowid' },
    query: selectOf(
      [{ kind: 'table', name: target.table.name, alias: inner }],
      identityMatch(inner, identity, row),
      [],
      { count: literalOf(1) },
      [{ kind: 'column', table: inner, column: 'rowid' }],
    ),
  };
}

/**
 * Applies one target's delete: `build(where)` makes the engine statement for a WHERE. Identity
 * rows go to the partitions that may hold them in batches; copies of keyless rows picked under
 * a LIMIT are written one at a time, trying partitions in order until one holds a copy.
 */
async function applyTarget(
  context: StatementContext,
  target: WriteTarget,
  picked: PickedRows,
  options: {
    counted: boolean;
    build: (where: Expr) => TranslatedSql;
    returned?: ReturnedRows | undefined;
  },
): Promise<number> {
  const { identity } = picked;
  const width = identity.columns.length;
  const copies = target.table.reference
    ? context.services.cluster.tableTargets(target.table).length
    : 1;
  let total = 0;
  if (!identity.unique && options.counted) {
    const targets = context.services.cluster.tableTargets(target.table);
    for (const row of picked.rows) {
      const where = oneCopy(target, identity, row.slice(0, width));
      for (const partition of target.table.reference ? [targets] : targets.map((t) => [t])) {
        const affected = await runWrites(
          context,
          target,
          partition.map((one) => ({ target: one, sql: options.build(where) })),
          options.returned,
        );
        total += affected;
        if (affected > 0) break;
      }
    }
    return Math.round(total / copies);
  }
  const groups = routeIdentities(context, target.table, identity, picked.rows, (row) => row);
  const writes: EngineWrite[] = [];
  for (const [partition, rows] of groups) {
    for (const batch of chunks(rows, KEYS_PER_STATEMENT)) {
      const where = identityFilter(
        target.alias,
        identity,
        batch.map((row) => row.slice(0, width)),
      );
      writes.push({ target: partition, sql: options.build(where) });
    }
  }
  total = await runWrites(context, target, writes, options.returned);
  if (options.returned !== undefined) inPickedOrder(options.returned, target, picked);
  return Math.round(total / copies);
}

/** The returned rows in the order the rows were picked (the statement's ORDER BY). */
function inPickedOrder(returned: ReturnedRows, target: WriteTarget, picked: PickedRows): void {
  const { columns } = picked.identity;
  const width = columns.length;
  const positions = columns.map((column) => target.table.columns.indexOf(column));
  const keyOf = (values: readonly SqlValue[]): string =>
    JSON.stringify(values.map((value) => (value === null ? null : String(value))));
  const order = new Map<string, number>();
  picked.rows.forEach((row, index) => {
    const key = keyOf(row.slice(0, width));
    if (!order.has(key)) order.set(key, index);
  });
  const rank = (row: readonly SqlValue[]): number =>
    order.get(keyOf(positions.map((position) => row[position] ?? null))) ?? order.size;
  returned.rows.sort((a, b) => rank(a) - rank(b));
}

export function checkAssignments(target: WriteTarget): void {
  for (const assignment of target.assignments) {
    const column = target.table.columns.find(
      (candidate) => candidate.name.toLowerCase() === assignment.column.column.toLowerCase(),
    );
    if (column === undefined)
      throw sqlError('BAD_FIELD', `Unknown column '${assignment.column.column}' in 'field list'`);
    if (target.table.shardKey.includes(column.name)) {
      throw sqlError(
        'NOT_SUPPORTED',
        `Updating the shard key column '${column.name}' is not supported; delete and insert the row instead`,
      );
    }
  }
}

export function partitionCount(context: StatementContext, targets: readonly WriteTarget[]): number {
  return targets.reduce(
    (sum, target) => sum + context.services.cluster.tableTargets(target.table).length,
    0,
  );
}

export async function keyedDelete(
  context: StatementContext,
  statement: DeleteStatement,
  /** DELETE … RETURNING: collects the whole rows deleted, in the statement's order. */
  returned?: ReturnedRows,
): Promise<number> {
  const only = singleTable(statement.from);
  const targets =
    statement.targets !== undefined
      ? deleteTargets(context, statement.from, statement.targets)
      : only !== undefined
        ? deleteTargets(context, statement.from, [{ name: only.alias ?? only.name }])
        : [];
  if (targets.length === 0)
    throw sqlError('PARSE', 'DELETE needs exactly one table to delete from');
  return inWriteTransaction(context, partitionCount(context, targets), async (transaction) => {
    const scoped: StatementContext =
      transaction === undefined ? context : { ...context, transaction };
    const picked = await pickRows(scoped, statement, targets, false);
    let total = 0;
    for (const [index, target] of targets.entries()) {
      total += await applyTarget(scoped, target, picked[index] as PickedRows, {
        counted: statement.limit !== undefined,
        build: (where) => translateDelete(where, writeOptions(scoped, target, true)),
        returned,
      });
    }
    return total;
  });
}
