// The bulk load benchmark's ceiling (load.ts, target `duckdb`): DuckDB itself, in this process,
// with a database file and every core, loading the same file into the same table (primary key
// included unless --keyless) with one COPY, and the same multi-row INSERT texts.
// No protocol, no network, no partitioning: what the columnstore engine does on this machine.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { LOAD_TABLE, loadTableDdl } from './load-data.js';

export interface DuckdbLoadFigures {
  readonly loadRowsPerS: number;
  readonly insertRowsPerS: number;
}

export async function duckdbLoad(options: {
  readonly file: string;
  readonly rows: number;
  readonly keyless: boolean;
  /** The INSERT statements, each as Exosphere and MariaDB receive it. */
  readonly inserts: Iterable<{ readonly sql: string; readonly rows: number }>;
}): Promise<DuckdbLoadFigures> {
  const folder = await mkdtemp(join(tmpdir(), 'exo-bench-duckdb-load-'));
  const instance = await DuckDBInstance.create(join(folder, 'load.duckdb'), {
    threads: String(availableParallelism()),
  });
  const connection = await instance.connect();
  try {
    const ddl = loadTableDdl('duckdb', options.keyless);
    await connection.run(ddl);
    const loadStarted = performance.now();
    // COPY reads the file with the table's own column types (LOAD DATA's default format).
    await connection.run(
      `COPY ${LOAD_TABLE} FROM '${options.file}' ` +
        `(DELIMITER '\t', HEADER false, QUOTE '', ESCAPE '', NULL '\\N')`,
    );
    const loadRowsPerS = options.rows / ((performance.now() - loadStarted) / 1000);

    await connection.run(ddl.replace(`TABLE ${LOAD_TABLE}`, `TABLE ${LOAD_TABLE}_insert`));
    let insertMs = 0;
    let inserted = 0;
    for (const insert of options.inserts) {
      const started = performance.now();
      await connection.run(insert.sql);
      insertMs += performance.now() - started;
      inserted += insert.rows;
    }
    return { loadRowsPerS, insertRowsPerS: inserted / (insertMs / 1000) };
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(folder, { recursive: true, force: true });
  }
}
