/** Prepare-log payloads: a transaction's write set, and its outcome. */
import type { Engine, PartitionRef } from '../leaf/api.js';
import type { SqlValue } from '../values.js';
import { BinaryError, BinaryReader, BinaryWriter } from './binary.js';
import type { RowsInput } from './exec-types.js';
import { readValues, writeValues } from './value-codec.js';

export type WriteRecord =
  | {
      readonly kind: 'exec';
      readonly partition: PartitionRef;
      readonly engine: Engine;
      readonly sql: string;
      readonly params: readonly SqlValue[];
    }
  | {
      /** A bulk load chunk: `sql` reads `file` (see `load-files.ts`). */
      readonly kind: 'load';
      readonly partition: PartitionRef;
      readonly engine: Engine;
      readonly sql: string;
      readonly file: string;
    }
  | ({
      readonly kind: 'insert';
      readonly partition: PartitionRef;
      readonly engine: Engine;
    } & RowsInput);

/**
 * `prepare` holds a write set whose outcome an aggregator decides; `decided` one this leaf
 * decided to commit by itself (every part of the transaction is on this leaf), which recovery
 * commits without asking anyone.
 */
export type LogRecord =
  | {
      readonly kind: 'prepare' | 'decided';
      readonly txn: string;
      readonly writes: readonly WriteRecord[];
    }
  | { readonly kind: 'committed' | 'rolledBack'; readonly txn: string };

const KINDS = ['prepare', 'committed', 'rolledBack', 'decided'] as const;
const CONFLICT_MODES = ['error', 'ignore', 'replace'] as const;

export function encodeLogRecord(record: LogRecord): Buffer {
  const writer = new BinaryWriter();
  writer.u8(KINDS.indexOf(record.kind));
  writer.string(record.txn);
  if (record.kind === 'prepare' || record.kind === 'decided') {
    writer.u32(record.writes.length);
    for (const write of record.writes) {
      writer.string(write.partition.database);
      writer.i32(write.partition.ordinal);
      writer.u8(write.engine === 'row' ? 0 : 1);
      if (write.kind === 'exec') {
        writer.u8(0);
        writer.string(write.sql);
        writeValues(writer, write.params);
      } else if (write.kind === 'load') {
        writer.u8(2);
        writer.string(write.sql);
        writer.string(write.file);
      } else {
        writer.u8(1);
        writer.string(write.table);
        writer.u32(write.columns.length);
        for (const column of write.columns) writer.string(column);
        writer.u8(CONFLICT_MODES.indexOf(write.onConflict));
        writer.u32(write.rows.length);
        for (const row of write.rows) writeValues(writer, row);
      }
    }
  }
  return Buffer.from(writer.view());
}

export function decodeLogRecord(payload: Buffer): LogRecord {
  const reader = new BinaryReader(payload);
  const kind = KINDS[reader.u8()];
  if (kind === undefined) throw new BinaryError('Unknown log record');
  const txn = reader.string();
  if (kind !== 'prepare' && kind !== 'decided') return { kind, txn };
  const count = reader.count(10);
  const writes: WriteRecord[] = [];
  for (let index = 0; index < count; index++) {
    const partition = { database: reader.string(), ordinal: reader.i32() };
    const engine: Engine = reader.u8() === 0 ? 'row' : 'column';
    const writeKind = reader.u8();
    if (writeKind === 2) {
      writes.push({ kind: 'load', partition, engine, sql: reader.string(), file: reader.string() });
    } else if (writeKind === 0) {
      writes.push({
        kind: 'exec',
        partition,
        engine,
        sql: reader.string(),
        params: readValues(reader),
      });
    } else {
      const table = reader.string();
      const columnCount = reader.count(4);
      const columns: string[] = [];
      for (let column = 0; column < columnCount; column++) columns.push(reader.string());
      const onConflict = CONFLICT_MODES[reader.u8()] ?? 'error';
      const rowCount = reader.count(4);
      const rows: SqlValue[][] = [];
      for (let row = 0; row < rowCount; row++) rows.push(readValues(reader));
      writes.push({ kind: 'insert', partition, engine, table, columns, rows, onConflict });
    }
  }
  return { kind, txn, writes };
}
