/**
 * Sends the answer to a command: OK_Packet, ERR_Packet, or a result set
 * ("Text Resultset" / "Binary Protocol Resultset": column count, column definitions,
 * an EOF unless CLIENT_DEPRECATE_EOF, the rows, then EOF or an OK with the 0xFE header).
 */
import { SqlError, ER } from '../errors.js';
import type { ResultOk, ResultRows } from './backend.js';
import { binaryRowPacket } from './binary-row.js';
import { columnDefinitionPacket } from './column-definition.js';
import type { ResultCharset } from './result-charset.js';
import { Capability, ServerStatus } from './constants.js';
import type { PacketChannel } from './packet-channel.js';
import { PayloadWriter } from './payload-writer.js';
import { eofPacket, errPacket, okPacket } from './response-packets.js';
import { textRowPacket } from './text-row.js';

export type Logger = (event: string, fields: Record<string, unknown>) => void;

/** What sending needs from the connection. */
export interface ResponseContext {
  readonly channel: PacketChannel;
  /** The capabilities both sides agreed on. */
  readonly capabilities: number;
  /** SERVER_STATUS_AUTOCOMMIT / IN_TRANS as the backend session reports them now. */
  status(): number;
  /** The character set text columns of results are labelled with (character_set_results). */
  resultCharset(): ResultCharset;
  log(event: string, fields: Record<string, unknown>): void;
}

function statusWith(context: ResponseContext, more: boolean): number {
  return context.status() | (more ? ServerStatus.MORE_RESULTS_EXISTS : 0);
}

function deprecateEof(context: ResponseContext): boolean {
  return (context.capabilities & Capability.DEPRECATE_EOF) !== 0;
}

export function sendOk(context: ResponseContext, result?: ResultOk, more = false): void {
  // A client without CLIENT_FOUND_ROWS ("Capabilities Flags") is told the rows changed.
  const answer =
    result?.changed !== undefined && (context.capabilities & Capability.FOUND_ROWS) === 0
      ? { ...result, ...result.changed }
      : result;
  context.channel.write(
    okPacket({
      affectedRows: answer?.affectedRows ?? 0,
      lastInsertId: answer?.lastInsertId ?? 0,
      status: statusWith(context, more),
      warnings: answer?.warnings ?? 0,
      sessionTrack: (context.capabilities & Capability.SESSION_TRACK) !== 0,
      ...(answer?.info === undefined ? {} : { info: answer.info }),
    }),
  );
}

/** The end of a list of rows or definitions: EOF_Packet, or OK with 0xFE under DEPRECATE_EOF. */
export function sendEnd(
  context: ResponseContext,
  options: { more?: boolean; warnings?: number } = {},
): void {
  const status = statusWith(context, options.more === true);
  const warnings = options.warnings ?? 0;
  context.channel.write(
    deprecateEof(context)
      ? okPacket({ status, warnings, endOfRows: true })
      : eofPacket({ status, warnings }),
  );
}

/** The intermediate EOF that follows column definitions when DEPRECATE_EOF is off. */
export function sendDefinitionsEnd(context: ResponseContext): void {
  if (!deprecateEof(context)) context.channel.write(eofPacket({ status: context.status() }));
}

/** Any failure as an ERR_Packet: SqlError as is, anything else as ER_INTERNAL with the detail logged. */
export function sendError(context: ResponseContext, error: unknown): void {
  if (error instanceof SqlError) {
    context.channel.write(errPacket(error));
    return;
  }
  const [errno, sqlState] = ER.INTERNAL;
  context.log('mysql.internal_error', {
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  context.channel.write(
    errPacket({ errno, sqlState, message: 'Internal error; the server log has the details' }),
  );
}

export async function sendResultSet(
  context: ResponseContext,
  result: ResultRows,
  options: { binary: boolean; more: boolean },
): Promise<void> {
  const { channel } = context;
  const { columns, rows } = result;
  channel.write(new PayloadWriter(9).lengthEncodedInteger(columns.length).finish());
  const charset = context.resultCharset();
  for (const column of columns) channel.write(columnDefinitionPacket(column, charset));
  sendDefinitionsEnd(context);
  for (const row of rows) {
    channel.write(options.binary ? binaryRowPacket(row, columns) : textRowPacket(row, columns));
    if (channel.shouldFlush) await channel.flush();
    if (channel.isClosed) return;
  }
  sendEnd(context, {
    more: options.more,
    ...(result.warnings === undefined ? {} : { warnings: result.warnings }),
  });
}
