/**
 * Prepared statements of one connection ("Prepared Statements": COM_STMT_PREPARE,
 * COM_STMT_EXECUTE, COM_STMT_SEND_LONG_DATA, COM_STMT_RESET, COM_STMT_CLOSE).
 * Statement ids are per connection and start at 1.
 */
import { sqlError } from '../errors.js';
import type { BackendSession, PreparedStatement, QueryResult } from './backend.js';
import { columnDefinitionPacket, parameterDefinitionPacket } from './column-definition.js';
import { parseExecute, readStatementId, type ParameterType } from './execute-params.js';
import { PayloadReader } from './payload-reader.js';
import { decodeSqlText } from '../raw-bytes.js';
import { PayloadWriter } from './payload-writer.js';
import { sendDefinitionsEnd, type ResponseContext } from './result-sender.js';

/** max_prepared_stmt_count per connection (MySQL's default is 16382 per server). */
export const STATEMENTS_PER_CONNECTION_MAX = 16382;

interface StatementEntry {
  readonly statement: PreparedStatement;
  previousTypes: readonly ParameterType[] | undefined;
  readonly longData: Map<number, Uint8Array[]>;
  longDataBytes: number;
  /** Set when long data exceeded max_allowed_packet; the next execute fails. */
  longDataOverflow: boolean;
}

/** A backend failing to close a statement must not stop the connection. */
function closeQuietly(statement: PreparedStatement, byClient: boolean): void {
  try {
    statement.close(byClient);
  } catch {
    // The statement is forgotten either way.
  }
}

export class StatementRegistry {
  private readonly entries = new Map<number, StatementEntry>();
  private nextId = 1;
  private readonly longDataBytesMax: number;

  constructor(options: { longDataBytesMax: number }) {
    this.longDataBytesMax = options.longDataBytesMax;
  }

  get size(): number {
    return this.entries.size;
  }

  /** COM_STMT_PREPARE → COM_STMT_PREPARE_OK, parameter and column definitions. */
  async prepare(
    context: ResponseContext,
    session: BackendSession,
    payload: Uint8Array,
  ): Promise<void> {
    if (this.entries.size >= STATEMENTS_PER_CONNECTION_MAX) {
      throw sqlError(
        'MAX_PREPARED_STMT_COUNT_REACHED',
        `Can't create more than max_prepared_stmt_count statements (current value: ${STATEMENTS_PER_CONNECTION_MAX})`,
      );
    }
    const sql = decodeSqlText(payload.subarray(1));
    const statement = await session.prepare(sql);
    const id = this.nextId;
    this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1;
    this.entries.set(id, {
      statement,
      previousTypes: undefined,
      longData: new Map(),
      longDataBytes: 0,
      longDataOverflow: false,
    });
    const { channel } = context;
    channel.write(
      new PayloadWriter(12)
        .uint8(0x00)
        .uint32(id)
        .uint16(statement.columns.length)
        .uint16(statement.paramCount)
        .uint8(0)
        .uint16(0)
        .finish(),
    );
    if (statement.paramCount > 0) {
      for (let index = 0; index < statement.paramCount; index += 1)
        channel.write(parameterDefinitionPacket(context.resultCharset()));
      sendDefinitionsEnd(context);
    }
    if (statement.columns.length > 0) {
      const charset = context.resultCharset();
      for (const column of statement.columns)
        channel.write(columnDefinitionPacket(column, charset));
      sendDefinitionsEnd(context);
    }
  }

  private entry(statementId: number, command: string): StatementEntry {
    const entry = this.entries.get(statementId);
    if (entry === undefined) {
      throw sqlError(
        'UNKNOWN_STMT_HANDLER',
        `Unknown prepared statement handler (${statementId}) given to ${command}`,
      );
    }
    return entry;
  }

  /** COM_STMT_EXECUTE: decodes the parameters and runs the statement; the caller sends the result. */
  async execute(payload: Uint8Array): Promise<QueryResult> {
    const entry = this.entry(readStatementId(payload), 'mysqld_stmt_execute');
    if (entry.longDataOverflow) {
      this.clearLongData(entry);
      throw sqlError(
        'WRONG_ARGUMENTS',
        "Parameter of prepared statement which is set through mysql_send_long_data() is longer than 'max_allowed_packet' bytes",
      );
    }
    const request = parseExecute(payload, {
      paramCount: entry.statement.paramCount,
      previousTypes: entry.previousTypes,
      longData: entry.longData,
    });
    entry.previousTypes = request.types;
    this.clearLongData(entry);
    return entry.statement.execute(request.params, request.types);
  }

  /**
   * COM_STMT_SEND_LONG_DATA: appends to a parameter; never answered. Errors (unknown
   * statement, too much data) surface at the next execute, as in MySQL.
   */
  sendLongData(payload: Uint8Array): void {
    const reader = new PayloadReader(payload, 1);
    const entry = this.entries.get(reader.uint32('statement id'));
    const parameter = reader.uint16('parameter id');
    if (entry === undefined || parameter >= entry.statement.paramCount) return;
    if (entry.longDataOverflow) return;
    const data = Uint8Array.from(reader.restBytes());
    entry.longDataBytes += data.length;
    if (entry.longDataBytes > this.longDataBytesMax) {
      entry.longData.clear();
      entry.longDataOverflow = true;
      return;
    }
    const chunks = entry.longData.get(parameter);
    if (chunks === undefined) entry.longData.set(parameter, [data]);
    else chunks.push(data);
  }

  private clearLongData(entry: StatementEntry): void {
    entry.longData.clear();
    entry.longDataBytes = 0;
    entry.longDataOverflow = false;
  }

  /** COM_STMT_RESET: forgets long data; answered with OK. */
  reset(payload: Uint8Array): void {
    const entry = this.entry(readStatementId(payload), 'mysqld_stmt_reset');
    this.clearLongData(entry);
    entry.statement.reset?.();
  }

  /** COM_STMT_CLOSE: never answered, even for an unknown id. */
  close(payload: Uint8Array): void {
    const id = readStatementId(payload);
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    this.entries.delete(id);
    closeQuietly(entry.statement, true);
  }

  /** Closes every statement (connection end, COM_RESET_CONNECTION, COM_CHANGE_USER). */
  closeAll(): void {
    for (const entry of this.entries.values()) closeQuietly(entry.statement, false);
    this.entries.clear();
  }
}
