/**
 * Small helpers shared by the SQL tests that compare answers with MariaDB's: a statement's
 * refusal as [errno, message], and the connection arguments of the Debian MariaDB tools.
 */
import type { Connection } from 'mysql2/promise';

/** The errno and message a statement is refused with; [undefined, undefined] when it runs. */
export async function refusalOf(db: Connection, sql: string): Promise<[unknown, unknown]> {
  try {
    await db.query(sql);
  } catch (error) {
    const { errno, message } = error as { errno: unknown; message: unknown };
    return [errno, message];
  }
  return [undefined, undefined];
}

/** `-h 127.0.0.1 -P <port> -u root` for mariadb, mariadb-admin, mariadb-slap and the rest. */
export function toolArgs(port: number): string[] {
  return ['-h', '127.0.0.1', '-P', String(port), '-u', 'root'];
}
