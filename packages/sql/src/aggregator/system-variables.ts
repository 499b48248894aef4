/**
 * System variables as drivers, ORMs and the `mariadb` CLI read them on connect
 * (`@@version_comment`, `SHOW VARIABLES LIKE 'lower_case_%'`, `@@session.transaction_isolation`,
 * `@@max_allowed_packet`, ...). Session values start from these defaults; `SET` changes the
 * session copy. Names are lower case.
 */
import { sqlError } from '../errors.js';
import { offsetMinutes } from '../catalog/time-zone.js';
import type { SqlValue } from '../values.js';

export const SERVER_VERSION = '8.0.35-Exosphere';

export interface VariableDefaultsOptions {
  readonly port: number;
  readonly hostname: string;
  readonly dataDir: string;
  readonly maxAllowedPacketBytes: number;
  /** Whether the server has a certificate (have_ssl YES rather than DISABLED). */
  readonly tls: boolean;
  readonly requireSecureTransport: boolean;
}

export function defaultVariables(options: VariableDefaultsOptions): Map<string, SqlValue> {
  const entries: [string, SqlValue][] = [
    ['version', SERVER_VERSION],
    ['version_comment', 'Exosphere data plane'],
    ['version_compile_os', 'Linux'],
    ['version_compile_machine', 'x86_64'],
    ['autocommit', 1],
    // MariaDB 10.11's default (not MySQL 8's, which adds ONLY_FULL_GROUP_BY, NO_ZERO_DATE and
    // NO_ZERO_IN_DATE): queries and values MariaDB takes by default are taken here too.
    [
      'sql_mode',
      'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION',
    ],
    ['character_set_client', 'utf8mb4'],
    ['character_set_connection', 'utf8mb4'],
    ['character_set_results', 'utf8mb4'],
    ['character_set_server', 'utf8mb4'],
    ['character_set_database', 'utf8mb4'],
    ['character_set_system', 'utf8mb3'],
    ['collation_connection', 'utf8mb4_general_ci'],
    ['collation_server', 'utf8mb4_general_ci'],
    ['collation_database', 'utf8mb4_general_ci'],
    ['default_storage_engine', 'Columnstore'],
    ['max_allowed_packet', options.maxAllowedPacketBytes],
    ['net_buffer_length', 16384],
    ['transaction_isolation', 'READ-COMMITTED'],
    ['tx_isolation', 'READ-COMMITTED'],
    ['transaction_read_only', 0],
    ['tx_read_only', 0],
    ['lower_case_table_names', 2],
    ['time_zone', 'SYSTEM'],
    ['system_time_zone', 'UTC'],
    ['wait_timeout', 28800],
    ['interactive_timeout', 28800],
    ['net_read_timeout', 30],
    ['net_write_timeout', 60],
    ['innodb_lock_wait_timeout', 50],
    ['lock_wait_timeout', 31536000],
    ['auto_increment_increment', 1],
    ['auto_increment_offset', 1],
    ['license', 'Apache-2.0'],
    ['init_connect', ''],
    ['performance_schema', 0],
    ['query_cache_size', 0],
    ['query_cache_type', 'OFF'],
    ['have_ssl', options.tls ? 'YES' : 'DISABLED'],
    ['have_openssl', options.tls ? 'YES' : 'DISABLED'],
    ['require_secure_transport', options.requireSecureTransport ? 1 : 0],
    ['sql_auto_is_null', 0],
    ['sql_select_limit', 18446744073709551615n],
    ['max_execution_time', 0],
    ['max_statement_time', 0],
    ['max_connections', 1000],
    ['port', options.port],
    ['hostname', options.hostname],
    ['datadir', options.dataDir],
    // No folder for server-side files: LOAD DATA without LOCAL and INTO OUTFILE refuse (1290).
    ['secure_file_priv', null],
    ['default_authentication_plugin', 'mysql_native_password'],
    ['div_precision_increment', 4],
    ['group_concat_max_len', 1024],
    ['sql_safe_updates', 0],
    ['foreign_key_checks', 1],
    ['unique_checks', 1],
    ['sql_notes', 1],
    ['sql_warnings', 0],
    // Set by mariadb-dump / mysqldump before SHOW CREATE TABLE (identifiers are always quoted).
    ['sql_quote_show_create', 1],
    ['explicit_defaults_for_timestamp', 1],
    ['local_infile', 1],
    ['protocol_version', 10],
    ['server_id', 1],
    ['read_only', 0],
    ['event_scheduler', 'OFF'],
    ['last_insert_id', 0],
    ['identity', 0],
    ['warning_count', 0],
    ['error_count', 0],
  ];
  return new Map(entries);
}

/**
 * Timeouts, in seconds (max_execution_time in milliseconds), that SET GLOBAL may change as
 * well as SET SESSION; new sessions copy the global values. Each is a non-negative number,
 * a whole one except max_statement_time (MariaDB takes fractions of a second there).
 */
export const TIMEOUT_VARIABLES: ReadonlySet<string> = new Set([
  'wait_timeout',
  'interactive_timeout',
  'net_read_timeout',
  'net_write_timeout',
  'max_statement_time',
  'max_execution_time',
]);

/** One year: far beyond any useful timeout, and small enough for a timer. */
const TIMEOUT_SECONDS_MAX = 31_536_000;

