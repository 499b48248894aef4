/**
 * Whether a SQLite statement touches at most a few rows by key, from SQLite's own plan
 * (`EXPLAIN QUERY PLAN`): each step must be a SEARCH by equalities of the integer primary key
 * or of every column of a unique index. A process that runs statements on another process's
 * partition file (the aggregator on a leaf of its host) runs only such statements, so one never
 * holds its event loop longer than a lookup.
 */
import type Database from 'better-sqlite3';
import type { StatementInput } from './exec-types.js';
import { sqliteParam } from './sqlite-values.js';

/**
 * One plan step, a search by equalities (`SEARCH t USING … (a=? AND b=?)`) of the integer
 * primary key, or of an index (its name captured: it must be unique and fully pinned).
 */
const POINT_SEARCH =
  /^SEARCH \S+ USING (?:INTEGER PRIMARY KEY|(?:COVERING )?INDEX (\S+)) \(([^)]*)\)$/;
const EQUALITY_TERM = /^\S+=\?$/;

export interface PlanShape {
  /** How many steps the plan has (an INSERT … VALUES, upsert included, has none). */
  readonly steps: number;
  /** Whether every step is a point search. */
  readonly point: boolean;
}

export function planShape(db: Database.Database, input: StatementInput): PlanShape {
  const plan = db
    .prepare(`EXPLAIN QUERY PLAN ${input.sql}`)
    .all(...input.params.map(sqliteParam)) as { detail: string }[];
  return {
    steps: plan.length,
    point: plan.every((step) => isPointSearch(db, step.detail)),
  };
}

function isPointSearch(db: Database.Database, detail: string): boolean {
  const search = POINT_SEARCH.exec(detail);
  const terms = search?.[2]?.split(' AND ');
  if (terms === undefined || !terms.every((term) => EQUALITY_TERM.test(term))) return false;
  const index = search?.[1];
  return index === undefined || isUniqueOn(db, index, terms.length);
}

/** Whether the index is unique and has exactly `columns` key columns. */
function isUniqueOn(db: Database.Database, index: string, columns: number): boolean {
  const keyColumns = db.prepare('SELECT COUNT(*) AS n FROM pragma_index_info(?)').get(index) as
    { n: unknown } | undefined;
  if (Number(keyColumns?.n) !== columns) return false;
  if (index.startsWith('sqlite_autoindex_')) return true;
  const definition = db
    .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
    .get(index) as { sql: unknown } | undefined;
  return typeof definition?.sql === 'string' && /^CREATE UNIQUE INDEX/i.test(definition.sql);
}
