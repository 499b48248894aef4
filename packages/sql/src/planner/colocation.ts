/**
 * Whether a query can run on every partition at once, each partition computing its share from
 * its own rows, with answers that combine into exactly the answer of the whole data.
 *
 * That holds when every row combination the query forms lives in one partition: the sharded
 * tables it reads (in its FROM and in its subqueries) are joined to each other by equality of
 * their whole shard keys (tables hashed alike on equal values, so equal keys share a partition),
 * and the other tables are reference tables, whose full copy is on every leaf. Equalities count
 * when they are top-level conjuncts of a WHERE or an ON; `a.k IN (SELECT b.k …)` in a WHERE
 * counts too. An outer join must not preserve reference rows against sharded ones (each
 * partition would emit them). A subquery that aggregates or limits its sharded rows must be
 * correlated to the outer row by a whole shard key, or be an IN subquery grouped by its key.
 * Only columnstore tables of one database qualify (they share a DuckDB instance per leaf);
 * a derived table qualifies when its groups stay in one partition (`group-local.ts`); other
 * derived tables, NATURAL/USING joins and window functions are left to the gather plan.
 * Pure.
 */
import type {
  ColumnRefExpr,
  Expr,
  Query,
  SelectStatement,
  TableRef,
  TableRefDerived,
  TableRefTable,
} from '../parser/ast.js';
import { exprQuery, walkExpr } from '../parser/index.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { conjuncts } from './route.js';
import { containsKind } from './tables.js';
import { canonicalKey, resolveColumn, type Block, type BlockTable } from './blocks.js';
import { isAggregateCall } from './aggregates.js';
import { localDerivedTable } from './group-local.js';
import type { ColumnMeta } from '../values.js';

export interface TableLookup {
  /** The table a reference names; `undefined` when unknown (or not a catalog table). */
  table(ref: TableRefTable): TableDef | undefined;
  /** The partition count of a database. */
  partitions(database: string): number | undefined;
  /** A derived table's result columns; without it, derived tables are never co-located. */
  derived?(query: SelectStatement): readonly ColumnMeta[] | undefined;
}

export interface Colocation {
  readonly database: string;
  readonly partitions: number;
  /** Sharded tables read, and reference tables read. */
  readonly sharded: readonly TableDef[];
  readonly references: readonly TableDef[];
  /** The outermost block. */
  readonly top: Block;
  /**
   * Sharded tables of the outermost FROM that are never null-extended: a GROUP BY that contains
   * the whole shard key of one of them keeps each group in one partition.
   */
  readonly anchors: readonly BlockTable[];
}

interface Edge {
  readonly a: BlockTable;
  readonly aColumn: string;
  readonly b: BlockTable;
  readonly bColumn: string;
}

class NotColocated extends Error {}

function fail(): never {
  throw new NotColocated('not co-located');
}

export function analyzeColocation(
  query: SelectStatement,
  lookup: TableLookup,
): Colocation | undefined {
  try {
    return analyze(query, lookup);
  } catch (error) {
    if (error instanceof NotColocated) return undefined;
    throw error;
  }
}

const BLOCKS_MAX = 64;

interface BlockRecord {
  readonly block: Block;
  readonly select: SelectStatement;
  readonly parent?: BlockRecord;
  /** Equalities the block's rows (or, for an IN subquery, its matching rows) satisfy. */
  readonly edges: Edge[];
  /** Set for `x IN (SELECT k …)`: the subquery's select item. */
  readonly inLink?: ColumnRefExpr;
}

class Analysis {
  readonly uses: BlockTable[] = [];
  readonly records: BlockRecord[] = [];
  /** The co-location of each partition-local derived table read. */
  readonly nested: Colocation[] = [];

  constructor(readonly lookup: TableLookup) {}

  /** A derived table read as the sharded table of its partition-local groups. */
  derived(ref: TableRefDerived, nullExtended: boolean): BlockTable {
    if (ref.lateral === true || ref.query.kind !== 'select') return fail();
    const inner = analyzeColocation(ref.query, this.lookup);
    const metas = inner === undefined ? undefined : this.lookup.derived?.(ref.query);
    if (inner === undefined || metas === undefined) return fail();
    const aliases = ref.columnAliases;
    if (aliases !== undefined && aliases.length !== metas.length) return fail();
    const named =
      aliases === undefined
        ? metas
        : metas.map((meta, index) => ({ ...meta, name: aliases[index] ?? meta.name }));
    const local = localDerivedTable(ref.query, inner, ref.alias, named);
    if (local === undefined) return fail();
    this.nested.push(inner);
    const use: BlockTable = {
      id: this.uses.length,
      name: ref.alias.toLowerCase(),
      table: local.table,
      nullExtended,
      metas: local.metas,
    };
    this.uses.push(use);
    return use;
  }

