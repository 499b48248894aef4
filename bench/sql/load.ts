// Bulk load benchmark (issue 4, 9c and 9d):
//   node bench/dist/sql/load.js --targets exosphere,mariadb[,duckdb] [--rows 10000000]
//     [--insert-rows 1000000] [--ingest-rows-per-s 100000] [--query-runs 15] [--keyless]
// (c) loads --rows lineitem-like rows with LOAD DATA LOCAL INFILE and --insert-rows with
//     multi-row INSERT batches, and reports rows/s;
// (d) times a few analytic queries over the loaded table idle, then while a second connection
//     ingests --ingest-rows-per-s rows/s (paced LOAD DATA every 100 ms): p50/p99 and their ratio.
// `duckdb` is the columnstore engine itself in this process (load-duckdb.ts), for (c) only.
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createConnection, type Connection } from 'mysql2/promise';
import { connect, connectionOptions } from './connect.js';
import { startExosphere, type ExosphereHandle } from './exosphere.js';
import { LOAD_TABLE, freshKeyBatches, lineitemLines, loadTableDdl } from './load-data.js';
import { duckdbLoad } from './load-duckdb.js';
import { startMariadb, type MariadbHandle } from './mariadb.js';
import { formatMs, formatTable, listOf } from './table.js';

const { values: args } = parseArgs({
  options: {
    targets: { type: 'string', default: 'exosphere,mariadb' },
    rows: { type: 'string', default: '10000000' },
    'insert-rows': { type: 'string', default: '1000000' },
    'insert-batch': { type: 'string', default: '1000' },
    'ingest-rows-per-s': { type: 'string', default: '100000' },
    'query-runs': { type: 'string', default: '15' },
    keyless: { type: 'boolean', default: false },
  },
});
const rows = Number(args.rows);
const insertRows = Number(args['insert-rows']);
const insertBatch = Number(args['insert-batch']);
const ingestRate = Number(args['ingest-rows-per-s']);
const queryRuns = Number(args['query-runs']);
const DATABASE = 'exo_load';
const INGEST_TICK_MS = 100;

const QUERIES: readonly (readonly [string, string])[] = [
  [
    'Q1-like',
    `SELECT l_returnflag, l_linestatus, SUM(l_quantity) AS qty, SUM(l_extendedprice) AS base,
      SUM(l_extendedprice * (1 - l_discount)) AS disc, AVG(l_discount) AS avg_disc, COUNT(*) AS n
     FROM ${LOAD_TABLE} WHERE l_shipdate <= '1998-09-02'
     GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus`,
  ],
  [
    'Q6-like',
    `SELECT SUM(l_extendedprice * l_discount) AS revenue FROM ${LOAD_TABLE}
     WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01'
       AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24`,
  ],
  [
    'mode counts',
    `SELECT l_shipmode, COUNT(*) AS n, MAX(l_receiptdate) AS last FROM ${LOAD_TABLE}
     GROUP BY l_shipmode ORDER BY l_shipmode`,
  ],
];

/** The data file, generated once under bench/.data/load/. */
async function dataFile(count: number): Promise<string> {
  const directory = fileURLToPath(new URL('../../.data/load/', import.meta.url));
  await mkdir(directory, { recursive: true });
  const file = join(directory, `lineitem-${count}.tsv`);
  if (existsSync(file)) return file;
  console.log(`generating ${count.toLocaleString('en-US')} rows into ${file}...`);
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  for (const batch of lineitemLines({
    firstOrder: 1,
    rows: count,
    seed: 7,
    batchRows: 10_000,
    values: false,
  })) {
    if (!out.write(batch.text))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  await rename(partial, file);
  return file;
}

/** The nearest-rank percentile: p99 of 100 samples is the 99th smallest, of 10 the largest. */
function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? NaN;
}

async function timeQueries(db: Connection): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(QUERIES.map(([name]) => [name, []]));
  for (let run = 0; run < queryRuns; run++) {
    for (const [name, sql] of QUERIES) {
      const started = performance.now();
      await db.query(sql);
      samples.get(name)?.push(performance.now() - started);
    }
  }
  return samples;
}

interface Report {
  readonly target: string;
  readonly loadRowsPerS: number;
  readonly insertRowsPerS: number;
  readonly idle: Map<string, number[]>;
  readonly busy: Map<string, number[]>;
  readonly ingestedRowsPerS: number;
}

/** The (c) INSERT statements, the same text for every target. */
function* insertStatements(): Generator<{ sql: string; rows: number }> {
  for (const batch of lineitemLines({
    firstOrder: 1,
    rows: insertRows,
    seed: 11,
    batchRows: insertBatch,
    values: true,
  }))
    yield {
      sql: `INSERT INTO ${LOAD_TABLE}_insert VALUES ${batch.values.join(',')}`,
      rows: batch.values.length,
    };
}

