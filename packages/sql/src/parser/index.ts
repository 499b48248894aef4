/**
 * The data plane's MySQL-dialect parser (with SingleStore DDL): syntax tree types, parsing,
 * canonical printing, and tree walking.
 */
export type * from './ast.js';
export { parseStatement, parseScript, type ScriptStatement } from './parse.js';
export { splitStatements } from './split.js';
export { formatStatement, formatAssignments } from './format-statement.js';
export { formatExpr, formatDataType, quoteIdentifier, quoteString } from './format-expr.js';
export { formatQuery, formatTableName, formatTableRef } from './format-query.js';
export { formatColumnDef } from './format-ddl.js';
export { formatMariaDbExpr } from './format-mariadb.js';
export { collectTables, exprChildren, exprQuery, mapExpr, walkExpr } from './walk.js';
export { NESTING_MAX, HEIGHT_MAX } from './cursor.js';
