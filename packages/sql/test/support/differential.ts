/** Helpers shared by the differential tests that compare plans on 1 and 16 partitions. */
import assert from 'node:assert/strict';
import type { Connection, FieldPacket, RowDataPacket } from 'mysql2/promise';

/** Orders rows by their JSON text: a stable order for comparing unordered results. */
export function byText(a: unknown, b: unknown): number {
  const left = JSON.stringify(a);
  const right = JSON.stringify(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** What a client sees of the result's columns: name, protocol type and decimals. */
export function shape(fields: readonly FieldPacket[]): unknown[] {
  return fields.map((field) => [field.name, field.columnType, field.decimals]);
}

/** A query's rows (as arrays) and the shape of its columns. */
export async function runShaped(db: Connection, sql: string): Promise<[unknown[], unknown[]]> {
  const [rows, fields] = await db.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return [rows, shape(fields)];
}

/** The EXPLAIN text of a query, one line per row. */
export async function explainText(db: Connection, sql: string): Promise<string> {
  const [rows] = (await db.query({ sql: `EXPLAIN ${sql}`, rowsAsArray: true })) as [
    unknown[][],
    FieldPacket[],
  ];
  return rows.map((row) => String(row[0])).join('\n');
}

/**
 * Runs `sql` on the databases `one` (1 partition) and `many` (16), and on `many` as
 * `WITH g AS (sql) SELECT * FROM g` (the plain gather plan): rows (in order when the query ends
 * with ORDER BY, else as sets) and column shapes must match. Leaves `many` in use.
 */
export async function assertPlansAgree(db: Connection, sql: string): Promise<void> {
  await db.query('USE one');
  const [oneRows, oneShape] = await runShaped(db, sql);
  await db.query('USE many');
  const [manyRows, manyShape] = await runShaped(db, sql);
  const [gatherRows, gatherShape] = await runShaped(db, `WITH g AS (${sql}) SELECT * FROM g`);
  const ordered = /ORDER BY/i.test(sql.slice(sql.lastIndexOf(')') + 1));
  const sort = (rows: unknown[]): unknown[] => (ordered ? rows : [...rows].sort(byText));
  assert.deepEqual(sort(manyRows), sort(oneRows));
  assert.deepEqual(sort(gatherRows), sort(manyRows));
  assert.deepEqual(manyShape, oneShape);
  assert.deepEqual(gatherShape, manyShape);
}

/**
 * The 16-partition EXPLAIN of `sql` holds `marker` (`!text`: does not hold it; `undefined`: not
 * checked), and the plain gather spelling of it none of `rewrites`.
 */
export async function assertRewrites(
  db: Connection,
  sql: string,
  marker: string | undefined,
  rewrites: readonly string[],
): Promise<void> {
  if (marker !== undefined) {
    const plan = await explainText(db, sql);
    if (marker.startsWith('!')) assert.ok(!plan.includes(marker.slice(1)), plan);
    else assert.ok(plan.includes(marker), plan);
  }
  const plain = await explainText(db, `WITH g AS (${sql}) SELECT * FROM g`);
  for (const rewritten of rewrites) assert.ok(!plain.includes(rewritten), plain);
}
