/**
 * MySQL errors. Every failure a client can see is a `SqlError` carrying a MySQL error
 * number and SQLSTATE, so drivers and ORMs react to it the way they do with MySQL.
 * The numbers used are listed in docs/errors.md.
 */
export class SqlError extends Error {
  readonly errno: number;
  readonly sqlState: string;

  constructor(errno: number, sqlState: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SqlError';
    this.errno = errno;
    this.sqlState = sqlState;
  }
}

/** The MySQL error numbers the data plane uses, with their SQLSTATE. */
export const ER = {
  ACCESS_DENIED: [1045, '28000'],
  DBACCESS_DENIED: [1044, '42000'],
  TABLEACCESS_DENIED: [1142, '42000'],
  NO_DB: [1046, '3D000'],
  BAD_DB: [1049, '42000'],
  DB_CREATE_EXISTS: [1007, 'HY000'],
  DB_DROP_EXISTS: [1008, 'HY000'],
  TABLE_EXISTS: [1050, '42S01'],
  BAD_TABLE: [1051, '42S02'],
  NO_SUCH_TABLE: [1146, '42S02'],
  BAD_FIELD: [1054, '42S22'],
  DUP_FIELDNAME: [1060, '42S21'],
  DUP_KEYNAME: [1061, '42000'],
  DUP_ENTRY: [1062, '23000'],
  PARSE: [1064, '42000'],
  EMPTY_QUERY: [1065, '42000'],
  NON_UNIQ: [1052, '23000'],
  WRONG_FIELD_WITH_GROUP: [1055, '42000'],
  MIX_OF_GROUP_FUNC_AND_FIELDS: [1140, '42000'],
  WRONG_VALUE_COUNT: [1136, '21S01'],
  BAD_NULL: [1048, '23000'],
  NO_DEFAULT: [1364, 'HY000'],
  DATA_TOO_LONG: [1406, '22001'],
  OUT_OF_RANGE: [1264, '22003'],
  TRUNCATED_WRONG_VALUE: [1292, '22007'],
  DIVISION_BY_ZERO: [1365, '22012'],
  UNKNOWN_SYSTEM_VARIABLE: [1193, 'HY000'],
  UNKNOWN_COM: [1047, '08S01'],
  NET_PACKET_TOO_LARGE: [1153, '08S01'],
  NET_READ_ERROR: [1158, '08S01'],
  HANDSHAKE: [1043, '08S01'],
  UNKNOWN_STMT_HANDLER: [1243, 'HY000'],
  WRONG_ARGUMENTS: [1210, 'HY000'],
  SUBQUERY_NO_1_ROW: [1242, '21000'],
  OPERAND_COLUMNS: [1241, '21000'],
  LOCK_WAIT_TIMEOUT: [1205, 'HY000'],
  LOCK_DEADLOCK: [1213, '40001'],
  QUERY_INTERRUPTED: [1317, '70100'],
  NO_SUCH_THREAD: [1094, 'HY000'],
  NOT_SUPPORTED: [1235, '42000'],
  UNIQUE_KEY_NEEDS_SHARD_KEY: [1705, 'HY000'],
  NO_SUCH_USER: [1133, '28000'],
  CANNOT_USER: [1396, 'HY000'],
  UNKNOWN_FUNCTION: [1305, '42000'],
  WRONG_PARAMCOUNT_TO_FUNCTION: [1582, '42000'],
  LOCAL_INFILE_DISABLED: [1148, '42000'],
  MULTIPLE_PRI_KEY: [1068, '42000'],
  KEY_COLUMN_DOES_NOT_EXIST: [1072, '42000'],
  WRONG_AUTO_KEY: [1075, '42000'],
  TOO_LONG_IDENT: [1059, '42000'],
  CANT_DROP_FIELD_OR_KEY: [1091, '42000'],
  CANT_REMOVE_ALL_FIELDS: [1090, '42000'],
  INVALID_DEFAULT: [1067, '42000'],
  WRONG_DB_NAME: [1102, '42000'],
  WRONG_TABLE_NAME: [1103, '42000'],
  TRUNCATED_WRONG_VALUE_FOR_FIELD: [1366, 'HY000'],
  DATA_TRUNCATED: [1265, '01000'],
  INVALID_JSON_TEXT: [3140, '22032'],
  FIELD_SPECIFIED_TWICE: [1110, '42000'],
  NONEXISTING_GRANT: [1141, '42000'],
  SPECIFIC_ACCESS_DENIED: [1227, '42000'],
  INCORRECT_GLOBAL_LOCAL_VAR: [1238, 'HY000'],
  KILL_DENIED: [1095, 'HY000'],
  LEAF_EXISTS: [1780, 'HY000'],
  LEAF_UNKNOWN: [1781, 'HY000'],
  LEAF_IN_USE: [1782, 'HY000'],
  UNKNOWN_CHARACTER_SET: [1115, '42000'],
  LEAF_UNAVAILABLE: [1777, 'HY000'],
  XAER_NOTA: [1397, 'XAE04'],
  XAER_RMFAIL: [1399, 'XAE07'],
  XA_RBROLLBACK: [1402, 'XA100'],
  INTERNAL: [1815, 'HY000'],
  CON_COUNT: [1040, '08004'],
  MAX_PREPARED_STMT_COUNT_REACHED: [1461, '42000'],
  MALFORMED_PACKET: [1835, 'HY000'],
  UNKNOWN_TABLE: [1109, '42S02'],
  WRONG_USAGE: [1221, 'HY000'],
  SAVEPOINT_DOES_NOT_EXIST: [1305, '42000'],
  SECURE_TRANSPORT_REQUIRED: [3159, 'HY000'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErName = keyof typeof ER;

export function sqlError(name: ErName, message: string, cause?: unknown): SqlError {
  const [errno, state] = ER[name];
  return new SqlError(errno, state, message, cause === undefined ? undefined : { cause });
}
