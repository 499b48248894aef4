// TPC-H benchmark entry point:
//   node bench/dist/sql/tpch/main.js --sf 1 --targets duckdb,mariadb[,mysql://user@host:port/]
// Generates (or reuses) the data, loads every target, runs each of the 22 queries on every target
// in turn, prints a side-by-side table (best time per query, total, ratio to DuckDB direct) and
// checks every target's answers against DuckDB's. See ../README.md.
import { parseArgs } from 'node:util';
import { startExosphere, type ExosphereHandle } from '../exosphere.js';
import { startMariadb, type MariadbHandle } from '../mariadb.js';
import { formatMs, formatTable, listOf } from '../table.js';
import { compareResults } from './compare.js';
import { ensureTpchData } from './generate.js';
import { tpchQueries } from './queries.js';
import type { QueryOutcome, TargetReport, TargetSession } from './result.js';
import { openDuckdb } from './run-duckdb.js';
import { openMysql } from './run-mysql.js';

const { values } = parseArgs({
  options: {
    sf: { type: 'string', default: '1' },
    targets: { type: 'string', default: 'duckdb,mariadb' },
    runs: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '1' },
    'timeout-s': { type: 'string', default: '60' },
    queries: { type: 'string' },
    ddl: { type: 'string' },
    reload: { type: 'boolean', default: false },
    'generate-only': { type: 'boolean', default: false },
  },
});

const sf = Number(values.sf);
const runs = Number(values.runs);
const rounds = Number(values.rounds);
const timeoutMs = Number(values['timeout-s']) * 1000;
if (!(sf > 0) || !(runs >= 1) || !(rounds >= 1) || !(timeoutMs > 0))
  throw new Error('bad --sf, --runs, --rounds or --timeout-s');
const only = values.queries === undefined ? undefined : listOf(values.queries).map(Number);
const ddl = values.ddl;
if (ddl !== undefined && ddl !== 'mysql' && ddl !== 'singlestore')
  throw new Error('--ddl is mysql or singlestore');

const data = await ensureTpchData({ sf });
console.log(
  `TPC-H SF ${sf}: ${data.rowCounts.lineitem.toLocaleString('en-US')} lineitem rows in ${data.directory}` +
    (data.generated ? ` (generated in ${(data.generateMs / 1000).toFixed(1)} s)` : ' (cached)'),
);
if (values['generate-only']) process.exit(0);

const progress = (target: string) => (outcome: QueryOutcome) =>
  console.log(
    `  ${target} Q${outcome.number}: ${outcome.status}` +
      (outcome.bestMs !== undefined ? ` ${formatMs(outcome.bestMs)} ms` : '') +
      (outcome.error ? ` ${outcome.error}` : ''),
  );

// Every target is loaded first; then the queries run one at a time on each target in turn
// (Q1 on each, then Q2 on each, …), so that a change in this shared machine's load falls on all
// targets alike instead of on whichever ran during it. `--rounds` repeats the whole pass and
// keeps each query's best time.
const sessions: TargetSession[] = [];
const servers: (MariadbHandle | ExosphereHandle)[] = [];
try {
  for (const target of listOf(values.targets)) {
    console.log(`${target}: loading...`);
    if (target === 'duckdb') {
      sessions.push(await openDuckdb({ data, runs }));
      continue;
    }
    let url = target;
    if (target === 'mariadb') {
      const server = await startMariadb();
      servers.push(server);
      url = server.url;
    } else if (target === 'exosphere') {
      // The data plane under test: its own leaf and aggregator processes.
      const server = await startExosphere({ leaves: 2 });
      servers.push(server);
      url = server.url;
    }
    sessions.push(
      await openMysql({
        url,
        data,
        timeoutMs,
        target,
        reload: values.reload,
        runs,
        ...(ddl !== undefined ? { ddl } : {}),
      }),
    );
  }
} catch (error) {
  await Promise.all(sessions.map((session) => session.close()));
  await Promise.all(servers.map((server) => server.stop()));
  throw error;
}
const outcomes = new Map<TargetSession, Map<number, QueryOutcome>>(
  sessions.map((session) => [session, new Map()]),
);
try {
  for (let round = 1; round <= rounds; round += 1) {
    for (const query of tpchQueries(sf)) {
      if (only && !only.includes(query.number)) continue;
      for (const session of sessions) {
        const outcome = await session.run(query);
        progress(session.target)(outcome);
        const kept = outcomes.get(session);
        const before = kept?.get(query.number);
        // The best time of the rounds; a round that failed does not hide one that passed.
        if (
          before === undefined ||
          (outcome.status === 'ok' &&
            (before.status !== 'ok' || (outcome.bestMs ?? Infinity) < (before.bestMs ?? Infinity)))
        )
          kept?.set(query.number, outcome);
      }
    }
  }
} finally {
  await Promise.all(sessions.map((session) => session.close()));
  await Promise.all(servers.map((server) => server.stop()));
}
const reports: TargetReport[] = sessions.map((session) => ({
  target: session.target,
  loadMs: session.loadMs,
  queries: [...(outcomes.get(session)?.values() ?? [])],
}));

