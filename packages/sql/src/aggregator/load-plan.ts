/**
 * Whether a LOAD DATA statement can take the fast path (`load-fast.ts`), and its plan: a
 * columnstore, non-reference table without AUTO_INCREMENT, every column given in the file (in
 * any order, no `@var`), plain INTO (no IGNORE/REPLACE), lines ending in `\n` with no starting
 * text, a one-byte field delimiter, and MySQL's backslash escape. Anything else keeps the exact
 * path. Lines with quotes, escapes or carriage returns are sent to the exact path line by line
 * at run time.
 */
import type { LoadDataStatement } from '../parser/ast.js';
import type { ColumnDef, TableDef } from '../catalog/types.js';
import { fieldCheck, type FieldCheck } from './load-checks.js';
import { keyFields, type KeyField } from './load-key.js';
import { lineShape, type LineShape } from './load-shapes.js';

export interface FastLoadPlan {
  readonly table: TableDef;
  /** Table columns in file order. */
  readonly columns: readonly ColumnDef[];
  readonly checks: readonly FieldCheck[];
  readonly delimiter: number;
  /** The ENCLOSED BY byte, if any: a chunk holding it leaves the fast path. */
  readonly enclosure: number | undefined;
  readonly keys: readonly KeyField[];
  /** The canonical line shape that lets a chunk skip the checks (`load-shapes.ts`). */
  readonly shape: LineShape | undefined;
}

function singleByte(text: string): number | undefined {
  if (text.length !== 1) return undefined;
  const code = text.charCodeAt(0);
  return code < 0x80 ? code : undefined;
}

export function fastLoadPlan(
  table: TableDef,
  statement: LoadDataStatement,
): FastLoadPlan | undefined {
  if (table.storage !== 'column' || table.reference || statement.duplicates !== undefined)
    return undefined;
  if (statement.set.length > 0 || table.columns.some((column) => column.autoIncrement === true))
    return undefined;
  if ((statement.lines?.terminatedBy ?? '\n') !== '\n') return undefined;
  if ((statement.lines?.startingBy ?? '') !== '') return undefined;
  if ((statement.fields?.escapedBy ?? '\\') !== '\\') return undefined;
  if (statement.charset !== undefined && !/^utf8/i.test(statement.charset)) return undefined;
  const delimiter = singleByte(statement.fields?.terminatedBy ?? '\t');
  if (delimiter === undefined || [0x0a, 0x0d, 0x5c, 0x00].includes(delimiter)) return undefined;
  const enclosedBy = statement.fields?.enclosedBy ?? '';
  const enclosure = enclosedBy === '' ? undefined : singleByte(enclosedBy);
  if (enclosedBy !== '' && (enclosure === undefined || enclosure === delimiter)) return undefined;
  const names =
    statement.columns === undefined
      ? table.columns.map((column) => column.name)
      : statement.columns.map((target) => (target.kind === 'column' ? target.column : undefined));
  if (names.length !== table.columns.length) return undefined;
  const columns: ColumnDef[] = [];
  for (const name of names) {
    const column = table.columns.find(
      (candidate) => candidate.name.toLowerCase() === name?.toLowerCase(),
    );
    if (column === undefined || columns.includes(column)) return undefined;
    columns.push(column);
  }
  const checks: FieldCheck[] = [];
  for (const [index, column] of columns.entries()) {
    const check = fieldCheck(column, `c${index}`);
    if (check === undefined) return undefined;
    checks.push(check);
  }
  const fields = table.shardKey.map((name) => columns.findIndex((column) => column.name === name));
  if (fields.some((field) => field < 0)) return undefined;
  const keyColumns = fields.map((field) => columns[field] as ColumnDef);
  return {
    table,
    columns,
    checks,
    delimiter,
    enclosure,
    keys: keyFields(fields, keyColumns),
    shape: lineShape(columns, delimiter),
  };
}
