/**
 * Numeric constants of the MySQL client/server protocol, named as in the MySQL protocol
 * documentation ("Capabilities Flags", "Status Flags", "Text Protocol" command bytes,
 * "Column Types" and "Column Definition Flags").
 */

/** Capabilities Flags (Protocol::CapabilityFlags). */
export const Capability = {
  LONG_PASSWORD: 0x1,
  FOUND_ROWS: 0x2,
  LONG_FLAG: 0x4,
  CONNECT_WITH_DB: 0x8,
  NO_SCHEMA: 0x10,
  COMPRESS: 0x20,
  ODBC: 0x40,
  LOCAL_FILES: 0x80,
  IGNORE_SPACE: 0x100,
  PROTOCOL_41: 0x200,
  INTERACTIVE: 0x400,
  SSL: 0x800,
  IGNORE_SIGPIPE: 0x1000,
  TRANSACTIONS: 0x2000,
  RESERVED: 0x4000,
  SECURE_CONNECTION: 0x8000,
  MULTI_STATEMENTS: 0x10000,
  MULTI_RESULTS: 0x20000,
  PS_MULTI_RESULTS: 0x40000,
  PLUGIN_AUTH: 0x80000,
  CONNECT_ATTRS: 0x100000,
  PLUGIN_AUTH_LENENC_CLIENT_DATA: 0x200000,
  CAN_HANDLE_EXPIRED_PASSWORDS: 0x400000,
  SESSION_TRACK: 0x800000,
  DEPRECATE_EOF: 0x1000000,
} as const;

/**
 * What this server offers in the initial handshake, SSL aside: CLIENT_SSL is added only when
 * the server has a certificate (`serverCapabilities`). SESSION_TRACK is offered because drivers such as mysql2 read the OK packet's info as
 * string<lenenc> whenever they themselves ask for it; no session state is ever tracked.
 * CLIENT_MYSQL (LONG_PASSWORD) is left out, as MariaDB leaves it out: its absence tells clients
 * that the handshake carries MariaDB's extended capabilities (`MARIADB_CAPABILITIES`).
 */
export const SERVER_CAPABILITIES =
  Capability.FOUND_ROWS |
  Capability.LONG_FLAG |
  Capability.CONNECT_WITH_DB |
  Capability.LOCAL_FILES |
  Capability.INTERACTIVE |
  Capability.PROTOCOL_41 |
  Capability.TRANSACTIONS |
  Capability.SECURE_CONNECTION |
  Capability.MULTI_STATEMENTS |
  Capability.MULTI_RESULTS |
  Capability.PS_MULTI_RESULTS |
  Capability.PLUGIN_AUTH |
  Capability.CONNECT_ATTRS |
  Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA |
  Capability.SESSION_TRACK |
  Capability.DEPRECATE_EOF;

/**
 * MariaDB's extended capabilities (the upper 32 bits of its flags, sent in the handshake's
 * reserved bytes). MARIADB_CLIENT_EXTENDED_METADATA: column definitions say which text is JSON
 * (`format=json`), as MariaDB's do, so drivers read JSON answers as JSON.
 */
export const MariaDbCapability = {
  EXTENDED_METADATA: 0x8,
} as const;

export const MARIADB_CAPABILITIES = MariaDbCapability.EXTENDED_METADATA;

/** The capabilities advertised, with CLIENT_SSL when TLS is configured. */
export function serverCapabilities(options: { tls: boolean }): number {
  return options.tls ? (SERVER_CAPABILITIES | Capability.SSL) >>> 0 : SERVER_CAPABILITIES;
}

/** Status Flags (SERVER_STATUS_*), sent in OK and EOF packets. */
export const ServerStatus = {
  IN_TRANS: 0x1,
  AUTOCOMMIT: 0x2,
  MORE_RESULTS_EXISTS: 0x8,
} as const;

/** Command bytes of the Text Protocol, Prepared Statements and Utility Commands. */
export const Command = {
  QUIT: 0x01,
  INIT_DB: 0x02,
  QUERY: 0x03,
  FIELD_LIST: 0x04,
  REFRESH: 0x07,
  STATISTICS: 0x09,
  PROCESS_KILL: 0x0c,
  PING: 0x0e,
  CHANGE_USER: 0x11,
  STMT_PREPARE: 0x16,
  STMT_EXECUTE: 0x17,
  STMT_SEND_LONG_DATA: 0x18,
  STMT_CLOSE: 0x19,
  STMT_RESET: 0x1a,
  SET_OPTION: 0x1b,
  RESET_CONNECTION: 0x1f,
} as const;

/** Column Types (enum_field_types). */
export const ColumnType = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  NULL: 6,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  VARCHAR: 15,
  BIT: 16,
  JSON: 245,
  NEWDECIMAL: 246,
  ENUM: 247,
  SET: 248,
  TINY_BLOB: 249,
  MEDIUM_BLOB: 250,
  LONG_BLOB: 251,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
  GEOMETRY: 255,
} as const;

/** Column Definition Flags. */
export const ColumnFlag = {
  NOT_NULL: 1,
  PRI_KEY: 2,
  UNIQUE_KEY: 4,
  MULTIPLE_KEY: 8,
  BLOB: 16,
  UNSIGNED: 32,
  ZEROFILL: 64,
  BINARY: 128,
  ENUM: 256,
  AUTO_INCREMENT: 512,
  SET: 2048,
  NO_DEFAULT_VALUE: 4096,
  PART_KEY: 16384,
  NUM: 32768,
} as const;

/** Character set numbers (collation ids) used in column definitions and the handshake. */
export const Charset = {
  UTF8MB4_GENERAL_CI: 45,
  BINARY: 63,
} as const;

/** Largest payload of one physical packet ("Sending More Than 16Mb"). */
export const PACKET_PAYLOAD_MAX = 0xffffff;

/** Default max_allowed_packet (64 MiB, as MySQL 8). */
export const DEFAULT_MAX_ALLOWED_PACKET_BYTES = 64 * 1024 * 1024;
