/**
 * Generic Response Packets: OK_Packet, ERR_Packet and EOF_Packet (protocol 4.1 forms).
 */
import { encodeUtf8, PayloadWriter } from './payload-writer.js';

export interface OkFields {
  readonly affectedRows?: number | bigint;
  readonly lastInsertId?: number | bigint;
  readonly status: number;
  readonly warnings?: number;
  readonly info?: string;
  /**
   * 0xFE instead of 0x00: the OK that ends a result set when CLIENT_DEPRECATE_EOF is set
   * ("OK_Packet": "These rules distinguish whether the packet represents OK or EOF").
   */
  readonly endOfRows?: boolean;
  /** CLIENT_SESSION_TRACK was agreed: the info is string<lenenc>. */
  readonly sessionTrack?: boolean;
}

/** OK_Packet: header, affected rows, last insert id, status flags, warnings, info. */
export function okPacket(fields: OkFields): Uint8Array {
  const writer = new PayloadWriter(32);
  writer
    .uint8(fields.endOfRows === true ? 0xfe : 0x00)
    .lengthEncodedInteger(fields.affectedRows ?? 0)
    .lengthEncodedInteger(fields.lastInsertId ?? 0)
    .uint16(fields.status)
    .uint16(Math.min(fields.warnings ?? 0, 0xffff));
  // The protocol documentation calls the info string<EOF> without CLIENT_SESSION_TRACK, but
  // MySQL and MariaDB servers send it as string<lenenc>, and libmariadb (the `mariadb` CLI)
  // reads it that way; mysql2 accepts both.
  if (fields.info !== undefined && fields.info !== '') writer.lengthEncodedString(fields.info);
  return writer.finish();
}

/** EOF_Packet: 0xFE, warnings, status flags. */
export function eofPacket(fields: { status: number; warnings?: number }): Uint8Array {
  return new PayloadWriter(5)
    .uint8(0xfe)
    .uint16(Math.min(fields.warnings ?? 0, 0xffff))
    .uint16(fields.status)
    .finish();
}

/** The longest error message sent, in bytes (MySQL's MYSQL_ERRMSG_SIZE is 512). */
export const ERROR_MESSAGE_BYTES_MAX = 512;

/** Cuts UTF-8 text to at most `bytesMax` bytes without splitting a character. */
export function truncateUtf8(text: string, bytesMax: number): Uint8Array {
  const bytes = encodeUtf8(text);
  if (bytes.length <= bytesMax) return bytes;
  let end = bytesMax;
  // Step back over continuation bytes (10xxxxxx) so a character is never cut.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end);
}

/** ERR_Packet: 0xFF, error code, '#', SQLSTATE, message. */
export function errPacket(error: { errno: number; sqlState: string; message: string }): Uint8Array {
  const state = (error.sqlState + 'HY000').slice(0, 5);
  return new PayloadWriter(64)
    .uint8(0xff)
    .uint16(error.errno)
    .uint8(0x23)
    .text(state)
    .bytes(truncateUtf8(error.message, ERROR_MESSAGE_BYTES_MAX))
    .finish();
}
