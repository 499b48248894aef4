/**
 * A throwaway MariaDB server for regenerating golden expectations (EXO_GOLDEN_REGENERATE=1).
 * Never used by the ordinary test run.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import mysql from 'mysql2/promise';
import { cellText } from './slt.js';

export interface MariaDb {
  query(sql: string): Promise<{ rows: string[]; types: string }>;
  close(): Promise<void>;
}

// MySQL protocol column types (Protocol::ColumnType) grouped into the golden type letters.
function letter(type: number): string {
  if ([1, 2, 3, 8, 9, 13, 16].includes(type)) return 'I';
  if ([0, 246].includes(type)) return 'D';
  if ([4, 5].includes(type)) return 'F';
  if ([10, 14].includes(type)) return 'A';
  if ([7, 12].includes(type)) return 'S';
  if (type === 11) return 'M';
  return 'T';
}

export async function startMariaDb(): Promise<MariaDb> {
  const dir = mkdtempSync(join(tmpdir(), 'exo-golden-mariadb-'));
  execFileSync('mariadb-install-db', ['--no-defaults', `--datadir=${dir}/data`], {
    stdio: 'ignore',
  });
  const socket = join(dir, 's');
  const server: ChildProcess = spawn(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${dir}/data`,
      `--socket=${socket}`,
      '--skip-networking',
      '--skip-grant-tables',
      '--user=root',
    ],
    { stdio: 'ignore' },
  );
  for (let attempt = 0; attempt < 100 && !existsSync(socket); attempt += 1) await delay(100);
  const connection = await mysql.createConnection({
    socketPath: socket,
    user: 'root',
    multipleStatements: false,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
  });
  await connection.query('CREATE DATABASE golden');
  await connection.query('USE golden');
  await connection.query("SET time_zone = '+00:00'");
  return {
    async query(sql) {
      const [rows, fields] = await connection.query({
        sql,
        rowsAsArray: true,
        typeCast: (field) => field.string(),
      });
      const list = Array.isArray(rows) ? (rows as unknown[][]) : [];
      const types = (fields ?? []).map((f) => letter(f.columnType ?? 253)).join('');
      return {
        rows: list.map((r) =>
          r
            .map((v) => cellText(v === null ? null : typeof v === 'string' ? v : JSON.stringify(v)))
            .join('\t'),
        ),
        types,
      };
    },
    async close() {
      await connection.end();
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
