/**
 * What the MySQL protocol layer needs from the database behind it. The protocol layer owns
 * bytes (packets, handshake, result-set encoding); the backend owns meaning (users, SQL).
 * Any error a backend method throws should be a `SqlError`; anything else is reported to
 * the client as ER_INTERNAL (1815) and the connection stays open.
 */
import type { ColumnMeta, SqlValue } from '../values.js';
import type { TlsSessionInfo } from './tls.js';
import type { ResultCharset } from './result-charset.js';

/** Stored credentials of one account. Hashes only, never the password. */
export interface AccountCredentials {
  /** SHA1(SHA1(password)) for mysql_native_password; empty for an account without password. */
  readonly nativeHash: Uint8Array;
  /** SHA256(SHA256(password)) for caching_sha2_password fast authentication; empty without password. */
  readonly sha2Hash: Uint8Array;
}

export interface ConnectionInfo {
  readonly connectionId: number;
  readonly user: string;
  readonly remoteAddress: string;
  /** The database named in the handshake, if any. */
  readonly database: string | undefined;
  /** The TLS session (Ssl_version, Ssl_cipher); absent on a plain connection. */
  readonly tls?: TlsSessionInfo;
  /** The client sent CLIENT_INTERACTIVE (its idle timeout is interactive_timeout). */
  readonly interactive?: boolean;
  /** The collation id of the handshake response: the client's character set. */
  readonly collation?: number;
  /** The client sent CLIENT_FOUND_ROWS: an UPDATE's affected rows (and ROW_COUNT()) are matched. */
  readonly foundRows?: boolean;
  /**
   * Ends the connection from the server side (KILL CONNECTION): at once, sending nothing, or
   * after the answer of the command running now when `afterAnswer` (a session killing itself).
   */
  readonly disconnect?: (afterAnswer: boolean) => void;
}

export interface ResultRows {
  readonly kind: 'rows';
  readonly columns: readonly ColumnMeta[];
  readonly rows: readonly (readonly SqlValue[])[];
  readonly warnings?: number;
}

export interface ResultOk {
  readonly kind: 'ok';
  readonly affectedRows: number;
  readonly lastInsertId: number | bigint;
  readonly warnings?: number;
  /** Human-readable info ("Records: 3  Duplicates: 0  Warnings: 0"). */
  readonly info?: string;
  /**
   * The answer for a client without CLIENT_FOUND_ROWS, when it differs: UPDATE counts the rows
   * changed rather than matched, an upsert counts a row left as it was as 0 and not as a
   * duplicate.
   */
  readonly changed?: { readonly affectedRows: number; readonly info?: string };
}

/**
 * LOAD DATA LOCAL INFILE: the backend returns this to ask the client for a file; the protocol
 * layer requests it and hands the bytes (streamed in chunks) to `receive`, then returns the
 * result `receive` resolves to.
 */
export interface ResultLocalInfile {
  readonly kind: 'local-infile';
  readonly fileName: string;
  readonly receive: (chunks: AsyncIterable<Uint8Array>) => Promise<ResultOk>;
}

export type QueryResult = ResultRows | ResultOk | ResultLocalInfile;

export interface PreparedInfo {
  /** Number of `?` placeholders. */
  readonly paramCount: number;
  /** Columns of the result, when known at prepare time (empty when the statement returns none). */
  readonly columns: readonly ColumnMeta[];
}

/** One client connection's state on the backend side (current database, transaction, ...). */
export interface BackendSession {
  /** The current database (for status flags and SELECT DATABASE()). */
  readonly database: string | undefined;
  /** True while an explicit transaction is open (SERVER_STATUS_IN_TRANS). */
  readonly inTransaction: boolean;
  /** True when autocommit is on (SERVER_STATUS_AUTOCOMMIT). */
  readonly autocommit: boolean;
  /** character_set_results, as result column definitions show it (utf8mb4 when absent). */
  readonly resultCharset?: ResultCharset;
  /**
   * How long the connection may stay idle between commands (wait_timeout) before the server
   * closes it; 0 or undefined for no limit.
   */
  readonly idleTimeoutMs?: number;
  /**
   * Runs one COM_QUERY text. It may hold several statements separated by `;` when the client
   * enabled CLIENT_MULTI_STATEMENTS; the backend splits them and returns one result each.
   */
  query(sql: string, options: { multiStatements: boolean }): Promise<QueryResult[]>;
  /** COM_INIT_DB. */
  useDatabase(name: string): Promise<void>;
  /** COM_STMT_PREPARE: the protocol layer assigns statement ids; the backend parses once. */
  prepare(sql: string): Promise<PreparedStatement>;
  /** Interrupts the running statement: the client connection ended. */
  cancel(): void;
  close(): Promise<void>;
}

export interface PreparedStatement extends PreparedInfo {
  /** `types`: the type each value was sent with (COM_STMT_EXECUTE), which MariaDB types `?` by. */
  execute(
    params: readonly SqlValue[],
    types?: readonly { readonly type: number; readonly unsigned: boolean }[],
  ): Promise<QueryResult>;
  /** `byClient`: COM_STMT_CLOSE (false: the connection ended or was reset). */
  close(byClient?: boolean): void;
  /** COM_STMT_RESET (the long data it clears is the protocol layer's). */
  reset?(): void;
}

export interface SqlBackend {
  /** Looks up an account by user name and client address; undefined when none matches. */
  lookupAccount(user: string, remoteAddress: string): AccountCredentials | undefined;
  /** Called after authentication succeeded; throws SqlError (e.g. 1049 unknown database). */
  openSession(info: ConnectionInfo): Promise<BackendSession>;
  readonly serverVersion: string;
  /** Statements clients sent since start (COM_STATISTICS' Questions); 0 when absent. */
  questions?(): number;
}
