/**
 * The Connection Phase ("Connection Phase", "Authentication Method Mismatch"): initial
 * handshake, an optional SSLRequest and TLS handshake (Protocol::SSLRequest), handshake
 * response, an optional AuthSwitchRequest, scramble verification, and for
 * caching_sha2_password the fast_auth_success AuthMoreData before the final OK, or over TLS
 * the full authentication with the clear password.
 */
import type { SecureContext } from 'node:tls';
import { sqlError, type SqlError } from '../errors.js';
import type { AccountCredentials, SqlBackend } from './backend.js';
import {
  createNonce,
  verifyClearSha2Password,
  verifyNativeScramble,
  verifySha2Scramble,
} from './auth.js';
import { MARIADB_CAPABILITIES, serverCapabilities, ServerStatus, Capability } from './constants.js';
import {
  authSwitchRequestPacket,
  CACHING_SHA2_PLUGIN,
  fastAuthSuccessPacket,
  initialHandshakePacket,
  NATIVE_PASSWORD_PLUGIN,
  parseHandshakeResponse,
  performFullAuthenticationPacket,
  type AuthPlugin,
  type HandshakeResponse,
} from './handshake-packets.js';
import type { PacketChannel } from './packet-channel.js';
import type { Packet } from './packet-framing.js';
import { MalformedPacketError } from './payload-reader.js';
import { isSslRequest, tlsSessionInfo, type TlsSessionInfo } from './tls.js';

export interface AuthenticatedClient {
  readonly user: string;
  readonly database: string | undefined;
  /** Capabilities both sides support. */
  readonly capabilities: number;
  /** MariaDB extended capabilities both sides support (`MariaDbCapability`). */
  readonly mariadbCapabilities: number;
  readonly nonce: Uint8Array;
  readonly attributes: ReadonlyMap<string, string>;
  /** The collation id the client asked for in its handshake response. */
  readonly collation: number;
  /** The TLS session when the client switched to TLS; undefined on a plain connection. */
  readonly tls: TlsSessionInfo | undefined;
}

export type AuthenticationOutcome =
  | { readonly kind: 'authenticated'; readonly client: AuthenticatedClient }
  | { readonly kind: 'refused'; readonly error: SqlError }
  /** The client went away during the handshake. */
  | { readonly kind: 'gone' };

/** The address as MySQL prints it in "Access denied" (IPv4-mapped IPv6 shown as IPv4). */
export function displayAddress(remoteAddress: string): string {
  return remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
}

export function accessDenied(user: string, remoteAddress: string, usedPassword: boolean): SqlError {
  return sqlError(
    'ACCESS_DENIED',
    `Access denied for user '${user}'@'${displayAddress(remoteAddress)}' (using password: ${usedPassword ? 'YES' : 'NO'})`,
  );
}

function isKnownPlugin(name: string): name is AuthPlugin {
  return name === NATIVE_PASSWORD_PLUGIN || name === CACHING_SHA2_PLUGIN;
}

/** Whether the response proves the password for the plugin that produced it. */
export function verifyAuthResponse(options: {
  plugin: AuthPlugin;
  nonce: Uint8Array;
  account: AccountCredentials | undefined;
  response: Uint8Array;
}): boolean {
  const { plugin, nonce, account, response } = options;
  if (account === undefined) return false;
  return plugin === CACHING_SHA2_PLUGIN
    ? verifySha2Scramble({ nonce, storedHash: account.sha2Hash, response })
    : verifyNativeScramble({ nonce, storedHash: account.nativeHash, response });
}

/**
 * Settles which plugin's response to check: the one the client named when it is known and
 * the client sent data for it. Otherwise an AuthSwitchRequest ("Authentication Method
 * Mismatch") asks for a response: with the named plugin when the client held its data back
 * because the nonce was announced for another plugin (libmariadb does this), or with
 * mysql_native_password when the named plugin is unknown.
 * Returns undefined when the client goes away.
 */
export async function negotiatePlugin(options: {
  channel: PacketChannel;
  nonce: Uint8Array;
  advertisedPlugin: AuthPlugin;
  clientPlugin: string;
  response: Uint8Array;
  capabilities: number;
}): Promise<{ plugin: AuthPlugin; response: Uint8Array } | undefined> {
  const { channel, nonce } = options;
  // A client without CLIENT_PLUGIN_AUTH, or one that names no plugin, sends a native scramble.
  const pluginAuth = (options.capabilities & Capability.PLUGIN_AUTH) !== 0;
  const named =
    !pluginAuth || options.clientPlugin === '' ? NATIVE_PASSWORD_PLUGIN : options.clientPlugin;
  let switchTo: AuthPlugin = NATIVE_PASSWORD_PLUGIN;
  if (isKnownPlugin(named)) {
    if (options.response.length > 0 || named === options.advertisedPlugin || !pluginAuth) {
      return { plugin: named, response: options.response };
    }
    switchTo = named;
  }
  channel.write(authSwitchRequestPacket(switchTo, nonce));
  await channel.flush();
  const answer = await channel.read();
  if (answer === undefined) return undefined;
  return { plugin: switchTo, response: answer.payload };
}

export interface AuthenticateOptions {
  readonly channel: PacketChannel;
  readonly backend: SqlBackend;
  readonly connectionId: number;
  readonly remoteAddress: string;
  readonly authPlugin: AuthPlugin;
  /** The server's TLS context; undefined when the server has no certificate. */
  readonly tls: SecureContext | undefined;
  /** require_secure_transport: refuse clients that do not switch to TLS. */
  readonly requireSecureTransport: () => boolean;
  /** Told why a TLS handshake failed (the connection is then closed without a reply). */
  readonly onTlsFailure: (error: Error) => void;
}

