/**
 * The Connection Phase ("Connection Phase", "Authentication Method Mismatch"): initial
 * handshake, handshake response, an optional AuthSwitchRequest, scramble verification, and
 * for caching_sha2_password the fast_auth_success AuthMoreData before the final OK.
 */
import { sqlError, type SqlError } from '../errors.js';
import type { AccountCredentials, SqlBackend } from './backend.js';
import { createNonce, verifyNativeScramble, verifySha2Scramble } from './auth.js';
import { Capability, SERVER_CAPABILITIES, ServerStatus } from './constants.js';
import {
  authSwitchRequestPacket,
  CACHING_SHA2_PLUGIN,
  fastAuthSuccessPacket,
  initialHandshakePacket,
  NATIVE_PASSWORD_PLUGIN,
  parseHandshakeResponse,
  type AuthPlugin,
  type HandshakeResponse,
} from './handshake-packets.js';
import type { PacketChannel } from './packet-channel.js';
import { MalformedPacketError } from './payload-reader.js';

export interface AuthenticatedClient {
  readonly user: string;
  readonly database: string | undefined;
  /** Capabilities both sides support. */
  readonly capabilities: number;
  readonly nonce: Uint8Array;
  readonly attributes: ReadonlyMap<string, string>;
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

/** Runs the connection phase up to (not including) the final OK or ERR. */
export async function authenticate(options: {
  channel: PacketChannel;
  backend: SqlBackend;
  connectionId: number;
  remoteAddress: string;
  authPlugin: AuthPlugin;
}): Promise<AuthenticationOutcome> {
  const { channel, backend, remoteAddress } = options;
  const nonce = createNonce();
  channel.write(
    initialHandshakePacket({
      serverVersion: backend.serverVersion,
      connectionId: options.connectionId,
      nonce,
      status: ServerStatus.AUTOCOMMIT,
      authPlugin: options.authPlugin,
    }),
  );
  await channel.flush();
  const packet = await channel.read();
  if (packet === undefined) return { kind: 'gone' };
  let response: HandshakeResponse;
  try {
    response = parseHandshakeResponse(packet.payload);
  } catch (error) {
    const message = error instanceof MalformedPacketError ? error.message : 'Bad handshake';
    return { kind: 'refused', error: sqlError('HANDSHAKE', `Bad handshake: ${message}`) };
  }
  const capabilities = response.capabilities & SERVER_CAPABILITIES;
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
  const verified = verifyAuthResponse({
    plugin: negotiated.plugin,
    nonce,
    account,
    response: negotiated.response,
  });
  const usedPassword =
    negotiated.response.length > 0 &&
    !(negotiated.response.length === 1 && negotiated.response[0] === 0);
  if (!verified)
    return { kind: 'refused', error: accessDenied(response.user, remoteAddress, usedPassword) };
  if (negotiated.plugin === CACHING_SHA2_PLUGIN && usedPassword)
    channel.write(fastAuthSuccessPacket());
  return {
    kind: 'authenticated',
    client: {
      user: response.user,
      database: response.database,
      capabilities,
      nonce,
      attributes: response.attributes,
    },
  };
}
