/**
 * Semi-join reductions of broadcast copies (`broadcast.ts`). A sharded table `T` too big to copy
 * to every leaf may still be copied when the query keeps only few of its rows: if the block's
 * inner-join equalities put a column of `T` in one class with a column of a filtered table `U`
 * (directly, `T.a = U.b`, or through other tables, `T.a = L.c AND U.b = L.c`), every row the
 * block's FROM and WHERE keep has `T.a` equal to some `U.b` of a row of `U` passing `U`'s own
 * filters. So the copy of `T` may be fetched with the extra conjunct
 *
 *   T.a IN (SELECT DISTINCT U.b FROM U WHERE <U's conjuncts>)
 *
 * and the rows it drops are rows no result row reads. TPC-H Q9: partsupp (800,000 rows) shares
 * `ps_partkey = l_partkey = p_partkey` with part filtered by `p_name LIKE '%green%'`, so only
 * the partsupp rows of about 11,000 parts need copying.
 *
 * Only where that reasoning holds:
 * - the block's FROM is tables (and named derived tables) joined by inner or cross joins only
 *   (`innerTables`): a table preserved by an outer join keeps its rows without a match, so a
 *   FROM with any outer join gets no reduction;
 * - `T` is read once in the whole query, by that FROM item: the copy replaces every read of
 *   `T`, and a read in a subquery or another block is not restricted by this block's joins;
 * - both columns are integers: the keys become a literal integer list whose comparison equals
 *   the column comparison (other types could compare differently as literals).
 * Pure; `aggregator/copy-reduction.ts` runs the key queries and counts again.
 */
import type { Expr, SelectStatement, TableRefTable } from '../parser/ast.js';
import type { TableDef } from '../catalog/types.js';
import type { SqlType } from '../values.js';
import type { BroadcastCandidate } from './broadcast.js';
import type { TableLookup } from './colocation.js';
import { innerTables } from './pushdown.js';
import { conjuncts } from './route.js';

/** One way to restrict the copy of `target`: by the values `source.column` takes. */
export interface CopyReduction {
  readonly target: BroadcastCandidate;
  /** The column of the target restricted, as the catalog spells it. */
  readonly column: string;
  readonly source: {
    readonly ref: TableRefTable;
    readonly table: TableDef;
    /** The name the query gives the source (alias or name). */
    readonly alias: string;
    readonly column: string;
    /** The source's own WHERE conjuncts (never empty: an unfiltered source restricts nothing). */
    readonly filters: readonly Expr[];
  };
}

const INTEGER_TYPES: ReadonlySet<SqlType> = new Set(['tinyint', 'smallint', 'int', 'bigint']);

interface Item {
  readonly name: string;
  readonly ref?: TableRefTable;
  readonly table?: TableDef;
  readonly columns: ReadonlySet<string>;
}

/**
 * The reductions the block's equalities allow, for every candidate read once by the block's
 * FROM, each with a filtered source sharing an equivalence class with it. `filters` are the
 * block's conjuncts about one table alone (`singleTableFilters`), keyed by lower-case name.
 */
