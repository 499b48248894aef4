/** Prints CREATE / ALTER VIEW in the order the parser reads the clauses (parse-view.ts). */
import type { CreateViewStatement } from './ast.js';
import { formatUser } from './format-admin.js';
import { quoteIdentifier } from './format-expr.js';
import { formatQuery, formatTableName } from './format-query.js';

export function formatCreateView(stmt: CreateViewStatement): string {
  let text = stmt.alter === true ? 'ALTER ' : `CREATE ${stmt.orReplace ? 'OR REPLACE ' : ''}`;
  if (stmt.algorithm !== undefined) text += `ALGORITHM = ${stmt.algorithm} `;
  if (stmt.definer !== undefined) text += `DEFINER = ${formatUser(stmt.definer)} `;
  if (stmt.security !== undefined) text += `SQL SECURITY ${stmt.security} `;
  text += `VIEW ${stmt.ifNotExists === true ? 'IF NOT EXISTS ' : ''}${formatTableName(stmt.view)}`;
  if (stmt.columns !== undefined) text += ` (${stmt.columns.map(quoteIdentifier).join(', ')})`;
  text += ` AS ${formatQuery(stmt.query)}`;
  if (stmt.checkOption !== undefined) text += ` WITH ${stmt.checkOption} CHECK OPTION`;
  return text;
}
