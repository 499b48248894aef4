// Connecting to a MySQL-protocol server named by a mysql:// URL, with the options the benchmarks
// rely on: dates as text, BIGINT and DECIMAL as exact text, LOAD DATA LOCAL from files.
import { createReadStream } from 'node:fs';
import { createConnection, type Connection, type ConnectionOptions } from 'mysql2/promise';

/** Options for mysql2 from "mysql://user:password@host:port/database". */
export function connectionOptions(url: string, database?: string): ConnectionOptions {
  const parsed = new URL(url);
  if (parsed.protocol !== 'mysql:') throw new Error(`expected a mysql:// URL, got ${url}`);
  const name = database ?? decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || 'root'),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(name ? { database: name } : {}),
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    connectTimeout: 20_000,
    // LOAD DATA LOCAL INFILE reads the named file through this factory; the benchmarks only name
    // the generated .tbl files.
    infileStreamFactory: (path: string) => createReadStream(path, { highWaterMark: 1 << 20 }),
  };
}

export function connect(url: string, database?: string): Promise<Connection> {
  return createConnection(connectionOptions(url, database));
}

/** "mariadb" when the server says it is MariaDB, "mysql" otherwise (Exosphere, MySQL, SingleStore). */
export async function serverFlavor(connection: Connection): Promise<'mariadb' | 'mysql'> {
  const [rows] = await connection.query('select version() as version');
  const version = (rows as { version?: string }[])[0]?.version ?? '';
  return version.toLowerCase().includes('mariadb') ? 'mariadb' : 'mysql';
}
