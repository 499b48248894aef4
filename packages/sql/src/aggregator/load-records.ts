/**
 * A LOAD DATA record (its fields as read) made into the row its columns receive, with MySQL's
 * record warnings (reference, "LOAD DATA Statement", "Column List Specification"):
 * - a record with too few fields leaves the rest of its columns at their defaults (a NOT NULL
 *   column without DEFAULT at its implicit one: 0, '', the zero date), each with warning 1261
 *   "Row N doesn't contain data for all columns";
 * - a record with too many fields drops the extra ones, with 1262 "Row N was truncated";
 * - `\N` for a NOT NULL column, where values that do not fit are adjusted (IGNORE, or outside
 *   strict mode), stores the implicit default with 1263 (strict mode refuses it, 1048).
 */
import type { ColumnDef, TableDef } from '../catalog/types.js';
import type { SqlValue } from '../values.js';
import type { Warning } from './context.js';
import { implicitDefault } from './implicit-default.js';

export interface LoadRow {
  readonly values: SqlValue[];
  /** Positions that take the column's DEFAULT (`insertRows` defaults). */
  readonly defaults: boolean[] | undefined;
}

export class LoadRecords {
  /** The number of records read (MySQL's "Row N"), not counting IGNORE n LINES. */
  private rowNumber = 0;
  private readonly columns: (ColumnDef | undefined)[];

  constructor(
    table: TableDef,
    /** The file's fields in order: a column's name, or undefined for a `@var`. */
    targets: readonly (string | undefined)[],
    /** Values that do not fit are adjusted with a warning (IGNORE, or outside strict mode). */
    private readonly lenient: boolean,
    private readonly warnings: Warning[],
  ) {
    this.columns = targets.map((name) =>
      name === undefined
        ? undefined
        : table.columns.find((column) => column.name.toLowerCase() === name.toLowerCase()),
    );
  }

  /** The fields of every target (a missing one NULL), for SET's evaluation. */
  fields(record: readonly (string | null)[]): (string | null)[] {
    this.counted(record);
    return this.columns.map((_, index) => record[index] ?? null);
  }

  /** The values of the column targets, in order. */
  row(record: readonly (string | null)[]): LoadRow {
    this.counted(record);
    const values: SqlValue[] = [];
    let defaults: boolean[] | undefined;
    this.columns.forEach((column, index) => {
      if (column === undefined) return;
      const field = index < record.length ? (record[index] as string | null) : undefined;
      if (field === undefined && column.defaultSql === undefined && !column.nullable) {
        values.push(implicitDefault(column) ?? null);
        return;
      }
      if (field === undefined) {
        defaults ??= this.columns.filter((target) => target !== undefined).map(() => false);
        defaults[values.length] = true;
        values.push(null);
        return;
      }
      if (field === null && !column.nullable && column.autoIncrement !== true && this.lenient) {
        const implicit = implicitDefault(column);
        if (implicit !== undefined) {
          this.warn(
            1263,
            `Column set to default value; NULL supplied to NOT NULL column '${column.name}' at row ${this.rowNumber}`,
          );
          values.push(implicit);
          return;
        }
      }
      values.push(field);
    });
    return { values, defaults };
  }

  private counted(record: readonly (string | null)[]): void {
    this.rowNumber += 1;
    for (let missing = record.length; missing < this.columns.length; missing++)
      this.warn(1261, `Row ${this.rowNumber} doesn't contain data for all columns`);
    if (record.length > this.columns.length)
      this.warn(
        1262,
        `Row ${this.rowNumber} was truncated; it contained more data than there were input columns`,
      );
  }

  private warn(code: number, message: string): void {
    this.warnings.push({ level: 'Warning', code, message });
  }
}
