/**
 * COM_QUERY with several statements (CLIENT_MULTI_STATEMENTS, "Multi-Resultset" in the
 * protocol's text-protocol chapter): each statement runs and its result is sent before the
 * next one starts, with SERVER_MORE_RESULTS_EXISTS on all but the last. When statement k
 * fails, the client has already received the results of statements 1..k-1 and then gets the
 * ERR packet, which ends the sequence, as MySQL does.
 */
import { splitStatements } from '../parser/split.js';
import type { BackendSession, QueryResult } from './backend.js';

/** Sends one result; false when it ended in an ERR packet. */
export type ResultSender = (result: QueryResult, more: boolean) => Promise<boolean>;

/**
 * Runs a multi-statement text one statement at a time. Returns false when it does not apply
 * (a single statement, or multi-statements off), so the caller runs the text whole.
 */
export async function runStatementsInTurn(
  session: BackendSession,
  sql: string,
  send: ResultSender,
): Promise<boolean> {
  const statements = splitStatements(sql);
  if (statements.length < 2) return false;
  for (let index = 0; index < statements.length; index += 1) {
    const results = await session.query(statements[index] ?? '', { multiStatements: false });
    const last = index === statements.length - 1;
    for (let position = 0; position < results.length; position += 1) {
      const more = !last || position < results.length - 1;
      if (!(await send(results[position] as QueryResult, more))) return true;
    }
  }
  return true;
}
