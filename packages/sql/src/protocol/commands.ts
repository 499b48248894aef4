/**
 * Command Phase dispatch: one handler per command byte ("Text Protocol", "Utility Commands",
 * "Prepared Statements"). Every handler answers exactly once (or not at all for COM_QUIT,
 * COM_STMT_CLOSE and COM_STMT_SEND_LONG_DATA); failures become one ERR packet.
 */
import { sqlError } from '../errors.js';
import type { BackendSession, QueryResult } from './backend.js';
import { accessDenied, negotiatePlugin, verifyAuthResponse } from './authentication.js';
import {
  CACHING_SHA2_PLUGIN,
  fastAuthSuccessPacket,
  parseChangeUser,
} from './handshake-packets.js';
import type { MysqlConnection } from './connection.js';
import { Capability, Command } from './constants.js';
import { sendFieldList } from './field-list.js';
import { runLocalInfile } from './local-infile.js';
import { runStatementsInTurn } from './multi-statement.js';
import { decodeUtf8, MalformedPacketError, PayloadReader } from './payload-reader.js';
import { decodeSqlText } from '../raw-bytes.js';
import { PayloadWriter } from './payload-writer.js';
import { sendEnd, sendError, sendOk, sendResultSet } from './result-sender.js';

function requireSession(connection: MysqlConnection): BackendSession {
  const session = connection.session;
  if (session === undefined) throw sqlError('INTERNAL', 'The connection has no session');
  return session;
}

/** Sends one result; false when it ended in an ERR (which stops a multi-result sequence). */
export async function sendResult(
  connection: MysqlConnection,
  result: QueryResult,
  options: { binary: boolean; more: boolean },
): Promise<boolean> {
  switch (result.kind) {
    case 'rows':
      await sendResultSet(connection, result, options);
      return true;
    case 'ok':
      sendOk(connection, result, options.more);
      return true;
    case 'local-infile':
      try {
        sendOk(connection, await runLocalInfile(connection, result), options.more);
        return true;
      } catch (error) {
        sendError(connection, error);
        return false;
      }
  }
}

/** COM_QUERY: each statement's result; SERVER_MORE_RESULTS_EXISTS on all but the last. */
async function query(connection: MysqlConnection, payload: Uint8Array): Promise<void> {
  const session = requireSession(connection);
  const sql = decodeSqlText(payload.subarray(1));
  if (
    connection.multiStatements &&
    (await runStatementsInTurn(session, sql, (result, more) =>
      sendResult(connection, result, { binary: false, more }),
    ))
  )
    return;
  const results = await session.query(sql, { multiStatements: connection.multiStatements });
  if (results.length === 0) {
    sendOk(connection);
    return;
  }
  for (let index = 0; index < results.length; index += 1) {
    const more = index < results.length - 1;
    if (!(await sendResult(connection, results[index]!, { binary: false, more }))) return;
  }
}

async function execute(connection: MysqlConnection, payload: Uint8Array): Promise<void> {
  const result = await connection.statements.execute(payload);
  await sendResult(connection, result, { binary: true, more: false });
}

/** COM_SET_OPTION: MYSQL_OPTION_MULTI_STATEMENTS_ON (0) / _OFF (1); answered with EOF. */
function setOption(connection: MysqlConnection, payload: Uint8Array): void {
  const option = new PayloadReader(payload, 1).uint16('option');
  if (option !== 0 && option !== 1) throw sqlError('UNKNOWN_COM', 'Unknown command');
  connection.multiStatements = option === 0;
  if (option === 0) connection.capabilities |= Capability.MULTI_STATEMENTS;
  else connection.capabilities &= ~Capability.MULTI_STATEMENTS;
  sendEnd(connection);
}

/** COM_REFRESH's flags and the FLUSH each one is (others flush tables). */
const REFRESH_FLAGS: readonly (readonly [number, string])[] = [
  [0x01, 'PRIVILEGES'],
  [0x02, 'LOGS'],
  [0x04, 'TABLES'],
  [0x10, 'STATUS'],
];

/** COM_REFRESH (`mariadb-dump --flush-logs`, `mariadb-admin flush-…`): the same as FLUSH. */
async function refresh(connection: MysqlConnection, payload: Uint8Array): Promise<void> {
  const flags = payload[1] ?? 0;
  const what = REFRESH_FLAGS.filter(([flag]) => (flags & flag) !== 0).map(([, name]) => name);
  const session = requireSession(connection);
  const flush = `FLUSH ${what.length > 0 ? what.join(', ') : 'TABLES'}`;
  await session.query(flush, { multiStatements: false });
  sendOk(connection);
}

