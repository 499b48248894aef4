/**
 * CHECK constraints in information_schema, as MariaDB 10.11 lists them: CHECK_CONSTRAINTS
 * (LEVEL 'Column' for a check written with a column, 'Table' otherwise, CHECK_CLAUSE in
 * MariaDB's print form) and TABLE_CONSTRAINTS' CHECK rows. A JSON column has MariaDB's implicit
 * `json_valid` check, named after the column. Column-level checks come first, in column order,
 * then the table's, in definition order.
 */
import type { TableDef } from '../catalog/types.js';
import { formatMariaDbExpr, parseStatement, quoteIdentifier } from '../parser/index.js';
import type { SqlValue } from '../values.js';

interface ListedCheck {
  readonly name: string;
  readonly level: 'Column' | 'Table';
  readonly clause: string;
  readonly enforced: boolean;
}

/** A check's stored text in MariaDB's print form (the text as stored when it does not parse). */
function clause(text: string): string {
  try {
    const statement = parseStatement(`SELECT ${text}`);
    const expr = statement.kind === 'select' ? statement.columns[0]?.expr : undefined;
    return expr === undefined ? text : formatMariaDbExpr(expr);
  } catch {
    return text;
  }
}

function listedChecks(table: TableDef): ListedCheck[] {
  const checks = table.checks ?? [];
  const names = new Set(checks.map((check) => check.name.toLowerCase()));
  const columnLevel = table.columns.flatMap((column): ListedCheck[] => {
    const own = checks
      .filter((check) => check.column?.toLowerCase() === column.name.toLowerCase())
      .map((check) => ({
        name: check.name,
        level: 'Column' as const,
        clause: clause(check.text),
        enforced: check.engineSql !== undefined,
      }));
    if (column.type !== 'json' || names.has(column.name.toLowerCase())) return own;
    const json = {
      name: column.name,
      level: 'Column' as const,
      clause: `json_valid(${quoteIdentifier(column.name)})`,
      enforced: true,
    };
    return [...own, json];
  });
  const tableLevel = checks
    .filter((check) => check.column === undefined)
    .map((check) => ({
      name: check.name,
      level: 'Table' as const,
      clause: clause(check.text),
      enforced: check.engineSql !== undefined,
    }));
  return [...columnLevel, ...tableLevel];
}

/** information_schema.CHECK_CONSTRAINTS rows of one table. */
export function checkConstraintRows(table: TableDef): SqlValue[][] {
  return listedChecks(table).map((check) => [
    'def',
    table.database,
    table.name,
    check.name,
    check.level,
    check.clause,
  ]);
}

/** information_schema.TABLE_CONSTRAINTS rows of one table's checks (after its keys). */
export function checkTableConstraintRows(table: TableDef): SqlValue[][] {
  return listedChecks(table).map((check) => [
    'def',
    table.database,
    check.name,
    table.database,
    table.name,
    'CHECK',
    // ENFORCED (MySQL 8's column).
    check.enforced ? 'YES' : 'NO',
  ]);
}
