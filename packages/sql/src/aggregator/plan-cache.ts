/**
 * What a session keeps about one statement between executions (a prepared statement, or a
 * repeated query text): the parts of its plan that do not depend on parameter values, so an
 * execution only binds and routes. Every cached part records the catalog version, the current
 * database and the session settings it was made under; any difference throws it away, so a
 * DDL statement, USE or SET never leaves a stale plan behind.
 *
 * A statement that mentions a variable (`@x`, `@@sql_mode`), or whose translation read the
 * clock or the session (NOW(), DATABASE(), LAST_INSERT_ID()), is never cached: those values
 * are substituted as literals into the engine SQL.
 */
import type { Warning } from './context.js';
import type { Query, Statement } from '../parser/ast.js';
import type { TranslateOptions } from '../dialect/index.js';
import type { DatabaseDef, TableDef } from '../catalog/types.js';
import { containsKind } from '../planner/tables.js';
import type { TranslatedSelect } from '../dialect/index.js';
import type { StatementContext } from './context.js';
import type { RouteTemplate } from './route-template.js';
import { formatTimestamp } from './query-options.js';
import { paramTypesKey } from './param-types.js';

const VARIABLE_KINDS: ReadonlySet<string> = new Set(['variable']);
/** Session variables whose value can change how a statement is checked or translated. */
const SETTINGS = ['sql_mode', 'time_zone'] as const;

/** When a cached part was made: it stays valid while all three are unchanged. */
export interface PlanKey {
  readonly catalogVersion: number;
  readonly database: string | undefined;
  readonly settings: string;
}

/** A single-partition query without its target: the target comes from the parameters. */
export interface PartitionShape {
  readonly key: PlanKey;
  readonly table: TableDef;
  /** The table's database (its partitions and their placement), as of `key`. */
  readonly database: DatabaseDef;
  /** The name the query gives the table (alias or name), for routing by the WHERE clause. */
  readonly name: string;
  readonly translated: TranslatedSelect;
  /** How parameters name the partition, when the WHERE has the plain form (`route-template.ts`). */
  readonly route: RouteTemplate | undefined;
  /** A rowstore point read (see the partition plan's `point`). */
  readonly point: boolean;
}

/** An INSERT ... ON DUPLICATE KEY UPDATE's engine statement and its extra parameter indexes. */
export interface UpsertShape {
  readonly key: PlanKey;
  readonly table: TableDef;
  readonly sql: string;
  readonly params: readonly number[];
  readonly rowWarnings: readonly Warning[];
}

export class PlanSlot {
  /** False when the statement mentions a variable: nothing about it is cached. */
  readonly cacheable: boolean;
  partition: PartitionShape | undefined;
  upsert: UpsertShape | undefined;
  /** The key under which the statement's privileges were last checked. */
  privileges: PlanKey | undefined;
  /** The query with MariaDB's implicit order made explicit (`compat-key-order.ts`). */
  implicitOrder: { readonly key: PlanKey; readonly query: Query } | undefined;

  constructor(readonly statement: Statement) {
    this.cacheable = !containsKind(statement, VARIABLE_KINDS);
  }
}

function settingsOf(context: StatementContext): string {
  const variables = context.session.variables;
  let text = '';
  for (const name of SETTINGS) text += `${String(variables.get(name) ?? '')};`;
  // A plan translated for parameters of other types is another plan (param-types.ts).
  return text + paramTypesKey(context.paramTypes);
}

export function currentKey(context: StatementContext): PlanKey {
  return {
    catalogVersion: context.services.catalog.version,
    database: context.session.database,
    settings: settingsOf(context),
  };
}

/** Whether a part cached under `key` may be used by this execution. */
export function isCurrent(key: PlanKey | undefined, context: StatementContext): key is PlanKey {
  return (
    key !== undefined &&
    key.catalogVersion === context.services.catalog.version &&
    key.database === context.session.database &&
    key.settings === settingsOf(context)
  );
}

/** The slot for `statement`, when this context carries one for exactly that statement. */
export function slotFor(context: StatementContext, statement: unknown): PlanSlot | undefined {
  const slot = context.plans;
  if (slot === undefined || !slot.cacheable) return undefined;
  return slot.statement === statement || slot.implicitOrder?.query === statement ? slot : undefined;
}

/** How far the clock is moved to see whether a translation depends on it (every field changes). */
const CLOCK_SHIFT_MS = 400 * 86_400_000 + 3_600_000 + 61_001;

/**
 * Translates, and says whether the result may be reused by later executions: not when the
 * translation read the session (DATABASE(), USER(), @@variables, ...: seen through
 * `resolveSystemCall`) or the clock. The clock is tested by translating again with another
 * `now`: different text means NOW() and friends were folded in. Only done for a statement that
 * has a slot, on its first execution.
 */
export function translateForCache<O extends TranslateOptions, R extends { readonly sql: string }>(
  context: StatementContext,
  options: O,
  translate: (options: O) => R,
): { readonly result: R; readonly reusable: boolean } {
  const resolve = options.resolveSystemCall;
  if (context.plans === undefined || !context.plans.cacheable || resolve === undefined)
    return { result: translate(options), reusable: false };
  let readSession = false;
  const tracked: O = {
    ...options,
    resolveSystemCall: (name: string, args: Parameters<typeof resolve>[1]) => {
      const value = resolve(name, args);
      // A name the translator resolves itself (an ordinary function) reads nothing.
      if (value !== undefined) readSession = true;
      return value;
    },
  };
  const result = translate(tracked);
  if (readSession) return { result, reusable: false };
  const later = context.nowMs + CLOCK_SHIFT_MS;
  const shifted = translate({
    ...tracked,
    now: formatTimestamp(later + (options.zoneMinutes ?? 0) * 60_000, true),
    utcNow: formatTimestamp(later, true),
  });
  return { result, reusable: shifted.sql === result.sql };
}
