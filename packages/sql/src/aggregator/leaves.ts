/**
 * ADD LEAF / REMOVE LEAF. A new leaf receives every database's reference partition with its
 * reference tables (created and filled from an existing leaf) before it is added to the
 * catalog, so joins with reference tables stay local on it. Existing partitions stay where
 * they are until REBALANCE PARTITIONS moves them; new databases spread over all leaves.
 */
import type { AddLeafStatement, RemoveLeafStatement } from '../parser/ast.js';
import { sqlError } from '../errors.js';
import { createTableStatements } from '../catalog/engine-ddl.js';
import { REFERENCE_ORDINAL } from '../leaf/api.js';
import type { LeafDef } from '../catalog/types.js';
import type { ResultOk } from '../protocol/backend.js';
import type { StatementContext } from './context.js';
import { ok } from './results.js';
import { fetchTableRows } from './select.js';
import { planMoves, runMoves } from './rebalance.js';

export const DEFAULT_LEAF_PORT = 3307;

export async function addLeaf(
  context: StatementContext,
  statement: AddLeafStatement,
): Promise<ResultOk> {
  const { catalog, cluster } = context.services;
  const port = statement.port ?? DEFAULT_LEAF_PORT;
  if (catalog.leaves().some((leaf) => leaf.host === statement.host && leaf.port === port)) {
    throw sqlError('LEAF_EXISTS', `Leaf ${statement.host}:${port} is already in the cluster`);
  }
  const provisional: LeafDef = { id: `${statement.host}:${port}`, host: statement.host, port };
  const api = await cluster.pool.get(provisional);
  const info = await api.info();
  const leaf: LeafDef = { id: info.id, host: statement.host, port };
  if (catalog.leaves().some((existing) => existing.id === leaf.id)) {
    throw sqlError(
      'LEAF_EXISTS',
      `Leaf ${statement.host}:${port} is already in the cluster (as another address)`,
    );
  }
  for (const database of catalog.databases()) {
    const partition = { database: database.name, ordinal: REFERENCE_ORDINAL };
    await api.createPartition(partition);
    // Sessions' temporary reference tables are copied too: their sessions read every leaf.
    const tables = catalog.tables(database.name, { temporary: true });
    for (const table of tables.filter((candidate) => candidate.reference)) {
      await api.exec(
        createTableStatements(table).map((sql) => ({ partition, engine: table.storage, sql })),
        context.signal,
      );
      const rows = await fetchTableRows(context, table);
      if (rows.length > 0) {
        await api.insert(
          {
            partition,
            engine: table.storage,
            table: table.name,
            columns: table.columns.map((column) => column.name),
            rows,
            onConflict: 'replace',
          },
          context.signal,
        );
      }
    }
  }
  cluster.pool.forget(provisional.id);
  catalog.putLeaves([...catalog.leaves(), leaf]);
  return ok(0);
}

/**
 * REMOVE LEAF: the leaf's partitions move to the other leaves first (as SingleStore's REMOVE
 * LEAF does), then it leaves the catalog. Its reference partitions are copies and just go.
 */
export async function removeLeaf(
  context: StatementContext,
  statement: RemoveLeafStatement,
): Promise<ResultOk> {
  const { catalog, cluster } = context.services;
  const leaf = catalog
    .leaves()
    .find(
      (candidate) =>
        candidate.host === statement.host &&
        (statement.port === undefined || candidate.port === statement.port),
    );
  if (leaf === undefined)
    throw sqlError(
      'LEAF_UNKNOWN',
      `Leaf ${statement.host}:${statement.port ?? DEFAULT_LEAF_PORT} is not in the cluster`,
    );
  const holding = catalog.databases().filter((database) => database.placement.includes(leaf.id));
  if (holding.length > 0) {
    if (catalog.leaves().length < 2) {
      throw sqlError(
        'LEAF_IN_USE',
        `Leaf ${leaf.host}:${leaf.port} holds partitions of ${holding.map((database) => database.name).join(', ')} and no other leaf can take them; add a leaf first`,
      );
    }
    await runMoves(context, planMoves(context, { excluding: leaf.id }));
  }
  catalog.putLeaves(catalog.leaves().filter((candidate) => candidate.id !== leaf.id));
  cluster.pool.forget(leaf.id);
  return ok(0);
}