  block(
    select: SelectStatement,
    parent: BlockRecord | undefined,
    inLink?: ColumnRefExpr,
  ): BlockRecord {
    if (this.records.length >= BLOCKS_MAX || select.into !== undefined) fail();
    const tables: BlockTable[] = [];
    const ons: Expr[] = [];
    const outerJoins: { preserved: BlockTable[]; nullable: BlockTable[] }[] = [];
    const collect = (ref: TableRef, nullExtended: boolean): BlockTable[] => {
      if (ref.kind === 'derived') {
        const use = this.derived(ref, nullExtended);
        tables.push(use);
        return [use];
      }
      if (ref.kind === 'table') {
        const table = this.lookup.table(ref);
        if (table === undefined || table.storage !== 'column') return fail();
        const use: BlockTable = {
          id: this.uses.length,
          name: (ref.alias ?? ref.name).toLowerCase(),
          table,
          nullExtended,
        };
        this.uses.push(use);
        tables.push(use);
        return [use];
      }
      if (ref.natural === true || ref.using !== undefined) return fail();
      const left = collect(ref.left, nullExtended || ref.type === 'right');
      const right = collect(ref.right, nullExtended || ref.type === 'left');
      if (ref.on !== undefined) ons.push(ref.on);
      if (ref.type === 'left') outerJoins.push({ preserved: left, nullable: right });
      if (ref.type === 'right') outerJoins.push({ preserved: right, nullable: left });
      return [...left, ...right];
    };
    for (const ref of select.from ?? []) collect(ref, false);
    if (new Set(tables.map((use) => use.name)).size !== tables.length) fail();
    for (const join of outerJoins) {
      const sharded = (uses: BlockTable[]): boolean => uses.some((use) => !use.table.reference);
      if (sharded(join.nullable) && !sharded(join.preserved)) fail();
    }
    const block: Block = parent === undefined ? { tables } : { tables, parent: parent.block };
    const record: BlockRecord = {
      block,
      select,
      edges: [],
      ...(parent !== undefined ? { parent } : {}),
      ...(inLink !== undefined ? { inLink } : {}),
    };
    this.records.push(record);
    const filters = [...(select.where === undefined ? [] : conjuncts(select.where))];
    for (const on of ons) filters.push(...conjuncts(on));
    const visited = new Set<Query>();
    for (const conjunct of filters) this.conjunct(record, conjunct, visited);
    // Every other subquery of the block.
    for (const expr of blockExprs(select)) {
      walkExpr(expr, (node) => {
        const inner = exprQuery(node);
        if (inner !== undefined && !visited.has(inner)) {
          visited.add(inner);
          if (inner.kind !== 'select') fail();
          this.block(inner, record);
        }
      });
    }
    return record;
  }

  conjunct(record: BlockRecord, conjunct: Expr, visited: Set<Query>): void {
    if (conjunct.kind === 'binary' && conjunct.op === '=') {
      const { left, right } = conjunct;
      if (left.kind !== 'column' || right.kind !== 'column') return;
      const a = resolveColumn(record.block, left);
      const b = resolveColumn(record.block, right);
      // An equality between two enclosing tables may sit under an OR of the enclosing block.
      if (a === undefined || b === undefined || (a.depth > 0 && b.depth > 0)) return;
      record.edges.push({ a: a.use, aColumn: a.column, b: b.use, bColumn: b.column });
      return;
    }
    const link = inLinkOf(conjunct);
    if (link === undefined) return;
    visited.add(link.query);
    const item = link.query.columns[0]?.expr;
    const inner = this.block(link.query, record, item?.kind === 'column' ? item : undefined);
    if (item?.kind !== 'column' || link.column.kind !== 'column') return;
    const a = resolveColumn(record.block, link.column);
    const b = resolveColumn(inner.block, item);
    if (a === undefined || b === undefined || a.depth > 0 || b.depth > 0) return;
    inner.edges.push({ a: a.use, aColumn: a.column, b: b.use, bColumn: b.column });
  }
}

function inLinkOf(expr: Expr): { column: Expr; query: SelectStatement } | undefined {
  if (expr.kind !== 'in' || expr.not || expr.query === undefined) return undefined;
  if (expr.query.kind !== 'select' || expr.query.columns.length !== 1) return undefined;
  return { column: expr.expr, query: expr.query };
}

/** The expressions of a block whose subqueries run inside it. */
function blockExprs(select: SelectStatement): Expr[] {
  const exprs: Expr[] = select.columns.map((item) => item.expr);
  if (select.where !== undefined) exprs.push(select.where);
  if (select.having !== undefined) exprs.push(select.having);
  exprs.push(...select.groupBy, ...select.orderBy.map((item) => item.expr));
  const visitRef = (ref: TableRef): void => {
    if (ref.kind !== 'join') return;
    visitRef(ref.left);
    visitRef(ref.right);
    if (ref.on !== undefined) exprs.push(ref.on);
  };
  for (const ref of select.from ?? []) visitRef(ref);
  if (select.limit !== undefined) exprs.push(select.limit.count);
  return exprs;
}

/** A block whose result depends on rows beyond those matching one outer row's key. */
function needsGuard(select: SelectStatement): boolean {
  if (select.limit !== undefined || select.groupBy.length > 0 || select.having !== undefined)
    return true;
  return select.columns.some((item) => {
    let found = false;
    walkExpr(item.expr, (node) => {
      if (isAggregateCall(node)) found = true;
      return !found;
    });
    return found;
  });
}