// The side-by-side table, with each target's ratio to DuckDB direct.
const reference = reports.find((report) => report.target === 'duckdb');
const queries = tpchQueries(sf).filter((query) => !only || only.includes(query.number));
const headers = ['query', 'rows', ...reports.map((report) => `${report.target} ms`)];
const cell = (
  report: TargetReport,
  outcome: QueryOutcome | undefined,
  base: number | undefined,
): string => {
  if (!outcome) return '-';
  if (outcome.status !== 'ok' || outcome.bestMs === undefined) return outcome.status;
  const ratio =
    base !== undefined && report !== reference ? ` (${(outcome.bestMs / base).toFixed(1)}×)` : '';
  return `${formatMs(outcome.bestMs)}${ratio}`;
};
const rows = queries.map((query) => {
  const base = reference?.queries.find((outcome) => outcome.number === query.number);
  const rowCount = base?.result?.rows.length;
  return [
    `Q${query.number}`,
    rowCount === undefined ? '-' : sf === 1 ? `${rowCount}/${query.sf1Rows}` : String(rowCount),
    ...reports.map((report) =>
      cell(
        report,
        report.queries.find((outcome) => outcome.number === query.number),
        base?.bestMs,
      ),
    ),
  ];
});
// Totals cover the queries every target completed, so the ratios compare like with like.
const completed = queries.filter((query) =>
  reports.every(
    (report) => report.queries.find((outcome) => outcome.number === query.number)?.status === 'ok',
  ),
);
const totalOf = (report: TargetReport): number =>
  completed.reduce(
    (sum, query) =>
      sum + (report.queries.find((outcome) => outcome.number === query.number)?.bestMs ?? 0),
    0,
  );
const referenceTotal = reference ? totalOf(reference) : undefined;
rows.push([
  `total (${completed.length} q)`,
  '',
  ...reports.map((report) => {
    const total = totalOf(report);
    const ratio =
      referenceTotal && report !== reference ? ` (${(total / referenceTotal).toFixed(1)}×)` : '';
    return `${formatMs(total)}${ratio}`;
  }),
]);
rows.push(['load', '', ...reports.map((report) => formatMs(report.loadMs))]);
console.log(
  `\nTPC-H SF ${sf}, best of ${runs} after a warm-up${rounds > 1 ? `, in each of ${rounds} rounds` : ''} (ms; × = ratio to DuckDB direct)\n`,
);
console.log(formatTable(headers, rows));

// Correctness: every target's answers against DuckDB's.
let failed = false;
for (const report of reports) {
  if (!reference || report === reference) continue;
  for (const outcome of report.queries) {
    const query = queries.find((candidate) => candidate.number === outcome.number);
    const expected = reference.queries.find(
      (candidate) => candidate.number === outcome.number,
    )?.result;
    if (!query || !expected || !outcome.result) continue;
    const problems = compareResults(expected, outcome.result, query.orderBy);
    if (problems.length === 0) continue;
    failed = true;
    console.log(
      `\n${report.target} Q${outcome.number} differs from duckdb:\n  ${problems.join('\n  ')}`,
    );
  }
}
if (reference && reports.length > 1)
  console.log(
    failed
      ? '\nresult check: DIFFERENCES FOUND'
      : '\nresult check: all completed answers match DuckDB',
  );
process.exitCode = failed ? 1 : 0;
