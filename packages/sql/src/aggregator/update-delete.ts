/**
 * UPDATE and DELETE on one table. The WHERE clause routes the statement (shard-key equality →
 * one partition, otherwise all), and the statement runs on each partition's engine, inside one
 * transaction when it reaches several, so it is applied everywhere or nowhere. Statements the
 * partitions cannot decide alone (ORDER BY, LIMIT, subqueries, several tables) go through
 * `keyed-write.ts`.
 */
import type { DeleteStatement, Expr, UpdateStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import { translateDelete, translateUpdate } from '../dialect/index.js';
import type { TableDef } from '../catalog/types.js';
import type { ResultOk } from '../protocol/backend.js';
import { routePartitions } from '../planner/route.js';
import { singleTable } from '../planner/tables.js';
import type { SqlValue } from '../values.js';
import type { StatementContext } from './context.js';
import { currentDatabase } from './context.js';
import { columnMetas, translateOptions } from './query-options.js';
import { ok } from './results.js';
import { substituteVariables } from './substitute.js';
import { inWriteTransaction } from './write-transaction.js';
import { isKeyedDelete, isKeyedUpdate } from './keyed-pick.js';
import { keyedDelete, keyedUpdate } from './keyed-write.js';

function targetTable(
  context: StatementContext,
  from: UpdateStatement['tables'],
  what: string,
): { table: TableDef; name: string } {
  const ref = singleTable(from);
  if (ref === undefined) throw sqlError('NOT_SUPPORTED', `Multi-table ${what} is not supported`);
  const table = context.services.catalog.requireTable(
    currentDatabase(context, ref.database),
    ref.name,
  );
  return { table, name: ref.alias ?? ref.name };
}

async function runWrite(
  context: StatementContext,
  table: TableDef,
  name: string,
  where: Expr | undefined,
  sql: { sql: string; params: readonly number[] },
): Promise<number> {
  const { cluster, catalog } = context.services;
  const database = catalog.requireDatabase(table.database);
  let targets;
  if (table.reference) targets = cluster.referencePartitions(database);
  else {
    const ordinals = routePartitions({
      where,
      table,
      name,
      params: context.params,
      partitions: database.partitions,
    });
    targets =
      ordinals === undefined
        ? cluster.partitions(database)
        : ordinals.map((ordinal) => cluster.partition(database, ordinal));
  }
  const params: SqlValue[] = sql.params.map((index) => context.params[index] ?? null);
  const results = await inWriteTransaction(context, targets.length, (transaction) =>
    cluster.exec(targets, table.storage, () => ({ sql: sql.sql, params }), {
      ...(transaction !== undefined ? { txn: transaction } : {}),
      write: true,
    }),
  );
  const total = results.reduce((sum, result) => sum + result.affectedRows, 0);
  return table.reference ? Math.round(total / Math.max(1, targets.length)) : total;
}

export async function updateStatement(
  context: StatementContext,
  source: UpdateStatement,
): Promise<ResultOk> {
  const statement = substituteVariables(source, context);
  if (isKeyedUpdate(statement)) {
    const affected = await keyedUpdate(context, statement);
    context.session.rowCount = affected;
    return ok(affected, { info: `Rows matched: ${affected}  Changed: ${affected}  Warnings: 0` });
  }
  const { table, name } = targetTable(context, statement.tables, 'UPDATE');
  for (const assignment of statement.set) {
    const column = table.columns.find(
      (candidate) => candidate.name.toLowerCase() === assignment.column.column.toLowerCase(),
    );
    if (column === undefined)
      throw sqlError('BAD_FIELD', `Unknown column '${assignment.column.column}' in 'field list'`);
    if (table.shardKey.includes(column.name)) {
      throw sqlError(
        'NOT_SUPPORTED',
        `Updating the shard key column '${column.name}' is not supported; delete and insert the row instead`,
      );
    }
  }
  const dialect = table.storage === 'column' ? 'duckdb' : 'sqlite';
  const translated = translateUpdate(statement.set, statement.where, {
    ...translateOptions(context, dialect, () => undefined),
    name,
    table: { engineName: table.name, columns: columnMetas(table) },
  });
  const affected = await runWrite(context, table, name, statement.where, translated);
  context.session.rowCount = affected;
  return ok(affected, { info: `Rows matched: ${affected}  Changed: ${affected}  Warnings: 0` });
}

export async function deleteStatement(
  context: StatementContext,
  source: DeleteStatement,
): Promise<ResultOk> {
  const statement = substituteVariables(source, context);
  if (isKeyedDelete(statement)) {
    const affected = await keyedDelete(context, statement);
    context.session.rowCount = affected;
    return ok(affected);
  }
  const { table, name } = targetTable(context, statement.from, 'DELETE');
  const dialect = table.storage === 'column' ? 'duckdb' : 'sqlite';
  const translated = translateDelete(statement.where, {
    ...translateOptions(context, dialect, () => undefined),
    name,
    table: { engineName: table.name, columns: columnMetas(table) },
  });
  const affected = await runWrite(context, table, name, statement.where, translated);
  context.session.rowCount = affected;
  return ok(affected);
}
