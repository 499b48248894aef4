/**
 * Fragments in the gather plan (`planner/fragments.ts` chooses them): each fragment is a
 * co-located join that every partition runs (planned and run like a distributed query, its
 * rows concatenated), and its rows become one table of the merge engine, read by the rewritten
 * query in place of the fragment's tables.
 */
import type { Query } from '../parser/ast.js';
import type { TableDef } from '../catalog/types.js';
import { duckdbType } from '../catalog/column-type.js';
import { planFragments } from '../planner/fragments.js';
import type { ColumnMeta } from '../values.js';
import type { StatementContext } from './context.js';
import type { MergeTable } from './merge-engine.js';
import { isVirtualDatabase } from './information-schema.js';
import {
  partialTable,
  planDistributed,
  type BroadcastTable,
  type DistributedPlan,
} from './distributed-select.js';
import { tableKey } from '../planner/broadcast.js';
import { shownName } from './temporary-tables.js';

/** DuckDB keeps decimals up to 38 digits. */
const DECIMAL_PRECISION_MAX = 38;

export interface FragmentSource {
  /** The merge engine's table name, as the rewritten query names it. */
  readonly name: string;
  /** The names the query uses for the fragment's tables. */
  readonly tables: readonly string[];
  readonly plan: DistributedPlan;
}

export interface FragmentedGather {
  readonly query: Query;
  readonly fragments: readonly FragmentSource[];
}

/**
 * The query with co-located fragments pushed to the partitions; `undefined` when it has none,
 * or when a fragment cannot run there (the query then keeps the plain gather plan).
 */
export function planFragmentGather(
  context: StatementContext,
  query: Query,
  /** Small tables copied to the leaves, read by fragments as reference tables. */
  broadcasts?: ReadonlyMap<string, BroadcastTable>,
): FragmentedGather | undefined {
  const { catalog } = context.services;
  const lookupTable = (database: string | undefined, name: string): TableDef | undefined => {
    const db = database ?? context.session.database;
    if (db === undefined || isVirtualDatabase(db)) return undefined;
    const table = catalog.table(db, name);
    return table !== undefined && broadcasts?.has(tableKey(table)) === true
      ? { ...table, reference: true }
      : table;
  };
  const planned = planFragments(query, {
    lookup: {
      table: (ref) => lookupTable(ref.database, ref.name),
      partitions: (database) => catalog.database(database)?.partitions,
    },
    // A transaction's own writes to a reference table are invisible to partition statements.
    references: context.transaction === undefined,
  });
  if (planned === undefined) return undefined;
  const fragments: FragmentSource[] = [];
  for (const fragment of planned.fragments) {
    const plan = planDistributed(context, fragment.query, broadcasts);
    if (plan === undefined || plan.merge !== undefined) return undefined;
    if (plan.distribution.kind === 'twoPhase') return undefined;
    fragments.push({ name: fragment.name, tables: fragment.tables, plan });
  }
  return { query: planned.query, fragments };
}

/** The fragment's rows from every partition, as a merge-engine table. */
export async function fetchFragment(
  context: StatementContext,
  fragment: FragmentSource,
): Promise<MergeTable> {
  // A fragment has no merge step (`planFragmentGather`): its rows are the partitions' rows, and
  // travel as Parquet files where their types allow (`partial-fetch.ts`).
  return partialTable(context, fragment.plan, fragment.plan.columns, fragment.name);
}

/** The merge engine's column type for a result column (decimals capped at DuckDB's 38 digits). */
export function mergeColumnType(column: ColumnMeta): string {
  const precision =
    column.precision === undefined ? undefined : Math.min(column.precision, DECIMAL_PRECISION_MAX);
  return duckdbType({
    ...column,
    mysqlType: column.type,
    ...(precision !== undefined ? { precision } : {}),
  });
}

/** EXPLAIN lines for one fragment: what the partitions run. */
export function explainFragment(fragment: FragmentSource): string[] {
  const leaves = [
    ...new Set(fragment.plan.targets.map((target) => `${target.leaf.host}:${target.leaf.port}`)),
  ].join(', ');
  const { colocation } = fragment.plan.distribution;
  const joined =
    colocation.references.length > 0
      ? `; reference tables ${colocation.references.map(shownName).join(', ')} joined locally`
      : '';
  return [
    `  Fragment ${fragment.name} (${fragment.tables.join(', ')}): ${colocation.database} ${fragment.plan.targets.length} ${fragment.plan.targets.length === 1 ? 'partition' : 'partitions'} on ${leaves} (columnstore, DuckDB) run the co-located part${joined}; rows gathered`,
    `    Engine SQL: ${fragment.plan.partition.sql}`,
  ];
}
