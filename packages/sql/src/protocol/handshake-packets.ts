/**
 * Connection Phase packets: Protocol::HandshakeV10, Protocol::HandshakeResponse41,
 * Protocol::AuthSwitchRequest and COM_CHANGE_USER.
 */
import { Capability, Charset } from './constants.js';
import { MalformedPacketError, PayloadReader } from './payload-reader.js';
import { PayloadWriter } from './payload-writer.js';

export const NATIVE_PASSWORD_PLUGIN = 'mysql_native_password';
export const CACHING_SHA2_PLUGIN = 'caching_sha2_password';
export type AuthPlugin = typeof NATIVE_PASSWORD_PLUGIN | typeof CACHING_SHA2_PLUGIN;

/** Protocol::HandshakeV10. */
export function initialHandshakePacket(options: {
  serverVersion: string;
  connectionId: number;
  nonce: Uint8Array;
  status: number;
  authPlugin: AuthPlugin;
  /** The capability flags advertised (SERVER_CAPABILITIES, plus CLIENT_SSL with TLS). */
  capabilities: number;
  /** MariaDB's extended capabilities, in the last 4 of the 10 reserved bytes. */
  mariadbCapabilities: number;
}): Uint8Array {
  const { nonce, capabilities } = options;
  return (
    new PayloadWriter(128)
      .uint8(10)
      .nulTerminatedString(options.serverVersion.replaceAll('\0', ''))
      .uint32(options.connectionId)
      .bytes(nonce.subarray(0, 8))
      .uint8(0)
      .uint16(capabilities & 0xffff)
      .uint8(Charset.UTF8MB4_GENERAL_CI)
      .uint16(options.status)
      .uint16(capabilities >>> 16)
      .uint8(nonce.length + 1)
      .zeros(6)
      .uint32(options.mariadbCapabilities)
      // auth-plugin-data-part-2: max(13, length - 8) bytes, the last one NUL.
      .bytes(nonce.subarray(8))
      .uint8(0)
      .nulTerminatedString(options.authPlugin)
      .finish()
  );
}

export interface HandshakeResponse {
  readonly capabilities: number;
  /** MariaDB's extended capabilities, when the client left CLIENT_MYSQL unset (else 0). */
  readonly mariadbCapabilities: number;
  readonly maxPacketBytes: number;
  readonly charset: number;
  readonly user: string;
  readonly authResponse: Uint8Array;
  readonly database: string | undefined;
  /** Empty when the client did not name one. */
  readonly authPlugin: string;
  readonly attributes: ReadonlyMap<string, string>;
}

/** Reads the client's auth response in whichever of the three encodings its flags select. */
function readAuthResponse(reader: PayloadReader, capabilities: number): Uint8Array {
  if ((capabilities & Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA) !== 0) {
    return reader.lengthEncodedBytes('auth response');
  }
  if ((capabilities & Capability.SECURE_CONNECTION) !== 0) {
    return reader.bytesFixed(reader.uint8('auth response length'), 'auth response');
  }
  return reader.nulTerminatedBytes('auth response');
}

/** Reads key/value connection attributes; they are bounded by the packet itself. */
function readAttributes(reader: PayloadReader): Map<string, string> {
  const attributes = new Map<string, string>();
  if (reader.remaining === 0) return attributes;
  const length = reader.lengthEncodedInteger('connection attributes length');
  const end = reader.offset + length;
  if (end > reader.offset + reader.remaining) {
    throw new MalformedPacketError('Malformed packet: connection attributes run past the end');
  }
  while (reader.offset < end) {
    const key = reader.lengthEncodedString('attribute name');
    attributes.set(key, reader.lengthEncodedString('attribute value'));
  }
  return attributes;
}

/** Protocol::HandshakeResponse41. Older (pre-4.1) responses are refused by the caller. */
export function parseHandshakeResponse(payload: Uint8Array): HandshakeResponse {
  const reader = new PayloadReader(payload);
  const capabilities = reader.uint32('client capabilities');
  if ((capabilities & Capability.PROTOCOL_41) === 0) {
    throw new MalformedPacketError('Clients older than protocol 4.1 are not supported');
  }
  const maxPacketBytes = reader.uint32('max packet size');
  const charset = reader.uint8('character set');
  reader.bytesFixed(19, 'filler');
  const extended = reader.uint32('MariaDB capabilities');
  const mariadbCapabilities = (capabilities & Capability.LONG_PASSWORD) === 0 ? extended : 0;
  const user = reader.nulTerminatedString('user name');
  const authResponse = readAuthResponse(reader, capabilities);
  let database: string | undefined;
  if ((capabilities & Capability.CONNECT_WITH_DB) !== 0 && reader.remaining > 0) {
    const name = reader.nulTerminatedString('database name');
    database = name === '' ? undefined : name;
  }
  let authPlugin = '';
  if ((capabilities & Capability.PLUGIN_AUTH) !== 0 && reader.remaining > 0) {
    authPlugin = reader.nulTerminatedString('auth plugin name');
  }
  const attributes =
    (capabilities & Capability.CONNECT_ATTRS) !== 0
      ? readAttributes(reader)
      : new Map<string, string>();
  return {
    capabilities,
    mariadbCapabilities,
    maxPacketBytes,
    charset,
    user,
    authResponse,
    database,
    authPlugin,
    attributes,
  };
}

/** Protocol::AuthSwitchRequest: 0xFE, plugin name, plugin data (the nonce, NUL-terminated). */
export function authSwitchRequestPacket(plugin: AuthPlugin, nonce: Uint8Array): Uint8Array {
  return new PayloadWriter(48)
    .uint8(0xfe)
    .nulTerminatedString(plugin)
    .bytes(nonce)
    .uint8(0)
    .finish();
}

/** Protocol::AuthMoreData carrying caching_sha2_password's fast_auth_success (0x03). */
export function fastAuthSuccessPacket(): Uint8Array {
  return Uint8Array.of(0x01, 0x03);
}

/**
 * Protocol::AuthMoreData carrying caching_sha2_password's perform_full_authentication (0x04):
 * the client answers with its password, in clear over TLS (or RSA-encrypted otherwise).
 */
export function performFullAuthenticationPacket(): Uint8Array {
  return Uint8Array.of(0x01, 0x04);
}

export interface ChangeUserRequest {
  readonly user: string;
  readonly authResponse: Uint8Array;
  readonly database: string | undefined;
  readonly authPlugin: string;
}

/** COM_CHANGE_USER (after the command byte). */
export function parseChangeUser(payload: Uint8Array, capabilities: number): ChangeUserRequest {
  const reader = new PayloadReader(payload, 1);
  const user = reader.nulTerminatedString('user name');
  const authResponse =
    (capabilities & Capability.SECURE_CONNECTION) !== 0
      ? reader.bytesFixed(reader.uint8('auth response length'), 'auth response')
      : reader.nulTerminatedBytes('auth response');
  const name = reader.remaining > 0 ? reader.nulTerminatedString('database name') : '';
  let authPlugin = '';
  if (reader.remaining >= 2) {
    reader.uint16('character set');
    if ((capabilities & Capability.PLUGIN_AUTH) !== 0 && reader.remaining > 0) {
      authPlugin = reader.nulTerminatedString('auth plugin name');
    }
  }
  return { user, authResponse, database: name === '' ? undefined : name, authPlugin };
}
