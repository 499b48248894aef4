// TPC-H against any MySQL-protocol server (MariaDB, MySQL, Exosphere) named by a mysql:// URL:
// create the schema, load the .tbl files with LOAD DATA LOCAL INFILE, run the 22 queries with a
// per-query timeout, best of N. A query that exceeds the timeout is reported as "timeout": on
// MariaDB through SET STATEMENT max_statement_time, elsewhere by KILL QUERY from a second
// connection (and, if even that does not end it, by dropping the connection).
import type { Connection, FieldPacket } from 'mysql2/promise';
import { connect, serverFlavor } from '../connect.js';
import type { TpchData } from './generate.js';
import {
  runOpened,
  type Cell,
  type ResultSet,
  type RunOptions,
  type TargetReport,
  type TargetSession,
} from './result.js';
import { tableNames, tpchDdl, type DdlDialect } from './schema.js';

export interface MysqlRunOptions extends RunOptions {
  readonly url: string;
  readonly data: TpchData;
  readonly timeoutMs: number;
  /** The DDL form; 'mysql' (InnoDB) for MariaDB and 'singlestore' for other servers by default. */
  readonly ddl?: Exclude<DdlDialect, 'duckdb'>;
  /** Name shown in reports; the URL by default. */
  readonly target?: string;
  /** Drop and reload the tables even when they already hold the expected row counts. */
  readonly reload?: boolean;
}

class QueryTimeout extends Error {}

const killGraceMs = 10_000;
const slowQueryMs = 10_000;
/** MariaDB's ER_STATEMENT_TIMEOUT and MySQL's ER_QUERY_TIMEOUT / ER_QUERY_INTERRUPTED. */
const timeoutErrnos = new Set([1969, 3024, 1317]);

async function tablesLoaded(connection: Connection, data: TpchData): Promise<boolean> {
  try {
    for (const name of tableNames) {
      const [rows] = await connection.query(`select count(*) as n from ${name}`);
      if (Number((rows as { n: unknown }[])[0]?.n) !== data.rowCounts[name]) return false;
    }
    return true;
  } catch {
    return false;
  }
}

async function load(
  connection: Connection,
  data: TpchData,
  ddl: Exclude<DdlDialect, 'duckdb'>,
): Promise<void> {
  for (const name of [...tableNames].reverse())
    await connection.query(`drop table if exists ${name}`);
  for (const statement of tpchDdl(ddl)) await connection.query(statement);
  for (const name of tableNames)
    await connection.query({
      sql:
        `load data local infile '${data.files[name]}' into table ${name} ` +
        `fields terminated by '|' lines terminated by '\\n'`,
    });
  // Fresh statistics help MariaDB's optimiser; a server without ANALYZE TABLE just skips it.
  for (const name of tableNames)
    await connection.query(`analyze table ${name}`).catch(() => undefined);
}

function resultOf(rows: unknown, fields: FieldPacket[]): ResultSet {
  const names = fields.map((field) => field.name);
  return {
    columns: names,
    rows: rows as Cell[][],
  };
}

export function runMysql(options: MysqlRunOptions): Promise<TargetReport> {
  return runOpened(openMysql(options), options.data.sf, options);
}

/** The server with the tables loaded (or found loaded), ready to run queries. */
export async function openMysql(options: MysqlRunOptions): Promise<TargetSession> {
  const database = `tpch_sf${String(options.data.sf).replace('.', '_')}`;
  const admin = await connect(options.url);
  let connection: Connection | undefined;
  let loadMs: number;
  let flavor: Awaited<ReturnType<typeof serverFlavor>>;
  try {
    flavor = await serverFlavor(admin);
    await admin.query(`create database if not exists ${database}`);
    connection = await connect(options.url, database);
    const loadStarted = performance.now();
    if (options.reload || !(await tablesLoaded(connection, options.data)))
      await load(
        connection,
        options.data,
        options.ddl ?? (flavor === 'mariadb' ? 'mysql' : 'singlestore'),
      );
    loadMs = performance.now() - loadStarted;
  } catch (error) {
    connection?.destroy();
    await admin.end();
    throw error;
  }
  let current: Connection = connection;

  const runOnce = async (sql: string): Promise<ResultSet> => {
    const text =
      flavor === 'mariadb'
        ? `set statement max_statement_time=${options.timeoutMs / 1000} for ${sql}`
        : sql;
    const used = current;
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        void connect(options.url)
          .then(async (killer) => {
            await killer.query(`kill query ${used.threadId}`).catch(() => undefined);
            await killer.end();
          })
          .catch(() => undefined);
        setTimeout(() => used.destroy(), killGraceMs).unref();
      },
      options.timeoutMs + (flavor === 'mariadb' ? killGraceMs : 0),
    );
    try {
      const [rows, fields] = await used.query({ sql: text, rowsAsArray: true });
      return resultOf(rows, fields);
    } catch (error) {
      const errno = (error as { errno?: number }).errno;
      if (timedOut || (errno !== undefined && timeoutErrnos.has(errno))) throw new QueryTimeout();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    target: options.target ?? options.url,
    loadMs,
    run: async (query) => {
      try {
        const warmStarted = performance.now();
        let result = await runOnce(query.sql);
        const warmMs = performance.now() - warmStarted;
        // A query that runs for longer than slowQueryMs is timed by its first run alone: caches
        // matter little at that length, and repeating it would multiply the benchmark's time.
        let bestMs = warmMs >= slowQueryMs ? warmMs : Number.POSITIVE_INFINITY;
        for (let run = 0; run < options.runs && warmMs < slowQueryMs; run += 1) {
          const started = performance.now();
          result = await runOnce(query.sql);
          bestMs = Math.min(bestMs, performance.now() - started);
        }
        return { number: query.number, status: 'ok', bestMs, result };
      } catch (error) {
        // A killed or failed query may leave the connection unusable: start a fresh one.
        current.destroy();
        current = await connect(options.url, database);
        return error instanceof QueryTimeout
          ? { number: query.number, status: 'timeout' }
          : { number: query.number, status: 'error', error: (error as Error).message };
      }
    },
    close: async () => {
      current.destroy();
      await admin.end();
    },
  };
}