function family(column: ColumnDef): string {
  switch (column.type) {
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return 'integer';
    case 'char':
    case 'varchar':
    case 'text':
      return column.binary === true ? 'binary' : 'string';
    case 'decimal':
      return `decimal:${column.scale ?? 0}`;
    default:
      return column.type;
  }
}

/** Hashing places equal values of two shard-key columns alike only within one type family. */
function keyColumns(table: TableDef): ColumnDef[] | undefined {
  const columns = table.shardKey.map((name) =>
    table.columns.find((column) => column.name === name),
  );
  return columns.every((column) => column !== undefined) ? columns : undefined;
}

class UnionFind {
  private readonly parents = new Map<string, string>();
  find(key: string): string {
    let current = key;
    for (;;) {
      const parent = this.parents.get(current);
      if (parent === undefined || parent === current) return current;
      current = parent;
    }
  }
  union(a: string, b: string): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA !== rootB) this.parents.set(rootA, rootB);
  }
}

const columnKey = (use: BlockTable, column: string): string => `${use.id}.${column.toLowerCase()}`;

function analyze(query: SelectStatement, lookup: TableLookup): Colocation {
  if (containsKind(query, new Set(['variable', 'assign']))) fail();
  const analysis = new Analysis(lookup);
  const topRecord = analysis.block(query, undefined);
  const top = topRecord.block;
  if (analysis.uses.length === 0) return fail();
  const database = analysis.uses[0]?.table.database ?? '';
  if (analysis.uses.some((use) => use.table.database !== database)) fail();
  const partitions = lookup.partitions(database);
  if (partitions === undefined) return fail();
  const shardedUses = analysis.uses.filter((use) => !use.table.reference);
  if (partitions > 1 && shardedUses.length > 0) {
    // Window functions see rows of other partitions.
    if (containsKind(query, new Set(['windowCall']))) fail();
    if (!top.tables.some((use) => !use.table.reference)) fail();
    for (const record of analysis.records) checkBlock(record);
  }
  // Partition-local derived tables count as the tables they read.
  const tablesOf = (uses: BlockTable[], nested: (inner: Colocation) => readonly TableDef[]) => [
    ...new Map(
      [
        ...uses.filter((use) => use.metas === undefined).map((use) => use.table),
        ...analysis.nested.flatMap(nested),
      ].map((table) => [table.name, table] as const),
    ).values(),
  ];
  return {
    database,
    partitions,
    sharded: tablesOf(shardedUses, (inner) => inner.sharded),
    references: tablesOf(
      analysis.uses.filter((use) => use.table.reference),
      (inner) => inner.references,
    ),
    top,
    anchors: top.tables.filter((use) => !use.table.reference && !use.nullExtended),
  };
}

/**
 * The sharded tables of a block and of its enclosing blocks must all have equal shard keys under
 * the equalities that the block's rows satisfy: its own and its enclosing blocks'.
 */
function checkBlock(record: BlockRecord): void {
  const equal = new UnionFind();
  const sharded: BlockTable[] = [];
  for (
    let current: BlockRecord | undefined = record;
    current !== undefined;
    current = current.parent
  ) {
    for (const edge of current.edges)
      equal.union(columnKey(edge.a, edge.aColumn), columnKey(edge.b, edge.bColumn));
    sharded.push(...current.block.tables.filter((use) => !use.table.reference));
  }
  const first = sharded[0];
  if (first === undefined) return;
  for (const use of sharded) if (!sameKeys(first, use, equal)) fail();
  const own = record.block.tables.filter((use) => !use.table.reference);
  if (record.inLink !== undefined && own.length > 0 && needsGuard(record.select))
    checkInLink(record, record.inLink, own);
}

function sameKeys(a: BlockTable, b: BlockTable, equal: UnionFind): boolean {
  if (a === b) return true;
  const aKeys = keyColumns(a.table);
  const bKeys = keyColumns(b.table);
  if (aKeys === undefined || bKeys === undefined || aKeys.length === 0) return false;
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((column, index) => {
    const other = bKeys[index] as ColumnDef;
    return (
      family(column) === family(other) &&
      equal.find(columnKey(a, column.name)) === equal.find(columnKey(b, other.name))
    );
  });
}

/**
 * `x IN (SELECT k …)` that aggregates or limits: each partition must compute, for the key value
 * of the outer row, the same answer as the whole data. True when the subquery is grouped by its
 * one sharded table's (one-column) shard key and has no LIMIT.
 */
function checkInLink(record: BlockRecord, link: ColumnRefExpr, own: readonly BlockTable[]): void {
  if (record.select.limit !== undefined || own.length !== 1) fail();
  const linkKey = canonicalKey(link, record.block);
  const grouped = record.select.groupBy.some(
    (expr) => canonicalKey(expr, record.block) === linkKey,
  );
  const owner = resolveColumn(record.block, link);
  const keyed =
    owner !== undefined &&
    owner.depth === 0 &&
    owner.use.table.shardKey.length === 1 &&
    owner.use.table.shardKey[0]?.toLowerCase() === owner.column.toLowerCase();
  if (!grouped || !keyed) fail();
}