/** The checked value of a timeout variable; 1232 for anything but a fitting number. */
export function timeoutValue(name: string, value: SqlValue): number {
  const number = Number(value);
  const whole = name !== 'max_statement_time';
  const max = name === 'max_execution_time' ? TIMEOUT_SECONDS_MAX * 1000 : TIMEOUT_SECONDS_MAX;
  if (
    value === null ||
    (typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'string') ||
    !Number.isFinite(number) ||
    (whole && !Number.isInteger(number))
  ) {
    throw sqlError('WRONG_TYPE_FOR_VAR', `Incorrect argument type to variable '${name}'`);
  }
  // MySQL clamps out-of-range timeouts (with a warning) rather than refusing them.
  return Math.min(Math.max(number, name.startsWith('max_') ? 0 : 1), max);
}

/** Variables that are on or off: 1 or 0 when read, ON or OFF in SHOW VARIABLES. */
export const BOOLEAN_VARIABLES: ReadonlySet<string> = new Set([
  'autocommit',
  'foreign_key_checks',
  'unique_checks',
  'sql_safe_updates',
  'sql_notes',
  'sql_warnings',
  'sql_auto_is_null',
  'sql_quote_show_create',
  'read_only',
  'transaction_read_only',
  'tx_read_only',
  'performance_schema',
  'require_secure_transport',
  'explicit_defaults_for_timestamp',
  'local_infile',
]);

/** A variable's value as SHOW VARIABLES prints it. */
export function shownValue(name: string, value: SqlValue): string {
  if (value === null) return '';
  const text = String(value);
  if (BOOLEAN_VARIABLES.has(name) && (text === '0' || text === '1'))
    return text === '1' ? 'ON' : 'OFF';
  return text;
}

/** The sql_mode words MySQL 8 and MariaDB accept (combinations such as ANSI included). */
const SQL_MODES: ReadonlySet<string> = new Set([
  'REAL_AS_FLOAT',
  'PIPES_AS_CONCAT',
  'ANSI_QUOTES',
  'IGNORE_SPACE',
  'IGNORE_BAD_TABLE_OPTIONS',
  'ONLY_FULL_GROUP_BY',
  'NO_UNSIGNED_SUBTRACTION',
  'NO_DIR_IN_CREATE',
  'POSTGRESQL',
  'ORACLE',
  'MSSQL',
  'DB2',
  'MAXDB',
  'NO_KEY_OPTIONS',
  'NO_TABLE_OPTIONS',
  'NO_FIELD_OPTIONS',
  'MYSQL323',
  'MYSQL40',
  'ANSI',
  'NO_AUTO_VALUE_ON_ZERO',
  'NO_BACKSLASH_ESCAPES',
  'STRICT_TRANS_TABLES',
  'STRICT_ALL_TABLES',
  'NO_ZERO_IN_DATE',
  'NO_ZERO_DATE',
  'ALLOW_INVALID_DATES',
  'ERROR_FOR_DIVISION_BY_ZERO',
  'TRADITIONAL',
  'NO_AUTO_CREATE_USER',
  'HIGH_NOT_PRECEDENCE',
  'NO_ENGINE_SUBSTITUTION',
  'PAD_CHAR_TO_FULL_LENGTH',
  'EMPTY_STRING_IS_NULL',
  'SIMULTANEOUS_ASSIGNMENT',
  'TIME_ROUND_FRACTIONAL',
  'TIME_TRUNCATE_FRACTIONAL',
]);

function refuse(name: string, value: SqlValue): never {
  const shown = value === null ? 'NULL' : String(value);
  throw sqlError(
    'WRONG_VALUE_FOR_VAR',
    `Variable '${name}' can't be set to the value of '${shown}'`,
  );
}

/**
 * A session time zone as MariaDB without time zone tables takes it: SYSTEM or an offset from
 * -12:59 to +13:00, stored as '+hh:mm' ('+2:00' is '+02:00'); a number is 1232, a name 1298.
 */
function timeZone(value: SqlValue): string {
  if (value === null) refuse('time_zone', value);
  if (typeof value !== 'string')
    throw sqlError('WRONG_TYPE_FOR_VAR', "Incorrect argument type to variable 'time_zone'");
  if (value.toUpperCase() === 'SYSTEM') return 'SYSTEM';
  const minutes = value.trim() === value ? offsetMinutes(value) : undefined;
  if (minutes === undefined)
    throw sqlError('UNKNOWN_TIME_ZONE', `Unknown or incorrect time zone: '${value}'`);
  const magnitude = Math.abs(minutes);
  const clock = `${String(Math.floor(magnitude / 60)).padStart(2, '0')}:${String(magnitude % 60).padStart(2, '0')}`;
  return `${minutes < 0 ? '-' : '+'}${clock}`;
}

/**
 * The value a SET stores: on/off variables take 0/1, ON/OFF and TRUE/FALSE (anything else is
 * 1231, as MariaDB answers); sql_mode takes known mode words, stored upper case.
 */
export function normalizeSetValue(name: string, value: SqlValue): SqlValue {
  if (BOOLEAN_VARIABLES.has(name)) {
    if (typeof value === 'string') {
      const upper = value.toUpperCase();
      if (upper === 'ON' || upper === 'TRUE' || upper === '1') return 1;
      if (upper === 'OFF' || upper === 'FALSE' || upper === '0') return 0;
      refuse(name, value);
    }
    if (value === 0 || value === 1 || value === 0n || value === 1n) return Number(value);
    refuse(name, value);
  }
  if (name === 'time_zone') return timeZone(value);
  if (name === 'sql_mode') {
    if (value === null) refuse(name, value);
    if (value === 0 || value === 0n) return '';
    const words = String(value)
      .split(',')
      .map((word) => word.trim().toUpperCase())
      .filter((word) => word !== '');
    const unknown = words.find((word) => !SQL_MODES.has(word));
    if (unknown !== undefined) refuse(name, unknown);
    return words.join(',');
  }
  return value;
}
