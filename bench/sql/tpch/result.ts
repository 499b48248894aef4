// What a runner reports for one target: load time and, per query, the best time and the rows.

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
