// What a runner reports for one target: load time and, per query, the best time and the rows.
import { tpchQueries, type TpchQuery } from './queries.js';

/** A cell as the runners hand it over: numbers, decimals and dates may arrive as text. */
export type Cell = null | string | number | bigint | boolean;

export interface ResultSet {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

export interface QueryOutcome {
  readonly number: number;
  readonly status: 'ok' | 'timeout' | 'error';
  /** Best of the timed runs, in milliseconds. */
  readonly bestMs?: number;
  readonly error?: string;
  readonly result?: ResultSet;
}

export interface TargetReport {
  /** "duckdb", "mariadb" or the URL of the server. */
  readonly target: string;
  readonly loadMs: number;
  readonly queries: readonly QueryOutcome[];
}

export interface RunOptions {
  /** Timed runs per query after one warm-up run; the best is reported. */
  readonly runs: number;
  /** Query numbers to run; all 22 when omitted. */
  readonly only?: readonly number[];
  /** Called after each query, for progress output. */
  readonly onQuery?: (outcome: QueryOutcome) => void;
}

/** Runs `attempt` once to warm up and then `runs` times, returning the best time and last result. */
export async function bestOf<T>(
  runs: number,
  attempt: () => Promise<T>,
): Promise<{ bestMs: number; value: T }> {
  let value = await attempt();
  let bestMs = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    value = await attempt();
    bestMs = Math.min(bestMs, performance.now() - started);
  }
  return { bestMs, value };
}

/** A target loaded and ready: each query runs on demand, so targets can take turns. */
export interface TargetSession {
  readonly target: string;
  readonly loadMs: number;
  /** One query: a warm-up and the timed runs (`RunOptions.runs`). */
  run(query: TpchQuery): Promise<QueryOutcome>;
  close(): Promise<void>;
}

/** Runs the queries on a target being opened, then closes it whatever happened. */
export async function runOpened(
  opening: Promise<TargetSession>,
  sf: number,
  options: Pick<RunOptions, 'only' | 'onQuery'>,
): Promise<TargetReport> {
  const session = await opening;
  try {
    return await runSession(session, sf, options);
  } finally {
    await session.close();
  }
}

/** The 22 queries (or `options.only`) one after another on one session. */
export async function runSession(
  session: TargetSession,
  sf: number,
  options: Pick<RunOptions, 'only' | 'onQuery'>,
): Promise<TargetReport> {
  const outcomes: QueryOutcome[] = [];
  for (const query of tpchQueries(sf)) {
    if (options.only && !options.only.includes(query.number)) continue;
    const outcome = await session.run(query);
    outcomes.push(outcome);
    options.onQuery?.(outcome);
  }
  return { target: session.target, loadMs: session.loadMs, queries: outcomes };
}
