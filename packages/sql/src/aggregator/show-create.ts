/**
 * SHOW CREATE TABLE text: MySQL's layout with SingleStore's clauses (ROWSTORE/REFERENCE,
 * SHARD KEY, SORT KEY) in `/*!90618 … *\/` comments, which this data plane's parser reads back,
 * so the output can be replayed to re-create the table, here or in MariaDB.
 */
import { isExpressionDefault } from '../catalog/column-default.js';
import { shownStringDefault, stringDefault } from '../catalog/default-literal.js';
import type { CheckConstraint, ColumnDef, TableDef } from '../catalog/types.js';
import { sortedKeys } from '../catalog/column-key.js';
import { foreignKeyLines } from './show-foreign-keys.js';

/** The versioned comment this server runs (`parser/lexer.ts`) and MariaDB and MySQL skip. */
export const OWN = '/*!90618 ';

const quote = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/**
 * A column as MariaDB 10.11 prints it: no character set clause (every column has the table's),
 * `NULL` spelled out for a nullable TIMESTAMP, `DEFAULT NULL` for every nullable column without
 * a default (TEXT and BLOB too), and `current_timestamp(n)` in lower case with its precision.
 */
/** A column-level check named after its column, printed on the column's line as MariaDB does. */
function ownCheck(table: TableDef, column: ColumnDef): CheckConstraint | undefined {
  const lower = column.name.toLowerCase();
  return table.checks?.find(
    (check) =>
      check.column?.toLowerCase() === lower &&
      check.name.toLowerCase() === lower &&
      check.engineSql !== undefined,
  );
}

function columnLine(column: ColumnDef, check: CheckConstraint | undefined): string {
  let line = `  ${quote(column.name)} ${column.mysqlType}`;
  if (!column.nullable) line += ' NOT NULL';
  else if (column.type === 'timestamp') line += ' NULL';
  if (column.autoIncrement === true) line += ' AUTO_INCREMENT';
  if (column.defaultSql !== undefined) line += ` DEFAULT ${defaultText(column.defaultSql)}`;
  else if (column.nullable) line += ' DEFAULT NULL';
  if (column.onUpdateCurrentTimestamp === true)
    line += ` ON UPDATE current_timestamp(${column.scale ?? ''})`;
  if (column.comment !== undefined) line += ` COMMENT '${column.comment.replace(/'/g, "''")}'`;
  if (check !== undefined) line += ` CHECK (${check.text})`;
  return line;
}

/**
 * A default as MariaDB shows it: a string with its quotes doubled, NOW(), CURRENT_TIMESTAMP and
 * their synonyms as `current_timestamp(n)`.
 */
export function defaultText(sql: string): string {
  const text = stringDefault(sql);
  if (text !== undefined) return shownStringDefault(text);
  const clock = /^(?:CURRENT_TIMESTAMP|NOW|LOCALTIME|LOCALTIMESTAMP)(?:\((\d*)\))?$/i.exec(sql);
  // An expression in parentheses, as MySQL 8 prints it and as both MySQL and MariaDB read it.
  if (clock === null) return isExpressionDefault(sql) ? `(${sql})` : sql;
  const digits = clock[1] ?? '';
  return `current_timestamp(${digits === '0' ? '' : digits})`;
}

export function showCreateTable(table: TableDef, nextAutoIncrement: number): string {
  const inline = new Map(table.columns.map((column) => [column, ownCheck(table, column)]));
  const lines = table.columns.map((column) => columnLine(column, inline.get(column)));
  const inlined = new Set(inline.values());
  const list = (columns: readonly string[]): string => columns.map(quote).join(',');
  if (table.primaryKey.length > 0) lines.push(`  PRIMARY KEY (${list(table.primaryKey)})`);
  // Keys in MariaDB's order: unique keys over NOT NULL columns, other unique keys, the rest.
  for (const key of sortedKeys(table)) {
    const parts = key.columns.map((column, index) => {
      const prefix = key.prefixes?.[index];
      return `${quote(column)}${prefix === null || prefix === undefined ? '' : `(${prefix})`}`;
    });
    lines.push(`  ${key.unique ? 'UNIQUE KEY' : 'KEY'} ${quote(key.name)} (${parts.join(',')})`);
  }
  lines.push(...foreignKeyLines(table));
  for (const check of (table.checks ?? []).filter((candidate) => !inlined.has(candidate)))
    lines.push(
      `  CONSTRAINT ${quote(check.name)} CHECK (${check.text})${check.engineSql === undefined ? ' NOT ENFORCED' : ''}`,
    );
  // This server's own clauses go in a versioned comment that this parser reads and MariaDB
  // and MySQL skip (SingleStore's form), so a dump restores into either.
  const own: string[] = [];
  if (!table.reference) own.push(`SHARD KEY (${list(table.shardKey)})`);
  if (table.sortKey.length > 0) own.push(`SORT KEY (${list(table.sortKey)})`);
  const ownKeys = own.length > 0 ? `\n  ${OWN}, ${own.join(', ')} */` : '';
  const storage = `${table.storage === 'row' ? 'ROWSTORE ' : ''}${table.reference ? 'REFERENCE ' : ''}`;
  const kind =
    (storage === '' ? '' : `${OWN}${storage}*/ `) +
    (table.temporary !== undefined ? 'TEMPORARY ' : '');
  const auto =
    table.columns.some((column) => column.autoIncrement === true) && nextAutoIncrement > 1
      ? ` AUTO_INCREMENT=${nextAutoIncrement}`
      : '';
  const comment =
    table.comment !== undefined ? ` COMMENT='${table.comment.replace(/'/g, "''")}'` : '';
  const name = table.temporary ?? table.name;
  return `CREATE ${kind}TABLE ${quote(name)} (\n${lines.join(',\n')}${ownKeys}\n)${auto} DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci${comment}`;
}
