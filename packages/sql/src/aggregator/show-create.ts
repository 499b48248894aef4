/**
 * SHOW CREATE TABLE text: MySQL's layout with SingleStore's clauses (ROWSTORE/REFERENCE,
 * SHARD KEY, SORT KEY), which this data plane's parser reads back, so the output can be
 * replayed to re-create the table.
 */
import type { ColumnDef, TableDef } from '../catalog/types.js';

const quote = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

function columnLine(column: ColumnDef): string {
  let line = `  ${quote(column.name)} ${column.mysqlType}`;
  if (['char', 'varchar', 'text'].includes(column.type))
    line += ' CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci';
  if (!column.nullable) line += ' NOT NULL';
  if (column.autoIncrement === true) line += ' AUTO_INCREMENT';
  if (column.defaultSql !== undefined) line += ` DEFAULT ${column.defaultSql}`;
  else if (column.nullable && !['text', 'blob', 'json'].includes(column.type))
    line += ' DEFAULT NULL';
  if (column.onUpdateCurrentTimestamp === true) line += ' ON UPDATE CURRENT_TIMESTAMP';
  if (column.comment !== undefined) line += ` COMMENT '${column.comment.replace(/'/g, "''")}'`;
  return line;
}

export function showCreateTable(table: TableDef, nextAutoIncrement: number): string {
  const lines = table.columns.map(columnLine);
  const list = (columns: readonly string[]): string => columns.map(quote).join(',');
  if (table.primaryKey.length > 0) lines.push(`  PRIMARY KEY (${list(table.primaryKey)})`);
  for (const key of table.keys)
    lines.push(`  ${key.unique ? 'UNIQUE KEY' : 'KEY'} ${quote(key.name)} (${list(key.columns)})`);
  if (!table.reference) lines.push(`  SHARD KEY (${list(table.shardKey)})`);
  if (table.sortKey.length > 0) lines.push(`  SORT KEY (${list(table.sortKey)})`);
  const kind = `${table.storage === 'row' ? 'ROWSTORE ' : ''}${table.reference ? 'REFERENCE ' : ''}`;
  const auto =
    table.columns.some((column) => column.autoIncrement === true) && nextAutoIncrement > 1
      ? ` AUTO_INCREMENT=${nextAutoIncrement}`
      : '';
  const comment =
    table.comment !== undefined ? ` COMMENT='${table.comment.replace(/'/g, "''")}'` : '';
  return `CREATE ${kind}TABLE ${quote(table.name)} (\n${lines.join(',\n')}\n)${auto} DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci${comment}`;
}
