/**
 * How a session's statements reach its temporary tables (`temporary-tables.ts`). Before a
 * statement is planned or run, every table it names that one of the session's temporary tables
 * shadows (same database and name: MariaDB looks among the session's temporary tables first) is
 * replaced by that table's reserved name, keeping the session's name as its alias, so the rest
 * — privileges, plans, engine SQL, and every cache keyed by them — sees an ordinary table.
 *
 * What is left alone, as in MariaDB: a view's body (views are expanded later, so a view reads
 * the table it named; a view may not name a temporary table, 1352), a CTE's name, and the name
 * CREATE TABLE creates. DROP TABLE and RENAME TABLE look temporary tables up themselves
 * (`ddl-temporary.ts`). A reserved name written by a user is no table (1146).
 */
import type {
  CreateViewStatement,
  Expr,
  Query,
  Statement,
  TableName,
  TableRefTable,
} from '../parser/ast.js';
import { mapExpr } from '../parser/index.js';
import { sqlError } from '../errors.js';
import { collectTableUses } from '../planner/tables.js';
import type { AggregatorServices, SessionState } from './context.js';
import { PlanSlot } from './plan-cache.js';
import {
  isReservedName,
  TEMPORARY_PREFIX,
  temporaryTable,
  type TemporaryTable,
  type TemporaryTables,
} from './temporary-tables.js';

interface Scope {
  readonly services: AggregatorServices;
  readonly session: SessionState;
}

/** A reserved name in a statement's text (scanned without copying a long text). */
const RESERVED = new RegExp(TEMPORARY_PREFIX, 'i');

/** The rewritten statement of each statement object, and for whom and under what. */
const rewritten = new WeakMap<
  Statement,
  { readonly tables: TemporaryTables; readonly key: string; readonly statement: Statement }
>();

/**
 * `statement` with the session's temporary tables in place of the names they shadow; the same
 * object when nothing changes. `text` is the statement's source: a session without temporary
 * tables rewrites nothing unless it writes a reserved name.
 */
export function resolveTemporaryNames(scope: Scope, statement: Statement, text: string): Statement {
  const { session, services } = scope;
  const tables = session.temporaryTables;
  if (tables.size === 0 && !RESERVED.test(text)) return statement;
  const key = `${tables.generation}:${services.catalog.version}:${session.database ?? ''}`;
  const known = rewritten.get(statement);
  if (known?.tables === tables && known.key === key) return known.statement;
  const result = rewrite(scope, statement);
  rewritten.set(statement, { tables, key, statement: result });
  return result;
}

/** Derived plan slots: a rewritten statement keeps its plans between executions too. */
const derived = new WeakMap<PlanSlot, PlanSlot>();

/** The plan slot for `statement`, a rewriting of the one `slot` was made for. */
export function slotForRewritten(slot: PlanSlot, statement: Statement): PlanSlot {
  const known = derived.get(slot);
  if (known?.statement === statement) return known;
  const made = new PlanSlot(statement);
  derived.set(slot, made);
  return made;
}

function rewrite(scope: Scope, statement: Statement): Statement {
  switch (statement.kind) {
    case 'createView':
      rejectTemporaryInView(scope, statement);
      rejectReservedTarget(statement.view.name);
      return statement;
    case 'dropTable':
    case 'renameTable':
    case 'lockTables':
    case 'flush':
    case 'analyzeTable':
    case 'optimizeTable':
    case 'checkTable':
    case 'repairTable':
      return statement;
    case 'explain': {
      const inner = rewrite(scope, statement.statement);
      return inner === statement.statement ? statement : { ...statement, statement: inner };
    }
    case 'createTable': {
      rejectReservedTarget(statement.name);
      const next = refs(scope, statement);
      if (next.like === undefined) return next;
      const like = tableName(scope, next.like);
      return like === next.like ? next : { ...next, like };
    }
    case 'insert': {
      const next = refs(scope, statement);
      const found = lookup(scope, next.table.database, next.table.name);
      if (found === undefined) return next;
      const update = next.onDuplicateKeyUpdate?.map((assignment) => ({
        column: qualified(assignment.column, found),
        value: mapExpr(assignment.value, (expr) => qualified(expr, found)),
      }));
      return {
        ...next,
        table: renamed(next.table, found),
        ...(update === undefined ? {} : { onDuplicateKeyUpdate: update }),
      };
    }
    case 'loadData':
    case 'truncateTable':
    case 'alterTable':
    case 'createIndex':
    case 'dropIndex':
    case 'describe': {
      const next = refs(scope, statement);
      const table = tableName(scope, next.table);
      return table === next.table ? next : { ...next, table };
    }
    case 'show': {
      const next = refs(scope, statement);
      // SHOW CREATE VIEW names views only.
      if (next.table === undefined || next.what === 'createView') return next;
      const table = tableName(scope, next.table, next.database);
      return table === next.table ? next : { ...next, table };
    }
    default:
      return refs(scope, statement);
  }
}

