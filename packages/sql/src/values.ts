/**
 * Values and column types shared by every layer of the data plane.
 *
 * One representation is used from the storage engines to the wire:
 * - integer types: `number` when within ±2^53, otherwise `bigint`;
 * - DECIMAL: `string` with exactly `scale` digits after the point ("12.50");
 * - DOUBLE/FLOAT: `number`;
 * - CHAR/VARCHAR/TEXT/JSON: `string`;
 * - BLOB/BINARY: `Uint8Array`;
 * - DATE "YYYY-MM-DD", DATETIME/TIMESTAMP "YYYY-MM-DD HH:MM:SS[.ffffff]", TIME "[-]HH:MM:SS[.ffffff]":
 *   `string`, already in MySQL's text form;
 * - BOOL is TINYINT(1): `number` 0 or 1;
 * - NULL: `null`.
 */
export type SqlValue = null | number | bigint | string | Uint8Array;

export type SqlType =
  | 'tinyint'
  | 'smallint'
  | 'int'
  | 'bigint'
  | 'decimal'
  | 'double'
  | 'float'
  | 'char'
  | 'varchar'
  | 'text'
  | 'blob'
  | 'date'
  | 'datetime'
  | 'timestamp'
  | 'time'
  | 'json'
  | 'bool'
  | 'null';

/** One column of a result (what the protocol layer turns into a column definition packet). */
export interface ColumnMeta {
  /** The name or alias the client sees. */
  readonly name: string;
  readonly type: SqlType;
  /** VARCHAR/CHAR length in characters, or display width. */
  readonly length?: number;
  /** DECIMAL precision and scale; DATETIME/TIME fractional digits go in `scale`. */
  readonly precision?: number;
  readonly scale?: number;
  readonly unsigned?: boolean;
  readonly nullable?: boolean;
  /** Origin, when the column is a table column. */
  readonly database?: string;
  readonly table?: string;
  readonly orgTable?: string;
  readonly orgName?: string;
  readonly primaryKey?: boolean;
  readonly autoIncrement?: boolean;
  /** MariaDB's NO_DEFAULT_VALUE flag: a NOT NULL column without a default (information_schema's). */
  readonly noDefaultValue?: boolean;
  /** A table column in a key (PART_KEY), alone in a unique key (UNIQUE_KEY), first in a key
   * that does not make it unique alone (MULTIPLE_KEY), as MariaDB flags a table's columns. */
  readonly partKey?: boolean;
  readonly uniqueKey?: boolean;
  readonly multipleKey?: boolean;
  /** MySQL types the engines keep in another type: ENUM/SET (text), BIT (integer), YEAR. */
  readonly kind?: 'enum' | 'set' | 'bit' | 'year' | 'mediumint';
  /** ENUM/SET members in declaration order (ENUM values sort by their position here). */
  readonly members?: readonly string[];
  /**
   * A TIME column of a columnstore table created before TIME took MySQL's whole range: DuckDB
   * keeps it as TIME (0–24 h) rather than INTERVAL.
   */
  readonly legacyTime?: boolean;
  /**
   * A table's TIMESTAMP column as stored, in UTC: a query reads it in the session's time zone
   * (`dialect/time-zone.ts`). Results and copies of results never carry it.
   */
  readonly storedUtc?: boolean;
}
