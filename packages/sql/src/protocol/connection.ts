/**
 * One client connection: the Connection Phase, then the Command Phase loop that reads one
 * command at a time and answers it. Nothing thrown while serving a connection escapes: errors
 * become ERR packets (the connection stays usable) or end this connection only.
 */
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { SqlError } from '../errors.js';
import type { BackendSession, SqlBackend } from './backend.js';
import { authenticate } from './authentication.js';
import { dispatchCommand } from './commands.js';
import { Capability, MariaDbCapability, ServerStatus } from './constants.js';
import type { AuthPlugin } from './handshake-packets.js';
import { PacketChannel } from './packet-channel.js';
import { sendError, sendOk, type Logger, type ResponseContext } from './result-sender.js';
import { StatementRegistry } from './statements.js';
import { UTF8MB4_RESULTS, type ResultCharset } from './result-charset.js';
import type { TlsSessionInfo } from './tls.js';

/** connect_timeout: how long a client may take to finish the handshake. */
const CONNECT_TIMEOUT_MS = 10_000;
/** The longest idle wait a timer can hold (setTimeout's limit, about 24.8 days). */
const IDLE_TIMEOUT_MS_MAX = 2_147_483_647;

export interface ConnectionOptions {
  readonly socket: Socket;
  readonly backend: SqlBackend;
  readonly connectionId: number;
  readonly maxAllowedPacketBytes: number;
  readonly authPlugin: AuthPlugin;
  readonly logger: Logger | undefined;
  /** The one-line text of COM_STATISTICS. */
  readonly statistics: () => string;
  /** The server's TLS context; undefined when the server has no certificate. */
  readonly tls: SecureContext | undefined;
  /** require_secure_transport, read at each connection. */
  readonly requireSecureTransport: () => boolean;
}

export class MysqlConnection implements ResponseContext {
  readonly channel: PacketChannel;
  readonly options: ConnectionOptions;
  readonly remoteAddress: string;
  readonly statements: StatementRegistry;
  capabilities = 0;
  /** The client asked for MariaDB's extended column metadata (`format=json`). */
  private extendedMetadata = false;
  multiStatements = false;
  user = '';
  nonce: Uint8Array = new Uint8Array();
  session: BackendSession | undefined;
  /** Set once the client switched to TLS. */
  tls: TlsSessionInfo | undefined;
  /** The collation id of the handshake (COM_CHANGE_USER sessions start from it again). */
  private collation: number | undefined;
  private commandRunning = false;
  /** Set when the session asked to close the connection once the current answer is sent. */
  private closeAfterAnswer = false;
  /** Whether the connection waits for the client's next command. */
  private waiting = false;
  /** The wait_timeout timer, re-armed each time the connection starts waiting. */
  private idle: { readonly ms: number; readonly timer: NodeJS.Timeout } | undefined;

  constructor(options: ConnectionOptions) {
    this.options = options;
    this.remoteAddress = options.socket.remoteAddress ?? 'unknown';
    this.channel = new PacketChannel(options.socket, {
      maxPayloadBytes: options.maxAllowedPacketBytes,
      onSocketError: (error) => this.log('mysql.socket_error', { error: error.message }),
    });
    this.statements = new StatementRegistry({ longDataBytesMax: options.maxAllowedPacketBytes });
    options.socket.setNoDelay(true);
    options.socket.on('error', (error) => this.log('mysql.socket_error', { error: error.message }));
    options.socket.on('close', () => {
      // A client that leaves mid-command should not keep its query running.
      if (this.commandRunning) this.cancelSession();
    });
  }

  get connectionId(): number {
    return this.options.connectionId;
  }

  resultCharset(): ResultCharset {
    const results = this.session?.resultCharset ?? UTF8MB4_RESULTS;
    return this.extendedMetadata ? { ...results, extendedMetadata: true } : results;
  }

  status(): number {
    const session = this.session;
    if (session === undefined) return ServerStatus.AUTOCOMMIT;
    return (
      (session.autocommit ? ServerStatus.AUTOCOMMIT : 0) |
      (session.inTransaction ? ServerStatus.IN_TRANS : 0)
    );
  }

  log(event: string, fields: Record<string, unknown>): void {
    try {
      this.options.logger?.(event, { connectionId: this.connectionId, ...fields });
    } catch {
      // A failing logger must not take a connection down.
    }
  }

  private cancelSession(): void {
    try {
      this.session?.cancel();
    } catch (error) {
      this.log('mysql.cancel_failed', { error: String(error) });
    }
  }

