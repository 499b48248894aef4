/**
 * Row counts for SHOW TABLE STATUS and information_schema.TABLES (Rows/TABLE_ROWS, and the
 * lengths derived from them), which GUI clients, dump progress and ORMs read. The tables of one
 * database and storage are counted by one statement per partition (`SELECT i, (SELECT COUNT(*)
 * FROM t_i) UNION ALL …`: DuckDB answers from its row-group metadata, SQLite from its smallest
 * index), a reference table on one leaf's copy. Counts are kept in the aggregator's count
 * cache (`count-cache.ts`: valid while nothing is written through this aggregator, the catalog
 * holds and 30 s pass), so repeated listings cost nothing.
 */
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { countCacheOf } from './count-cache.js';
import type { StatementContext } from './context.js';
import { execOptions } from './exec-options.js';

export interface TableStats {
  readonly rows: number;
  /** Bytes of one row, estimated from its columns' types (`rowLength`). */
  readonly rowLength: number;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The counts of `tables`, by table; a table whose count failed is left out. */
export async function tableStats(
  context: StatementContext,
  tables: readonly TableDef[],
): Promise<Map<TableDef, TableStats>> {
  const { cluster, catalog } = context.services;
  const cache = countCacheOf(cluster);
  const key = (table: TableDef): { catalogVersion: number; text: string } => ({
    catalogVersion: catalog.version,
    text: `table rows\n${table.database}\n${table.name}`,
  });
  const missing = tables.filter((table) => cache.get(key(table)) === undefined);
  const counted = countTables(context, missing);
  // A failure leaves the statistic out rather than failing the listing.
  counted.catch(() => undefined);
  const stats = new Map<TableDef, TableStats>();
  await Promise.all(
    tables.map(async (table) => {
      try {
        const rows = await cache.count(key(table), async () => {
          const found = (await counted).get(table);
          if (found === undefined) throw new Error('not counted');
          return found;
        });
        stats.set(table, { rows, rowLength: rowLength(table.columns) });
      } catch {
        // Not counted: NULL in the listing.
      }
    }),
  );
  return stats;
}

/** Counts tables: one statement per partition for each database, storage and placement. */
async function countTables(
  context: StatementContext,
  tables: readonly TableDef[],
): Promise<Map<TableDef, number>> {
  const groups = new Map<string, TableDef[]>();
  for (const table of tables) {
    const group = `${table.database.toLowerCase()}\n${table.storage}\n${table.reference}`;
    groups.set(group, [...(groups.get(group) ?? []), table]);
  }
  const counts = new Map<TableDef, number>();
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const first = group[0]!;
      const { cluster, catalog } = context.services;
      const database = catalog.requireDatabase(first.database);
      // Every leaf holds the same reference rows: one copy is counted.
      const targets = first.reference
        ? cluster.referencePartitions(database).slice(0, 1)
        : cluster.partitions(database);
      const sql = group
        .map((table, index) => `SELECT ${index}, (SELECT COUNT(*) FROM ${quote(table.name)})`)
        .join(' UNION ALL ');
      const results = await cluster.exec(
        targets,
        first.storage,
        () => ({ sql, params: [] }),
        execOptions(context, false, undefined),
      );
      const sums = new Array<number>(group.length).fill(0);
      for (const result of results)
        for (const row of result.rows) sums[Number(row[0])]! += Number(row[1] ?? 0);
      group.forEach((table, index) => counts.set(table, sums[index]!));
    }),
  );
  return counts;
}

/** Bytes MariaDB stores for a value of each fixed-width type. */
const FIXED: Readonly<Record<string, number>> = {
  bool: 1,
  tinyint: 1,
  smallint: 2,
  int: 4,
  bigint: 8,
  float: 4,
  double: 8,
  date: 3,
  datetime: 5,
  timestamp: 4,
  time: 3,
};
const SHORT_STRINGS: ReadonlySet<string> = new Set(['char', 'varchar', 'binary', 'varbinary']);
/** In-row bytes of a TEXT, BLOB or JSON value: InnoDB's pointer to the value stored off-page. */
const OFF_PAGE = 20;

/**
 * An estimate of one row's bytes, as MariaDB stores the types: fixed widths (temporal ones with
 * their fractional digits), a DECIMAL by its digits, a short string by half its declared length
 * with its length byte, longer values by their in-row pointer. Not measured: an approximation,
 * as InnoDB's AVG_ROW_LENGTH and DATA_LENGTH are.
 */
export function rowLength(columns: readonly ColumnDef[]): number {
  let bytes = 0;
  for (const column of columns) {
    const name = /^[a-z]+/.exec(column.mysqlType.toLowerCase())?.[0] ?? '';
    if (name === 'year' || name === 'enum') bytes += 1;
    else if (name === 'set' || name === 'bit') bytes += 8;
    else if (SHORT_STRINGS.has(name) && column.length !== undefined)
      bytes += 1 + Math.ceil(Math.min(column.length, 255) / 2);
    else if (column.type === 'decimal') bytes += Math.ceil((column.precision ?? 10) / 2);
    else if (FIXED[column.type] !== undefined)
      bytes += FIXED[column.type]! + Math.ceil((column.scale ?? 0) / 2);
    else bytes += OFF_PAGE;
  }
  return bytes;
}
