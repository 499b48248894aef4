/**
 * The MySQL client/server protocol layer of the data plane: a TCP server that speaks the
 * MySQL wire protocol and hands SQL to a `SqlBackend`.
 */
export { startMysqlServer, type MysqlServer, type MysqlServerOptions } from './server.js';
export { hashNativePassword, hashSha2Password } from './auth.js';
export {
  CACHING_SHA2_PLUGIN,
  NATIVE_PASSWORD_PLUGIN,
  type AuthPlugin,
} from './handshake-packets.js';
export { PacketDecoder, framePayload, type Packet, type DecodeEvent } from './packet-framing.js';
export { doubleText as formatDouble } from '../number-text.js';
export { readTlsFiles, type MysqlTlsOptions, type TlsSessionInfo } from './tls.js';
export type * from './backend.js';