async function runTarget(target: string, url: string, file: string): Promise<Report> {
  const flavor = target === 'mariadb' ? 'mysql' : 'exosphere';
  const admin = await connect(url);
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const db = await connect(url, DATABASE);
  await db.query(loadTableDdl(flavor, args.keyless));
  const loadStarted = performance.now();
  await db.query(`LOAD DATA LOCAL INFILE '${file}' INTO TABLE ${LOAD_TABLE}`);
  const loadRowsPerS = rows / ((performance.now() - loadStarted) / 1000);
  console.log(`${target}: LOAD DATA ${Math.round(loadRowsPerS).toLocaleString('en-US')} rows/s`);

  await db.query(
    loadTableDdl(flavor, args.keyless).replace(`TABLE ${LOAD_TABLE}`, `TABLE ${LOAD_TABLE}_insert`),
  );
  let insertMs = 0;
  for (const { sql } of insertStatements()) {
    const started = performance.now();
    await db.query(sql);
    insertMs += performance.now() - started;
  }
  const insertRowsPerS = insertRows / (insertMs / 1000);
  console.log(`${target}: INSERT ${Math.round(insertRowsPerS).toLocaleString('en-US')} rows/s`);

  await timeQueries(db); // warm-up
  const idle = await timeQueries(db);

  // A second connection ingests new orders at the target rate, one LOAD DATA per tick. The
  // batches are made before the clock starts (a pool of generated lines, re-keyed per tick).
  let pending = Buffer.alloc(0);
  const ingest = await createConnection({
    ...connectionOptions(url, DATABASE),
    infileStreamFactory: () => Readable.from([pending]),
  });
  const batches = freshKeyBatches({
    firstOrder: 100_000_000,
    seed: 13,
    batchRows: Math.max(1, Math.round((ingestRate * INGEST_TICK_MS) / 1000)),
    poolBatches: 20,
  });
  let ingesting = true;
  let ingested = 0;
  const ingestStarted = performance.now();
  const ingester = (async () => {
    let tick = performance.now();
    while (ingesting) {
      const batch = batches.next().value as { text: string; rows: number };
      pending = Buffer.from(batch.text);
      await ingest.query(`LOAD DATA LOCAL INFILE 'tick.tsv' INTO TABLE ${LOAD_TABLE}`);
      ingested += batch.rows;
      tick += INGEST_TICK_MS;
      const wait = tick - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  const busy = await timeQueries(db);
  ingesting = false;
  await ingester;
  const ingestedRowsPerS = ingested / ((performance.now() - ingestStarted) / 1000);
  await ingest.end();
  await db.end();
  return { target, loadRowsPerS, insertRowsPerS, idle, busy, ingestedRowsPerS };
}

const file = await dataFile(rows);
console.log(`data: ${file} (${((await stat(file)).size / 2 ** 20).toFixed(0)} MiB)`);
const reports: Report[] = [];
const whole = (value: number): string => Math.round(value).toLocaleString('en-US');
for (const target of listOf(args.targets)) {
  let server: MariadbHandle | ExosphereHandle | undefined;
  try {
    let url = target;
    if (target === 'duckdb') {
      const figures = await duckdbLoad({
        file,
        rows,
        keyless: args.keyless,
        inserts: insertStatements(),
      });
      console.log(`duckdb: LOAD DATA ${whole(figures.loadRowsPerS)} rows/s (COPY)`);
      reports.push({ target, ...figures, idle: new Map(), busy: new Map(), ingestedRowsPerS: NaN });
      continue;
    }
    if (target === 'mariadb') {
      server = await startMariadb();
      url = server.url;
    } else if (target === 'exosphere') {
      server = await startExosphere({ leaves: 2 });
      url = server.url;
    }
    reports.push(await runTarget(target, url, file));
  } finally {
    await server?.stop();
  }
}

console.log(
  `\n(c) bulk load: ${whole(rows)} rows by LOAD DATA, ${whole(insertRows)} by INSERT batches of ${insertBatch}\n`,
);
console.log(
  formatTable(
    ['target', 'LOAD DATA rows/s', 'INSERT rows/s'],
    reports.map((report) => [
      report.target,
      whole(report.loadRowsPerS),
      whole(report.insertRowsPerS),
    ]),
  ),
);
console.log(
  `\n(d) query latency idle vs ingesting ${whole(ingestRate)} rows/s (${queryRuns} runs each, ms)\n`,
);
console.log(
  formatTable(
    ['target', 'query', 'idle p50', 'idle p99', 'busy p50', 'busy p99', 'p50 ×', 'p99 ×'],
    reports
      .filter((report) => report.idle.size > 0)
      .flatMap((report) =>
        QUERIES.map(([name]) => {
          const idle = report.idle.get(name) ?? [];
          const busy = report.busy.get(name) ?? [];
          const [i50, i99, b50, b99] = [
            percentile(idle, 0.5),
            percentile(idle, 0.99),
            percentile(busy, 0.5),
            percentile(busy, 0.99),
          ];
          return [
            report.target,
            name,
            formatMs(i50),
            formatMs(i99),
            formatMs(b50),
            formatMs(b99),
            (b50 / i50).toFixed(2),
            (b99 / i99).toFixed(2),
          ];
        }),
      ),
  ),
);
for (const report of reports.filter((each) => each.idle.size > 0))
  console.log(`${report.target}: ingested ${whole(report.ingestedRowsPerS)} rows/s while querying`);