  /** Serves the connection until it ends. Never rejects. */
  async run(): Promise<void> {
    try {
      if (await this.connect()) await this.commandLoop();
    } catch (error) {
      this.log('mysql.connection_failed', {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    } finally {
      await this.cleanUp();
    }
  }

  /** Connection Phase, then the session; true when commands may follow. */
  private async connect(): Promise<boolean> {
    const { socket, backend } = this.options;
    const timer = setTimeout(() => {
      this.log('mysql.handshake_timeout', { remoteAddress: this.remoteAddress });
      this.channel.destroy();
      socket.destroy();
    }, CONNECT_TIMEOUT_MS);
    timer.unref();
    try {
      const outcome = await authenticate({
        channel: this.channel,
        backend,
        connectionId: this.connectionId,
        remoteAddress: this.remoteAddress,
        authPlugin: this.options.authPlugin,
        tls: this.options.tls,
        requireSecureTransport: this.options.requireSecureTransport,
        onTlsFailure: (error) =>
          this.log('mysql.tls_failed', {
            remoteAddress: this.remoteAddress,
            error: error.message,
          }),
      });
      if (outcome.kind === 'gone') return false;
      if (outcome.kind === 'refused') {
        this.log('mysql.auth_refused', {
          remoteAddress: this.remoteAddress,
          error: outcome.error.message,
        });
        return await this.refuse(outcome.error);
      }
      const { client } = outcome;
      this.capabilities = client.capabilities;
      this.extendedMetadata =
        (client.mariadbCapabilities & MariaDbCapability.EXTENDED_METADATA) !== 0;
      this.multiStatements = (client.capabilities & Capability.MULTI_STATEMENTS) !== 0;
      this.user = client.user;
      this.nonce = client.nonce;
      this.tls = client.tls;
      this.collation = client.collation;
      try {
        this.session = await backend.openSession({
          connectionId: this.connectionId,
          user: client.user,
          remoteAddress: this.remoteAddress,
          database: client.database,
          ...(client.tls !== undefined ? { tls: client.tls } : {}),
          interactive: (client.capabilities & Capability.INTERACTIVE) !== 0,
          foundRows: (client.capabilities & Capability.FOUND_ROWS) !== 0,
          collation: client.collation,
          disconnect: (afterAnswer) => this.disconnect(afterAnswer),
        });
      } catch (error) {
        return await this.refuse(error);
      }
      sendOk(this);
      await this.channel.flush();
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends the error and ends the connection (handshake failures are not recoverable). */
  async refuse(error: unknown): Promise<false> {
    sendError(this, error);
    await this.channel.flush();
    this.channel.end();
    return false;
  }

  private async commandLoop(): Promise<void> {
    try {
      for (;;) {
        const packet = await this.readCommand();
        this.waiting = false;
        if (packet === undefined) return;
        this.commandRunning = true;
        let keepGoing: boolean;
        try {
          keepGoing = await dispatchCommand(this, packet.payload);
        } finally {
          this.commandRunning = false;
        }
        await this.channel.flush();
        if (!keepGoing || this.closeAfterAnswer) return;
      }
    } finally {
      clearTimeout(this.idle?.timer);
      this.idle = undefined;
    }
  }

  /**
   * The next command, or undefined when the connection ended. A client idle for longer than
   * the session's wait_timeout is disconnected; MariaDB sends nothing before closing, and
   * neither does this server (the open transaction is rolled back when the session closes).
   * One timer per connection is re-armed at each wait (no timer made and cleared per
   * command); one that fires while a command runs or is answered waits again from then.
   */
  private readCommand(): ReturnType<PacketChannel['read']> {
    this.waiting = true;
    const idleMs = Math.min(this.session?.idleTimeoutMs ?? 0, IDLE_TIMEOUT_MS_MAX);
    if (this.idle?.ms === idleMs) this.idle.timer.refresh();
    else {
      clearTimeout(this.idle?.timer);
      this.idle =
        idleMs > 0 ? { ms: idleMs, timer: setTimeout(() => this.onIdle(), idleMs) } : undefined;
    }
    return this.channel.read();
  }

  private onIdle(): void {
    if (!this.waiting) {
      this.idle?.timer.refresh();
      return;
    }
    this.log('mysql.idle_timeout', { idleMs: this.idle?.ms });
    this.disconnect(false);
  }

  /**
   * Ends the connection from the server side (KILL CONNECTION, wait_timeout). `afterAnswer`
   * lets the running command's answer go out first (a session that killed itself).
   */
  disconnect(afterAnswer: boolean): void {
    if (afterAnswer && this.commandRunning) {
      this.closeAfterAnswer = true;
      return;
    }
    this.channel.destroy();
    this.options.socket.destroy();
  }

  /** Opens a backend session for this connection (COM_RESET_CONNECTION, COM_CHANGE_USER). */
  async reopenSession(user: string, database: string | undefined): Promise<void> {
    await this.closeSession();
    this.user = user;
    this.session = await this.options.backend.openSession({
      connectionId: this.connectionId,
      user,
      remoteAddress: this.remoteAddress,
      database,
      ...(this.tls !== undefined ? { tls: this.tls } : {}),
      interactive: (this.capabilities & Capability.INTERACTIVE) !== 0,
      foundRows: (this.capabilities & Capability.FOUND_ROWS) !== 0,
      ...(this.collation !== undefined ? { collation: this.collation } : {}),
      disconnect: (afterAnswer) => this.disconnect(afterAnswer),
    });
  }

  private async closeSession(): Promise<void> {
    this.statements.closeAll();
    const session = this.session;
    this.session = undefined;
    if (session === undefined) return;
    try {
      await session.close();
    } catch (error) {
      this.log('mysql.session_close_failed', {
        error: error instanceof SqlError ? error.message : String(error),
      });
    }
  }

  private async cleanUp(): Promise<void> {
    try {
      await this.closeSession();
    } finally {
      this.channel.end();
    }
  }

  /** Ends the connection from the server side (server shutdown). */
  destroy(): void {
    this.cancelSession();
    this.channel.destroy();
    this.options.socket.destroy();
  }
}
