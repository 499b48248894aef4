// The floor under the OLTP figures: a MySQL-protocol server that runs no SQL. It is the data
// plane's own protocol layer (`@exosphere/sql/protocol`) in its own `node` process, with a
// backend that answers the OLTP statements with a fixed row or a fixed OK packet. What Node,
// loopback TCP and the protocol layer cost per statement, side by side with the real servers:
//   node bench/dist/sql/oltp-main.js --targets floor,exosphere,mariadb
// Run alone (`node bench/dist/sql/floor.js`) it prints "listening on mysql://root@host:port/".
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  startMysqlServer,
  type BackendSession,
  type PreparedStatement,
  type QueryResult,
  type SqlBackend,
} from '@exosphere/sql/protocol';

type Columns = PreparedStatement['columns'];

const origin = { database: 'exo_oltp', table: 'kv', orgTable: 'kv' } as const;
const kvColumns: Columns = [
  { name: 'id', type: 'bigint', nullable: false, primaryKey: true, ...origin, orgName: 'id' },
  { name: 'k', type: 'int', nullable: false, ...origin, orgName: 'k' },
  { name: 'v', type: 'varchar', length: 100, ...origin, orgName: 'v' },
  { name: 'n', type: 'int', ...origin, orgName: 'n' },
];
const ok: QueryResult = { kind: 'ok', affectedRows: 0, lastInsertId: 0 };
/** An upsert that found its row: MySQL counts it as 2. */
const updated: QueryResult = { kind: 'ok', affectedRows: 2, lastInsertId: 0 };

function isSelect(sql: string): boolean {
  return /^\s*select\b/i.test(sql);
}

/** The statement the benchmark sends, answered without looking at anything. */
function prepare(sql: string): PreparedStatement {
  const select = isSelect(sql);
  const columns = select ? kvColumns : [];
  return {
    paramCount: sql.split('?').length - 1,
    columns,
    execute: (params) =>
      Promise.resolve(
        select ? { kind: 'rows', columns, rows: [[params[0] ?? 1, 1, 'value-1-x', 1]] } : updated,
      ),
    close: () => undefined,
  };
}

function openSession(): BackendSession {
  let database: string | undefined;
  return {
    get database() {
      return database;
    },
    inTransaction: false,
    autocommit: true,
    query: (sql) => {
      const version = /^\s*select\s+version\(\)/i.exec(sql);
      if (version !== null) {
        const columns: Columns = [{ name: 'version', type: 'varchar', length: 64 }];
        return Promise.resolve([{ kind: 'rows', columns, rows: [['8.0.0-floor']] }]);
      }
      const use = /^\s*use\s+(\w+)/i.exec(sql);
      if (use !== null) database = use[1];
      const row: QueryResult = { kind: 'rows', columns: kvColumns, rows: [[1, 1, 'value-1-x', 1]] };
      return Promise.resolve([isSelect(sql) ? row : ok]);
    },
    useDatabase: (name) => {
      database = name;
      return Promise.resolve();
    },
    prepare: (sql) => Promise.resolve(prepare(sql)),
    cancel: () => undefined,
    close: () => Promise.resolve(),
  };
}

const backend: SqlBackend = {
  serverVersion: '8.0.0-floor',
  lookupAccount: (user) =>
    user === 'root' ? { nativeHash: new Uint8Array(), sha2Hash: new Uint8Array() } : undefined,
  openSession: (info) => {
    const session = openSession();
    if (info.database !== undefined) void session.useDatabase(info.database);
    return Promise.resolve(session);
  },
};

export interface FloorHandle {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the floor server in its own process, as the aggregator runs in its own. */
export async function startFloor(): Promise<FloorHandle> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const match = /listening on (mysql:\/\/\S+)/.exec(line);
      if (match !== null) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`floor server exited with ${String(code)}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startMysqlServer({ backend, port: 0 });
  console.log(`listening on mysql://root@127.0.0.1:${server.port}/`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