/** COM_PROCESS_KILL: the same as `KILL <id>`. */
async function processKill(connection: MysqlConnection, payload: Uint8Array): Promise<void> {
  const id = new PayloadReader(payload, 1).uint32('connection id');
  const results = await requireSession(connection).query(`KILL ${id}`, { multiStatements: false });
  const first = results[0];
  if (first === undefined) sendOk(connection);
  else await sendResult(connection, first, { binary: false, more: false });
}

/** COM_CHANGE_USER: authenticates again with the connection's nonce, then a fresh session. */
async function changeUser(connection: MysqlConnection, payload: Uint8Array): Promise<boolean> {
  const request = parseChangeUser(payload, connection.capabilities);
  const negotiated = await negotiatePlugin({
    channel: connection.channel,
    nonce: connection.nonce,
    advertisedPlugin: connection.options.authPlugin,
    clientPlugin: request.authPlugin,
    response: request.authResponse,
    capabilities: connection.capabilities,
  });
  if (negotiated === undefined) return false;
  const account = connection.options.backend.lookupAccount(request.user, connection.remoteAddress);
  if (
    !verifyAuthResponse({
      plugin: negotiated.plugin,
      nonce: connection.nonce,
      account,
      response: negotiated.response,
    })
  ) {
    return connection.refuse(
      accessDenied(request.user, connection.remoteAddress, negotiated.response.length > 0),
    );
  }
  if (negotiated.plugin === CACHING_SHA2_PLUGIN && negotiated.response.length > 0) {
    connection.channel.write(fastAuthSuccessPacket());
  }
  try {
    await connection.reopenSession(request.user, request.database);
  } catch (error) {
    return connection.refuse(error);
  }
  sendOk(connection);
  return true;
}

/** Commands the client expects no answer to: a failure is logged, never sent. */
function unanswered(connection: MysqlConnection, run: () => void): void {
  try {
    run();
  } catch (error) {
    connection.log('mysql.unanswered_command_failed', { error: String(error) });
  }
}

/** Runs one command; false when the connection should end. Never rejects. */
export async function dispatchCommand(
  connection: MysqlConnection,
  payload: Uint8Array,
): Promise<boolean> {
  const command = payload[0];
  try {
    switch (command) {
      case Command.QUIT:
        return false;
      case Command.QUERY:
        await query(connection, payload);
        return true;
      case Command.INIT_DB:
        await requireSession(connection).useDatabase(decodeUtf8(payload.subarray(1)));
        sendOk(connection);
        return true;
      case Command.PING:
        sendOk(connection);
        return true;
      case Command.REFRESH:
        await refresh(connection, payload);
        return true;
      case Command.STATISTICS:
        connection.channel.write(
          new PayloadWriter(128).text(connection.options.statistics()).finish(),
        );
        return true;
      case Command.FIELD_LIST:
        await sendFieldList(connection, requireSession(connection), payload);
        return true;
      case Command.PROCESS_KILL:
        await processKill(connection, payload);
        return true;
      case Command.STMT_PREPARE:
        await connection.statements.prepare(connection, requireSession(connection), payload);
        return true;
      case Command.STMT_EXECUTE:
        await execute(connection, payload);
        return true;
      case Command.STMT_SEND_LONG_DATA:
        unanswered(connection, () => connection.statements.sendLongData(payload));
        return true;
      case Command.STMT_CLOSE:
        unanswered(connection, () => connection.statements.close(payload));
        return true;
      case Command.STMT_RESET:
        connection.statements.reset(payload);
        sendOk(connection);
        return true;
      case Command.SET_OPTION:
        setOption(connection, payload);
        return true;
      case Command.RESET_CONNECTION:
        await connection.reopenSession(connection.user, connection.session?.database);
        sendOk(connection);
        return true;
      case Command.CHANGE_USER:
        return await changeUser(connection, payload);
      default:
        throw sqlError('UNKNOWN_COM', 'Unknown command');
    }
  } catch (error) {
    if (error instanceof MalformedPacketError) {
      sendError(connection, sqlError('MALFORMED_PACKET', error.message));
    } else {
      sendError(connection, error);
    }
    // A failed COM_RESET_CONNECTION leaves no session to continue with.
    return connection.session !== undefined;
  }
}