type TransportOutcome =
  | { readonly kind: 'ready'; readonly packet: Packet; readonly tls: TlsSessionInfo | undefined }
  | Exclude<AuthenticationOutcome, { kind: 'authenticated' }>;

/**
 * Reads the client's first answer. An SSLRequest switches the connection to TLS, and the
 * HandshakeResponse41 then arrives over TLS. Under require_secure_transport a plain client
 * gets ER_SECURE_TRANSPORT_REQUIRED before any password is checked (loopback included, as
 * in MySQL).
 */
async function settleTransport(options: AuthenticateOptions): Promise<TransportOutcome> {
  const { channel } = options;
  const first = await channel.read();
  if (first === undefined) return { kind: 'gone' };
  if (!isSslRequest(first.payload)) {
    channel.continuePlain();
    if (options.requireSecureTransport()) {
      return {
        kind: 'refused',
        error: sqlError(
          'SECURE_TRANSPORT_REQUIRED',
          'Connections using insecure transport are prohibited while --require_secure_transport=ON.',
        ),
      };
    }
    return { kind: 'ready', packet: first, tls: undefined };
  }
  if (options.tls === undefined) {
    channel.continuePlain();
    return {
      kind: 'refused',
      error: sqlError('HANDSHAKE', 'Bad handshake: this server does not support SSL connections'),
    };
  }
  let tls: TlsSessionInfo;
  try {
    tls = tlsSessionInfo(await channel.startTls(options.tls));
  } catch (error) {
    options.onTlsFailure(error as Error);
    return { kind: 'gone' };
  }
  const packet = await channel.read();
  if (packet === undefined) return { kind: 'gone' };
  return { kind: 'ready', packet, tls };
}

/**
 * caching_sha2_password full authentication ("Caching_sha2_password information"): asked
 * for when the fast scramble does not verify, and only over TLS, where the client sends its
 * password in clear. Returns the password's verdict, or undefined when the client leaves.
 */
async function fullSha2Authentication(options: {
  channel: PacketChannel;
  account: AccountCredentials | undefined;
}): Promise<{ verified: boolean; usedPassword: boolean } | undefined> {
  const { channel, account } = options;
  channel.write(performFullAuthenticationPacket());
  await channel.flush();
  const answer = await channel.read();
  if (answer === undefined) return undefined;
  const password = answer.payload;
  const usedPassword = password.length > 0 && password[0] !== 0;
  const verified =
    account !== undefined && verifyClearSha2Password({ storedHash: account.sha2Hash, password });
  return { verified, usedPassword };
}

/** Runs the connection phase up to (not including) the final OK or ERR. */
export async function authenticate(options: AuthenticateOptions): Promise<AuthenticationOutcome> {
  const { channel, backend, remoteAddress } = options;
  const nonce = createNonce();
  const offered = serverCapabilities({ tls: options.tls !== undefined });
  channel.write(
    initialHandshakePacket({
      serverVersion: backend.serverVersion,
      connectionId: options.connectionId,
      nonce,
      status: ServerStatus.AUTOCOMMIT,
      authPlugin: options.authPlugin,
      capabilities: offered,
      mariadbCapabilities: MARIADB_CAPABILITIES,
    }),
  );
  await channel.flush();
  const transport = await settleTransport(options);
  if (transport.kind !== 'ready') return transport;
  const { packet } = transport;
  let response: HandshakeResponse;
  try {
    response = parseHandshakeResponse(packet.payload);
  } catch (error) {
    const message = error instanceof MalformedPacketError ? error.message : 'Bad handshake';
    return { kind: 'refused', error: sqlError('HANDSHAKE', `Bad handshake: ${message}`) };
  }
  const capabilities = response.capabilities & offered;
  const negotiated = await negotiatePlugin({
    channel,
    nonce,
    advertisedPlugin: options.authPlugin,
    clientPlugin: response.authPlugin,
    response: response.authResponse,
    capabilities,
  });
  if (negotiated === undefined) return { kind: 'gone' };
  const account = backend.lookupAccount(response.user, remoteAddress);
  let verified = verifyAuthResponse({
    plugin: negotiated.plugin,
    nonce,
    account,
    response: negotiated.response,
  });
  let usedPassword =
    negotiated.response.length > 0 &&
    !(negotiated.response.length === 1 && negotiated.response[0] === 0);
  let fastAuthenticated = verified;
  if (!verified && negotiated.plugin === CACHING_SHA2_PLUGIN && transport.tls !== undefined) {
    const full = await fullSha2Authentication({ channel, account });
    if (full === undefined) return { kind: 'gone' };
    ({ verified, usedPassword } = full);
    fastAuthenticated = false;
  }
  if (!verified)
    return { kind: 'refused', error: accessDenied(response.user, remoteAddress, usedPassword) };
  if (negotiated.plugin === CACHING_SHA2_PLUGIN && usedPassword && fastAuthenticated)
    channel.write(fastAuthSuccessPacket());
  return {
    kind: 'authenticated',
    client: {
      user: response.user,
      database: response.database,
      capabilities,
      mariadbCapabilities: response.mariadbCapabilities & MARIADB_CAPABILITIES,
      nonce,
      attributes: response.attributes,
      collation: response.charset,
      tls: transport.tls,
    },
  };
}
