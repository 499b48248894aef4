/**
 * TLS for client connections, as MySQL does it (Protocol::SSLRequest): the server advertises
 * CLIENT_SSL in the initial handshake; a client that wants TLS answers with the 32-byte
 * SSLRequest (the first fields of HandshakeResponse41), then starts a TLS handshake on the
 * same socket, and sends its HandshakeResponse41 over TLS.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { Capability } from './constants.js';

/** What the server needs to offer TLS: PEM text (or bytes) of its certificate chain and key. */
export interface MysqlTlsOptions {
  readonly cert: string | Uint8Array;
  readonly key: string | Uint8Array;
  /** PEM of CA certificates sent along the chain; optional. */
  readonly ca?: string | Uint8Array;
}

/** The negotiated TLS session of one connection (SHOW STATUS: Ssl_version, Ssl_cipher). */
export interface TlsSessionInfo {
  /** "TLSv1.3", "TLSv1.2". */
  readonly version: string;
  /** The OpenSSL cipher name, as MySQL shows it ("TLS_AES_256_GCM_SHA384"). */
  readonly cipher: string;
}

/** Payload length of Protocol::SSLRequest: capabilities, max packet, charset, 23 fillers. */
export const SSL_REQUEST_BYTES = 32;

/** Whether a client's first packet is an SSLRequest rather than a HandshakeResponse41. */
export function isSslRequest(payload: Uint8Array): boolean {
  if (payload.length !== SSL_REQUEST_BYTES) return false;
  const capabilities =
    (payload[0]! | (payload[1]! << 8) | (payload[2]! << 16) | (payload[3]! << 24)) >>> 0;
  return (capabilities & Capability.SSL) !== 0;
}

/** Builds the server's TLS context once; throws a clear error for an unusable key pair. */
export function createMysqlTlsContext(options: MysqlTlsOptions): SecureContext {
  try {
    return createSecureContext({
      cert: toPem(options.cert),
      key: toPem(options.key),
      ...(options.ca !== undefined ? { ca: toPem(options.ca) } : {}),
      // MySQL 8 accepts TLS 1.2 and 1.3 only.
      minVersion: 'TLSv1.2',
    });
  } catch (error) {
    throw new Error(`The TLS certificate or key cannot be used: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function toPem(value: string | Uint8Array): string | Buffer {
  return typeof value === 'string' ? value : Buffer.from(value);
}

/** Reads a PEM certificate and key from files (`--tls-cert FILE --tls-key FILE`). */
export function readTlsFiles(options: { certFile: string; keyFile: string }): MysqlTlsOptions {
  return {
    cert: readFileSync(options.certFile, 'utf8'),
    key: readFileSync(options.keyFile, 'utf8'),
  };
}

/**
 * Starts a server-side TLS session over `socket`. `buffered` holds bytes the client sent
 * right after its SSLRequest and that were read together with it (the start of its
 * ClientHello): they are put back on the socket, where the TLS layer reads them first.
 * Resolves once the TLS handshake is done; rejects when it fails or the client leaves.
 */
export function upgradeToTls(options: {
  socket: Socket;
  buffered: Uint8Array;
  context: SecureContext;
}): Promise<TLSSocket> {
  const { socket, buffered } = options;
  socket.pause();
  if (buffered.length > 0) socket.unshift(Buffer.from(buffered));
  const tlsSocket = new TLSSocket(socket, {
    isServer: true,
    secureContext: options.context,
    requestCert: false,
  });
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => {
      cleanUp();
      tlsSocket.destroy();
      socket.destroy();
      reject(error);
    };
    const onError = (error: Error): void => fail(error);
    const onClose = (): void => fail(new Error('The client closed the connection during TLS'));
    const onSecure = (): void => {
      cleanUp();
      resolve(tlsSocket);
    };
    function cleanUp(): void {
      tlsSocket.off('error', onError);
      tlsSocket.off('close', onClose);
      tlsSocket.off('secure', onSecure);
    }
    tlsSocket.on('error', onError);
    tlsSocket.on('close', onClose);
    tlsSocket.on('secure', onSecure);
  });
}

/** The negotiated protocol and cipher of a TLS socket. */
export function tlsSessionInfo(socket: TLSSocket): TlsSessionInfo {
  return {
    version: socket.getProtocol() ?? '',
    cipher: socket.getCipher().name,
  };
}
