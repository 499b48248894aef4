/** Helpers shared by the differential tests that compare plans on 1 and 16 partitions. */
import type { FieldPacket } from 'mysql2/promise';

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
