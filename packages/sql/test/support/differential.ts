/** Helpers shared by the differential tests that compare plans on 1 and 16 partitions. */
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
