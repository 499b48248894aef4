/**
 * Single-partition queries planned once per statement: the first execution plans as usual
 * and, when the plan runs on one partition, remembers its table and engine SQL; later
 * executions only route by the parameter values (the shard key may be a parameter) and run.
 * A parameter value that does not route to exactly one partition falls back to full planning.
 */
import { sessionZoneMinutes } from './query-options.js';
import type { Query, Statement } from '../parser/ast.js';
import { routePartitions } from '../planner/route.js';
import type { PartitionTarget } from './cluster.js';
import type { StatementContext } from './context.js';
import { currentKey, isCurrent, slotFor, type PartitionShape } from './plan-cache.js';
import type { QueryPlan } from './select.js';
import { routeByTemplate, routeTemplate } from './route-template.js';

/** Called by the planner when it made a single-partition plan that read no per-execution value. */
export function rememberPartitionShape(
  context: StatementContext,
  query: Extract<Query, { kind: 'select' }>,
  shape: Omit<PartitionShape, 'key' | 'route' | 'database'>,
): void {
  const slot = slotFor(context, query);
  if (slot === undefined) return;
  const database = context.services.catalog.database(shape.table.database);
  if (database === undefined) return;
  slot.partition = {
    key: currentKey(context),
    database,
    ...shape,
    route: shape.table.reference ? undefined : routeTemplate(shape.table, shape.name, query.where),
  };
}

/** The plan of a statement whose single-partition shape is cached and still current. */
export function cachedQueryPlan(
  context: StatementContext,
  statement: Statement,
): QueryPlan | undefined {
  const shape = slotFor(context, statement)?.partition;
  if (shape === undefined || !isCurrent(shape.key, context) || statement.kind !== 'select')
    return undefined;
  const target = routeShape(context, shape, statement.where);
  if (target === undefined) return undefined;
  return {
    kind: 'partition',
    table: shape.table,
    target,
    translated: shape.translated,
    point: shape.point,
  };
}

function routeShape(
  context: StatementContext,
  shape: PartitionShape,
  where: Extract<Query, { kind: 'select' }>['where'],
): PartitionTarget | undefined {
  const { cluster } = context.services;
  const { table, database } = shape;
  if (table.reference) return cluster.referencePartitions(database)[0];
  if (shape.route !== undefined) {
    const ordinal = routeByTemplate(
      shape.route,
      context.params,
      database.partitions,
      sessionZoneMinutes(context),
    );
    return ordinal === undefined ? undefined : cluster.partition(database, ordinal);
  }
  const ordinals = routePartitions({
    where,
    table,
    name: shape.name,
    params: context.params,
    partitions: database.partitions,
    zoneMinutes: sessionZoneMinutes(context),
  });
  if (ordinals === undefined || ordinals.length !== 1) return undefined;
  return cluster.partition(database, ordinals[0] ?? 0);
}
