/**
 * REBALANCE PARTITIONS [ON db], EXPLAIN REBALANCE PARTITIONS, and the partition moves of
 * REMOVE LEAF. Moves run one at a time (rebalance-move.ts). While one runs, statements that
 * write wait before they are planned (`waitForMoves`), so they route by the new placement
 * afterwards; reads go on. A transaction that already wrote is let through: the move waits
 * for it to end instead.
 */
import type { RebalancePartitionsStatement, Statement } from '../parser/ast.js';
import type { ResultOk, ResultRows } from '../protocol/backend.js';
import type { StatementContext, SessionState } from './context.js';
import type { Cluster } from './cluster.js';
import { checkPrivilege } from './accounts.js';
import { ok, textRows } from './results.js';
import { movePartition, removeOrphans } from './rebalance-move.js';
import { planRebalance, type PartitionMove } from './rebalance-plan.js';

/** Statements that may wait for a move: they write table data or change tables. */
const WRITE_KINDS: ReadonlySet<string> = new Set([
  'insert',
  'update',
  'delete',
  'loadData',
  'createTable',
  'dropTable',
  'alterTable',
  'createIndex',
  'dropIndex',
  'truncateTable',
  'renameTable',
]);

/** The move running now, per cluster (one at a time). */
const running = new WeakMap<Cluster, Promise<void>>();

/** Whether a partition move is running (a write would wait for it: `waitForMoves`). */
export function movesRunning(cluster: Cluster): boolean {
  return running.has(cluster);
}

export async function waitForMoves(
  cluster: Cluster,
  state: SessionState,
  statement: Statement,
): Promise<void> {
  if (!WRITE_KINDS.has(statement.kind) || state.transaction?.wrote === true) return;
  for (let move = running.get(cluster); move !== undefined; move = running.get(cluster))
    await move.catch(() => undefined);
}

/** The moves REBALANCE would make now (the leaf `excluding` gets none and gives all away). */
export function planMoves(
  context: StatementContext,
  options: { database?: string; excluding?: string },
): PartitionMove[] {
  const { catalog } = context.services;
  const databases =
    options.database === undefined
      ? catalog.databases()
      : [catalog.requireDatabase(options.database)];
  const leaves = catalog
    .leaves()
    .map((leaf) => leaf.id)
    .filter((id) => id !== options.excluding);
  return databases.flatMap((database) =>
    planRebalance({ database: database.name, placement: database.placement, leaves }),
  );
}

/** Runs the moves one after another; returns how many were made. */
export async function runMoves(
  context: StatementContext,
  moves: readonly PartitionMove[],
): Promise<number> {
  const { cluster } = context.services;
  await removeOrphans(cluster);
  for (const move of moves) {
    for (let other = running.get(cluster); other !== undefined; other = running.get(cluster))
      await other.catch(() => undefined);
    const current = movePartition(cluster, move);
    running.set(cluster, current);
    try {
      await current;
    } finally {
      if (running.get(cluster) === current) running.delete(cluster);
    }
  }
  return moves.length;
}

export async function rebalancePartitions(
  context: StatementContext,
  statement: RebalancePartitionsStatement,
): Promise<ResultOk> {
  checkPrivilege(context, '*', 'ALTER');
  const moves = planMoves(
    context,
    statement.database === undefined ? {} : { database: statement.database },
  );
  return ok(await runMoves(context, moves));
}

/** EXPLAIN REBALANCE PARTITIONS: the moves, one row each, without making them. */
export function explainRebalance(
  context: StatementContext,
  statement: RebalancePartitionsStatement,
): ResultRows {
  const moves = planMoves(
    context,
    statement.database === undefined ? {} : { database: statement.database },
  );
  const address = (id: string): string => {
    const leaf = context.services.cluster.leaf(id);
    return `${leaf.host}:${leaf.port}`;
  };
  return textRows(
    ['Database', 'Ordinal', 'From', 'To'],
    moves.map((move) => [move.database, move.ordinal, address(move.from), address(move.to)]),
  );
}

/** The result of a rebalance statement, or undefined for any other statement. */
export function runRebalanceStatement(
  context: StatementContext,
  statement: Statement,
): Promise<ResultOk | ResultRows> | undefined {
  if (statement.kind === 'rebalancePartitions') return rebalancePartitions(context, statement);
  if (statement.kind === 'explain' && statement.statement.kind === 'rebalancePartitions') {
    const explained = statement.statement;
    return Promise.resolve().then(() => explainRebalance(context, explained));
  }
  return undefined;
}
