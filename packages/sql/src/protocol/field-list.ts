/**
 * COM_FIELD_LIST (deprecated, but the `mariadb` command-line client sends it for tab
 * completion): the column definitions of a table, each followed by its default value, then
 * EOF. The columns come from `SHOW COLUMNS` through the backend; any failure gives an empty
 * list, because clients use the answer only as a hint.
 */
import type { ColumnMeta, SqlType, SqlValue } from '../values.js';
import type { BackendSession } from './backend.js';
import { columnDefinitionPacket } from './column-definition.js';
import { decodeUtf8, PayloadReader } from './payload-reader.js';
import { PayloadWriter } from './payload-writer.js';
import { sendEnd, type ResponseContext } from './result-sender.js';

/** Columns listed at most, so a huge table cannot produce an unbounded answer. */
const FIELDS_MAX = 4096;

function text(value: SqlValue | undefined): string {
  if (value === null || value === undefined) return '';
  return value instanceof Uint8Array ? decodeUtf8(value) : String(value);
}

/** A rough SqlType from a SHOW COLUMNS `Type` such as "int(11) unsigned" or "varchar(20)". */
function typeFromText(type: string): { type: SqlType; length?: number } {
  const match = /^([a-z]+)(?:\((\d+))?/.exec(type.toLowerCase());
  const name = match?.[1] ?? '';
  const length = match?.[2] === undefined ? undefined : Number(match[2]);
  const known: Record<string, SqlType> = {
    tinyint: 'tinyint',
    smallint: 'smallint',
    int: 'int',
    integer: 'int',
    bigint: 'bigint',
    decimal: 'decimal',
    double: 'double',
    float: 'float',
    char: 'char',
    varchar: 'varchar',
    text: 'text',
    blob: 'blob',
    date: 'date',
    datetime: 'datetime',
    timestamp: 'timestamp',
    time: 'time',
    json: 'json',
  };
  const sqlType = known[name] ?? 'varchar';
  return length === undefined || (sqlType !== 'char' && sqlType !== 'varchar')
    ? { type: sqlType }
    : { type: sqlType, length };
}

function quoteIdentifier(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`';
}

async function listColumns(session: BackendSession, table: string): Promise<ColumnMeta[]> {
  try {
    const results = await session.query(`SHOW COLUMNS FROM ${quoteIdentifier(table)}`, {
      multiStatements: false,
    });
    const first = results[0];
    if (first?.kind !== 'rows') return [];
    return first.rows.slice(0, FIELDS_MAX).map((row) => ({
      name: text(row[0]),
      ...typeFromText(text(row[1])),
      table,
      orgTable: table,
      ...(session.database === undefined ? {} : { database: session.database }),
    }));
  } catch {
    return [];
  }
}

export async function sendFieldList(
  context: ResponseContext,
  session: BackendSession,
  payload: Uint8Array,
): Promise<void> {
  const reader = new PayloadReader(payload, 1);
  const table =
    reader.remaining > 0 && payload.includes(0, 1)
      ? reader.nulTerminatedString('table')
      : reader.restString();
  for (const column of await listColumns(session, table)) {
    // Each definition of a COM_FIELD_LIST answer ends with the default value (NULL here).
    const definition = columnDefinitionPacket(column, context.resultCharset());
    context.channel.write(
      new PayloadWriter(definition.length + 1).bytes(definition).uint8(0xfb).finish(),
    );
  }
  sendEnd(context);
}
