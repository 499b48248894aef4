/**
 * Waiting on another connection's statement through SHOW PROCESSLIST, for tests that KILL it:
 * a fixed pause before the KILL races the statement's start on a loaded machine.
 */
import assert from 'node:assert/strict';
import type { Connection, RowDataPacket } from 'mysql2/promise';

/** Waits until connection `id` runs a statement (SHOW PROCESSLIST says Query). */
export async function waitRunning(admin: Connection, id: number): Promise<void> {
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const [rows] = await admin.query<RowDataPacket[]>('SHOW PROCESSLIST');
    if (rows.some((row) => Number(row['Id']) === id && row['Command'] === 'Query')) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`connection ${id} never started its statement`);
}