export function copyReductions(options: {
  readonly query: SelectStatement;
  readonly lookup: TableLookup;
  readonly candidates: readonly BroadcastCandidate[];
  readonly filters: ReadonlyMap<string, readonly Expr[]>;
}): CopyReduction[] {
  const { query, lookup, candidates, filters } = options;
  if (query.from === undefined) return [];
  const inner = innerTables(query.from);
  if (inner === undefined) return [];
  const items: Item[] = inner.map((entry) => {
    if (entry.kind === 'derived')
      return {
        name: entry.name.toLowerCase(),
        columns: new Set(entry.columns.map((name) => name.toLowerCase())),
      };
    const table = lookup.table(entry.ref);
    return {
      name: (entry.ref.alias ?? entry.ref.name).toLowerCase(),
      ref: entry.ref,
      ...(table !== undefined ? { table } : {}),
      columns: new Set(table?.columns.map((column) => column.name.toLowerCase()) ?? []),
    };
  });
  if (new Set(items.map((item) => item.name)).size !== items.length) return [];
  const classes = equivalenceClasses(query, items);
  const reductions: CopyReduction[] = [];
  for (const target of candidates) {
    if (target.uses !== 1 || target.ref === undefined) continue;
    const index = items.findIndex((item) => item.ref === target.ref);
    const item = items[index];
    if (item === undefined) continue;
    for (const column of target.table.columns) {
      if (!INTEGER_TYPES.has(column.type)) continue;
      const members = classes.get(memberKey(index, column.name)) ?? [];
      for (const member of members) {
        const source = items[member.index];
        if (member.index === index || source?.ref === undefined || source.table === undefined)
          continue;
        const sourceFilters = filters.get(source.name) ?? [];
        const sourceColumn = source.table.columns.find(
          (candidate) => candidate.name.toLowerCase() === member.column,
        );
        if (sourceFilters.length === 0 || sourceColumn === undefined) continue;
        if (!INTEGER_TYPES.has(sourceColumn.type)) continue;
        reductions.push({
          target,
          column: column.name,
          source: {
            ref: source.ref,
            table: source.table,
            alias: source.ref.alias ?? source.ref.name,
            column: sourceColumn.name,
            filters: sourceFilters,
          },
        });
      }
    }
  }
  return reductions;
}

interface Member {
  readonly index: number;
  /** Lower case. */
  readonly column: string;
}

function memberKey(index: number, column: string): string {
  return `${index}:${column.toLowerCase()}`;
}

/** The equivalence classes of `item.column` the block's inner-join equalities form. */
function equivalenceClasses(
  query: SelectStatement,
  items: readonly Item[],
): Map<string, readonly Member[]> {
  const parent = new Map<string, string>();
  const members = new Map<string, Member>();
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(key, root);
    return root;
  };
  const add = (member: Member): string => {
    const key = memberKey(member.index, member.column);
    if (!parent.has(key)) {
      parent.set(key, key);
      members.set(key, member);
    }
    return key;
  };
  for (const conjunct of blockEqualities(query)) {
    if (conjunct.kind !== 'binary' || conjunct.op !== '=') continue;
    const left = resolve(conjunct.left, items);
    const right = resolve(conjunct.right, items);
    if (left === undefined || right === undefined) continue;
    parent.set(find(add(left)), find(add(right)));
  }
  const groups = new Map<string, Member[]>();
  for (const [key, member] of members) {
    const root = find(key);
    groups.set(root, [...(groups.get(root) ?? []), member]);
  }
  const classes = new Map<string, readonly Member[]>();
  for (const key of members.keys()) classes.set(key, groups.get(find(key)) ?? []);
  return classes;
}

/** The WHERE conjuncts and the ON conjuncts of the FROM list's inner joins. */
function blockEqualities(query: SelectStatement): Expr[] {
  const found = query.where === undefined ? [] : conjuncts(query.where);
  const visit = (ref: NonNullable<SelectStatement['from']>[number]): void => {
    if (ref.kind !== 'join') return;
    // `innerTables` already refused outer joins; the check keeps this function safe alone.
    if (ref.type === 'inner' || ref.type === 'straight') {
      if (ref.on !== undefined) found.push(...conjuncts(ref.on));
    }
    visit(ref.left);
    visit(ref.right);
  };
  for (const ref of query.from ?? []) visit(ref);
  return found;
}

/** The FROM item and column a column reference names, when it is a plain table's column. */
function resolve(expr: Expr, items: readonly Item[]): Member | undefined {
  if (expr.kind !== 'column' || expr.database !== undefined) return undefined;
  const column = expr.column.toLowerCase();
  let index: number;
  if (expr.table !== undefined) {
    index = items.findIndex((item) => item.name === expr.table?.toLowerCase());
  } else {
    // A table of unknown columns (a sub-plan's rows) could own an unqualified name.
    if (items.some((item) => item.ref !== undefined && item.table === undefined)) return undefined;
    const owners = items.flatMap((item, position) => (item.columns.has(column) ? [position] : []));
    index = owners.length === 1 ? (owners[0] ?? -1) : -1;
  }
  const item = items[index];
  if (item?.table === undefined || !item.columns.has(column)) return undefined;
  return { index, column };
}
