/**
 * Views in queries: before planning, every reference to a view becomes a derived table of the
 * view's SELECT (named by the reference's alias, or the view's name, with the view's column list
 * as column aliases), so the planner only ever sees tables and derived tables — a view over one
 * sharded table is planned exactly as the same derived table written by hand.
 *
 * A view's body is parsed from the catalog's text once per definition, and its unqualified table
 * names are qualified with the database they were resolved in at CREATE VIEW (MySQL resolves a
 * view's names there, not in the reader's current database). Views nest up to
 * `VIEW_DEPTH_MAX`; CREATE VIEW can only name existing objects, so a cycle cannot be created,
 * but the expansion refuses one anyway (1462). A body that no longer plans — its table was
 * dropped, its column altered away — answers 1356, as MySQL does.
 */
import type { Query, TableRef, TableRefDerived, TableRefTable } from '../parser/ast.js';
import { parseStatement } from '../parser/index.js';
import { SqlError, sqlError } from '../errors.js';
import type { ViewDef } from '../catalog/types.js';
import { collectTableUses } from '../planner/tables.js';
import { hasPrivilege } from './accounts.js';
import type { StatementContext } from './context.js';
import { planQuery } from './select.js';

/** How many views may nest inside one another. */
export const VIEW_DEPTH_MAX = 32;

/** Planning errors that mean the view's body reads something that is gone (1146, 1054, …). */
const INVALID_ERRNOS: ReadonlySet<number> = new Set([1046, 1049, 1054, 1146, 1305, 1356]);

/** Each definition's body, parsed and qualified once (catalog records are replaced, never changed). */
const bodies = new WeakMap<ViewDef, Query>();
/** The catalog version at which each definition's body last planned without error. */
const validated = new WeakMap<ViewDef, number>();

/** `node` with its view references expanded; `node` itself when it reads no view. */
export function expandViews<T>(context: StatementContext, node: T): T {
  const views = context.services.catalog.snapshot.views;
  if (views === undefined || Object.keys(views).length === 0) return node;
  return expandIn(context, node, { database: context.session.database, chain: [] });
}

interface Scope {
  /** Where unqualified names resolve. */
  readonly database: string | undefined;
  /** The views being expanded around this node, as "db.view" in lower case. */
  readonly chain: readonly string[];
  /** The view a CREATE OR REPLACE / ALTER VIEW is defining (its old definition is not read). */
  readonly defining?: ViewDef;
}

/**
 * A new definition's body, expanded for validation at CREATE / ALTER VIEW. Reading the view
 * being defined, directly or through other views, is MySQL's 1146 for that view.
 */
export function expandDefinition(context: StatementContext, view: ViewDef): Query {
  const key = `${view.database}.${view.name}`.toLowerCase();
  return expandIn(context, viewBody(view), {
    database: view.resolveDatabase,
    chain: [key],
    defining: view,
  });
}

function expandIn<T>(context: StatementContext, node: T, scope: Scope): T {
  const { catalog } = context.services;
  const replacements = new Map<object, TableRef>();
  for (const use of collectTableUses(node)) {
    const database = use.ref.database ?? scope.database;
    if (database === undefined) continue;
    const view = catalog.view(database, use.ref.name);
    if (view !== undefined) replacements.set(use.ref, derivedFor(context, view, use.ref, scope));
  }
  return replacements.size === 0 ? node : (replaceNodes(node, replacements) as T);
}

/** The derived table a reference to `view` becomes. */
function derivedFor(
  context: StatementContext,
  view: ViewDef,
  ref: TableRefTable,
  scope: Scope,
): TableRefDerived {
  const key = `${view.database}.${view.name}`.toLowerCase();
  const defining = scope.defining;
  if (defining !== undefined && key === scope.chain[0])
    throw sqlError('NO_SUCH_TABLE', `Table '${defining.database}.${defining.name}' doesn't exist`);
  if (scope.chain.includes(key) || scope.chain.length >= VIEW_DEPTH_MAX)
    throw sqlError(
      'VIEW_RECURSIVE',
      `\`${view.database}\`.\`${view.name}\` contains view recursion`,
    );
  const body = viewBody(view);
  if (view.security === 'INVOKER') {
    // SQL SECURITY INVOKER: the reader needs SELECT where the view reads, not only on the view.
    for (const use of collectTableUses(body))
      if (!hasPrivilege(context, use.ref.database ?? view.resolveDatabase, 'SELECT'))
        throw invalidView(view);
  }
  const query = expandIn(context, body, {
    ...scope,
    database: view.resolveDatabase,
    chain: [...scope.chain, key],
  });
  checkValid(context, view, query);
  return {
    kind: 'derived',
    query,
    alias: ref.alias ?? ref.name,
    ...(view.columns === undefined ? {} : { columnAliases: view.columns }),
    ...(ref.pos === undefined ? {} : { pos: ref.pos }),
  };
}

/** The view's SELECT with every unqualified table name qualified (and aliased by its name). */
export function viewBody(view: ViewDef): Query {
  const cached = bodies.get(view);
  if (cached !== undefined) return cached;
  const statement = parseStatement(view.definition);
  if (statement.kind !== 'select' && statement.kind !== 'setOperation' && statement.kind !== 'with')
    throw new Error(`view ${view.database}.${view.name} does not hold a query`);
  const qualified = new Map<object, TableRef>();
  for (const use of collectTableUses(statement)) {
    if (use.ref.database !== undefined) continue;
    qualified.set(use.ref, {
      ...use.ref,
      database: view.resolveDatabase,
      // `t.col` in the body keeps naming the table once it is written `db`.`t`.
      alias: use.ref.alias ?? use.ref.name,
    });
  }
  const body = replaceNodes(statement, qualified) as Query;
  bodies.set(view, body);
  return body;
}

/** 1356 when the (expanded) body no longer plans; checked once per catalog version. */
/** 1356: what a view reads is gone, or the invoker may not read it (MariaDB's one text for both). */
function invalidView(view: ViewDef, cause?: unknown): SqlError {
  return sqlError(
    'VIEW_INVALID',
    `View '${view.database}.${view.name}' references invalid table(s) or column(s) or function(s) or definer/invoker of view lack rights to use them`,
    cause,
  );
}

function checkValid(context: StatementContext, view: ViewDef, query: Query): void {
  const version = context.services.catalog.version;
  if (validated.get(view) === version) return;
  const { plans: _plans, ...plain } = context;
  try {
    planQuery(plain, query);
  } catch (error) {
    if (error instanceof SqlError && INVALID_ERRNOS.has(error.errno))
      throw invalidView(view, error);
    throw error;
  }
  validated.set(view, version);
}

/** A copy of `node` with the given objects replaced; unchanged subtrees are shared, not copied. */
function replaceNodes(node: unknown, replacements: ReadonlyMap<object, unknown>): unknown {
  if (node === null || typeof node !== 'object') return node;
  const replaced = replacements.get(node);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(node)) {
    const items = node.map((item: unknown) => replaceNodes(item, replacements));
    return items.some((item, index) => item !== node[index]) ? items : node;
  }
  let changed = false;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const next = replaceNodes(value, replacements);
    if (next !== value) changed = true;
    copy[key] = next;
  }
  return changed ? copy : node;
}
