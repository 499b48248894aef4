// OLTP benchmark entry point:
//   node bench/dist/sql/oltp-main.js --targets mariadb,mysql://user@host:port/ [--rows 100000]
//     [--duration-s 10] [--concurrency 1,32] [--modes prepared,text | --text]
// --text sends the statements as texts with their values written in (mysql2 `query()`).
// "mariadb" starts a throwaway MariaDB (see mariadb.ts), "exosphere" a leaf and an aggregator,
// "floor" the protocol layer with no SQL behind it (floor.ts). Prints one table across all targets.
import { parseArgs } from 'node:util';
import { startExosphere, type ExosphereHandle } from './exosphere.js';
import { startFloor, type FloorHandle } from './floor.js';
import { startMariadb, type MariadbHandle } from './mariadb.js';
import { runOltp, type OltpReport } from './oltp.js';
import { formatTable, listOf } from './table.js';

const { values } = parseArgs({
  options: {
    targets: { type: 'string', default: 'mariadb' },
    rows: { type: 'string', default: '100000' },
    'duration-s': { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '1,32' },
    modes: { type: 'string', default: 'prepared' },
    text: { type: 'boolean', default: false },
  },
});
const modes = (values.text ? ['text'] : listOf(values.modes)).map((mode) => {
  if (mode !== 'prepared' && mode !== 'text') throw new Error(`bad mode ${mode}`);
  return mode;
});
const rows = Number(values.rows);
const durationMs = Number(values['duration-s']) * 1000;
const concurrencies = listOf(values.concurrency).map(Number);
if (!(rows >= 1) || !(durationMs > 0)) throw new Error('bad --rows or --duration-s');

const reports: OltpReport[] = [];
for (const target of listOf(values.targets)) {
  let server: MariadbHandle | ExosphereHandle | FloorHandle | undefined;
  try {
    let url = target;
    if (target === 'mariadb') {
      server = await startMariadb();
      url = server.url;
    } else if (target === 'exosphere') {
      // The data plane under test: its own leaf and aggregator processes.
      server = await startExosphere({ leaves: 1 });
      url = server.url;
    } else if (target === 'floor') {
      // No SQL at all: the protocol layer answering with fixed packets (floor.ts).
      server = await startFloor();
      url = server.url;
    }
    console.log(`${target}: preloading ${rows.toLocaleString('en-US')} rows...`);
    reports.push(await runOltp({ url, target, rows, durationMs, concurrencies, modes }));
  } finally {
    await server?.stop();
  }
}

const table = reports.flatMap((report) =>
  report.phases.map((phase) => [
    report.target,
    phase.mode === 'text' ? `${phase.workload} (text)` : phase.workload,
    String(phase.concurrency),
    Math.round(phase.operationsPerSecond).toLocaleString('en-US'),
    phase.p50Ms.toFixed(3),
    phase.p99Ms.toFixed(3),
    String(phase.errors),
  ]),
);
console.log(`\nOLTP: ${rows.toLocaleString('en-US')} rows, ${durationMs / 1000} s per phase\n`);
console.log(
  formatTable(['target', 'workload', 'clients', 'ops/s', 'p50 ms', 'p99 ms', 'errors'], table),
);
for (const report of reports)
  console.log(`${report.target} preload: ${(report.preloadMs / 1000).toFixed(2)} s`);