/** The session's temporary table `database.name`; 1146 for a reserved name. */
function lookup(
  scope: Scope,
  database: string | undefined,
  name: string,
): TemporaryTable | undefined {
  const db = database ?? scope.session.database;
  if (isReservedName(name))
    throw sqlError('NO_SUCH_TABLE', `Table '${db ?? ''}.${name}' doesn't exist`);
  if (db === undefined) return undefined;
  const { catalog } = scope.services;
  return temporaryTable(catalog, scope.session.temporaryTables, db, name)?.entry;
}

function renamed<T extends TableName>(name: T, found: TemporaryTable): T {
  return { ...name, database: found.database, name: found.physical };
}

function tableName(scope: Scope, name: TableName, database?: string): TableName {
  const found = lookup(scope, name.database ?? database, name.name);
  return found === undefined ? name : renamed(name, found);
}

/** A column of an upsert's target qualified by the session's name: the reserved name instead. */
function qualified<T extends Expr>(expr: T, found: TemporaryTable): T {
  if (expr.kind !== 'column' || expr.table?.toLowerCase() !== found.name.toLowerCase()) return expr;
  return { ...expr, table: found.physical };
}

/** Every table reference in `node` (FROM lists, joins, subqueries, CTE bodies), rewritten. */
function refs<T>(scope: Scope, node: T): T {
  return mapRefs(node, new Set(), (ref) => {
    const found = lookup(scope, ref.database, ref.name);
    return found === undefined ? ref : { ...renamed(ref, found), alias: ref.alias ?? ref.name };
  }) as T;
}

/**
 * Maps the table references of a tree, copying only what changes (nothing is allocated for a
 * tree that has none to change, such as a long INSERT's rows); CTE names are scoped.
 */
function mapRefs(
  node: unknown,
  ctes: ReadonlySet<string>,
  map: (ref: TableRefTable) => TableRefTable,
): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) {
    let copy: unknown[] | undefined;
    node.forEach((item: unknown, index) => {
      const mapped = mapRefs(item, ctes, map);
      if (mapped === item) return;
      copy ??= [...(node as unknown[])];
      copy[index] = mapped;
    });
    return copy ?? node;
  }
  const record = node as { kind?: unknown };
  if (record.kind === 'with') {
    const withNode = node as Extract<Query, { kind: 'with' }>;
    const scoped = new Set(ctes);
    // As `planner/tables.ts` reads them: every CTE sees itself and the ones before it.
    const cteList = withNode.ctes.map((cte) => {
      scoped.add(cte.name.toLowerCase());
      const query = mapRefs(cte.query, new Set(scoped), map) as Query;
      return query === cte.query ? cte : { ...cte, query };
    });
    const query = mapRefs(withNode.query, scoped, map) as Query;
    const same = query === withNode.query && cteList.every((cte, i) => cte === withNode.ctes[i]);
    return same ? node : { ...withNode, ctes: cteList, query };
  }
  if (record.kind === 'table' && 'name' in node && !('columns' in node)) {
    const ref = node as TableRefTable;
    if (ref.database === undefined && ctes.has(ref.name.toLowerCase())) return node;
    return map(ref);
  }
  let copy: Record<string, unknown> | undefined;
  for (const [field, value] of Object.entries(node) as [string, unknown][]) {
    const mapped = mapRefs(value, ctes, map);
    if (mapped === value) continue;
    copy ??= { ...node };
    copy[field] = mapped;
  }
  return copy ?? node;
}

/** A view may not name a temporary table (MariaDB's 1352). */
function rejectTemporaryInView(scope: Scope, statement: CreateViewStatement): void {
  for (const use of collectTableUses(statement.query)) {
    if (lookup(scope, use.ref.database, use.ref.name) !== undefined)
      throw sqlError(
        'VIEW_SELECT_TMPTABLE',
        `View's SELECT refers to a temporary table '${use.ref.name}'`,
      );
  }
}

/** No table or view may take a reserved name. */
export function rejectReservedTarget(name: string): void {
  if (isReservedName(name)) throw sqlError('WRONG_TABLE_NAME', `Incorrect table name '${name}'`);
}
