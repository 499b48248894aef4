/**
 * CREATE DATABASE / DROP DATABASE. A database's partitions are placed round-robin over the
 * leaves; each leaf also gets the database's reference partition (ordinal -1). The catalog is
 * written after the partitions exist, so a failure leaves no database that points at missing
 * partitions (stray partition files are harmless and removed by the next create or drop).
 */
import { foreignKeyChecks, guardReferencedDrop } from './ddl-foreign-keys.js';
import type { CreateDatabaseStatement, DropDatabaseStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import { checkIdentifier } from '../catalog/table-definition.js';
import { REFERENCE_ORDINAL, type PartitionRef } from '../leaf/api.js';
import type { ResultOk } from '../protocol/backend.js';
import type { StatementContext } from './context.js';
import { isVirtualDatabase } from './information-schema.js';
import { ok, okWithNotes } from './results.js';

export const PARTITIONS_MAX = 1024;

export async function createDatabase(
  context: StatementContext,
  statement: CreateDatabaseStatement,
): Promise<ResultOk> {
  const { catalog, cluster, defaultPartitions } = context.services;
  checkIdentifier(statement.name, 'database');
  if (catalog.database(statement.name) !== undefined || isVirtualDatabase(statement.name)) {
    const message = `Can't create database '${statement.name}'; database exists`;
    if (statement.ifNotExists) return okWithNotes(context, [{ code: 'DB_CREATE_EXISTS', message }]);
    throw sqlError('DB_CREATE_EXISTS', message);
  }
  const leaves = catalog.leaves();
  if (leaves.length === 0)
    throw sqlError('LEAF_UNAVAILABLE', 'The cluster has no leaves: ADD LEAF first');
  const partitions = statement.partitions ?? (await defaultPartitions());
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > PARTITIONS_MAX) {
    throw sqlError('WRONG_ARGUMENTS', `PARTITIONS must be between 1 and ${PARTITIONS_MAX}`);
  }
  const placement = Array.from(
    { length: partitions },
    (_, ordinal) => leaves[ordinal % leaves.length]?.id ?? '',
  );
  const refs: { leafId: string; partition: PartitionRef }[] = [
    ...placement.map((leafId, ordinal) => ({
      leafId,
      partition: { database: statement.name, ordinal },
    })),
    ...leaves.map((leaf) => ({
      leafId: leaf.id,
      partition: { database: statement.name, ordinal: REFERENCE_ORDINAL },
    })),
  ];
  await Promise.all(
    refs.map(async (ref) =>
      (await cluster.pool.get(cluster.leaf(ref.leafId))).createPartition(ref.partition),
    ),
  );
  catalog.putDatabase({ name: statement.name, partitions, placement, createdAtMs: context.nowMs });
  return ok(1);
}

export async function dropDatabase(
  context: StatementContext,
  statement: DropDatabaseStatement,
): Promise<ResultOk> {
  const { catalog, cluster } = context.services;
  const database = catalog.database(statement.name);
  if (database === undefined) {
    const message = `Can't drop database '${statement.name}'; database doesn't exist`;
    if (statement.ifExists) return okWithNotes(context, [{ code: 'DB_DROP_EXISTS', message }]);
    throw sqlError('DB_DROP_EXISTS', message);
  }
  const tables = catalog.tables(database.name).length;
  guardReferencedDrop(catalog, catalog.tables(database.name), foreignKeyChecks(context));
  // The catalog forgets the database first: from then on no statement can reach its partitions.
  catalog.dropDatabase(database.name);
  if (context.session.database?.toLowerCase() === database.name.toLowerCase())
    context.session.database = undefined;
  const targets = [...cluster.partitions(database), ...cluster.referencePartitions(database)];
  await Promise.all(
    targets.map(async (target) =>
      (await cluster.pool.get(target.leaf)).dropPartition(target.partition),
    ),
  );
  return ok(tables);
}
