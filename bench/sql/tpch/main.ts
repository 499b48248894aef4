// TPC-H benchmark entry point:
//   node bench/dist/sql/tpch/main.js --sf 1 --targets duckdb,mariadb[,mysql://user@host:port/]
// Generates (or reuses) the data, runs the 22 queries on each target, prints a side-by-side table
// (best time per query, total, ratio to DuckDB direct) and checks every target's answers against
// DuckDB's. See ../README.md.
import { parseArgs } from 'node:util';
import { startExosphere, type ExosphereHandle } from '../exosphere.js';
import { startMariadb, type MariadbHandle } from '../mariadb.js';
import { formatMs, formatTable, listOf } from '../table.js';
import { compareResults } from './compare.js';
import { ensureTpchData } from './generate.js';
import { tpchQueries } from './queries.js';
import type { QueryOutcome, TargetReport } from './result.js';
import { runDuckdb } from './run-duckdb.js';
import { runMysql } from './run-mysql.js';

const { values } = parseArgs({
  options: {
    sf: { type: 'string', default: '1' },
    targets: { type: 'string', default: 'duckdb,mariadb' },
    runs: { type: 'string', default: '3' },
    'timeout-s': { type: 'string', default: '60' },
    queries: { type: 'string' },
    ddl: { type: 'string' },
    reload: { type: 'boolean', default: false },
    'generate-only': { type: 'boolean', default: false },
  },
});

const sf = Number(values.sf);
const runs = Number(values.runs);
const timeoutMs = Number(values['timeout-s']) * 1000;
if (!(sf > 0) || !(runs >= 1) || !(timeoutMs > 0))
  throw new Error('bad --sf, --runs or --timeout-s');
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

const reports: TargetReport[] = [];
for (const target of listOf(values.targets)) {
  console.log(`${target}: loading and running...`);
  const common = { runs, ...(only ? { only } : {}), onQuery: progress(target) };
  if (target === 'duckdb') {
    reports.push(await runDuckdb({ data, ...common }));
    continue;
  }
  let server: MariadbHandle | ExosphereHandle | undefined;
  try {
    let url = target;
    if (target === 'mariadb') {
      server = await startMariadb();
      url = server.url;
    } else if (target === 'exosphere') {
      // The data plane under test: its own leaf and aggregator processes.
      server = await startExosphere({ leaves: 2 });
      url = server.url;
    }
    reports.push(
      await runMysql({
        url,
        data,
        timeoutMs,
        target,
        reload: values.reload,
        ...(ddl !== undefined ? { ddl } : {}),
        ...common,
      }),
    );
  } finally {
    await server?.stop();
  }
}

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
console.log(`\nTPC-H SF ${sf}, best of ${runs} after a warm-up (ms; × = ratio to DuckDB direct)\n`);
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
