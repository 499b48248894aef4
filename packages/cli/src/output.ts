/** Human output: aligned tables and short forms. Machine output (--json) is the API's JSON as is. */

export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => string | number;
  /** Numbers read better right-aligned. */
  readonly align?: 'left' | 'right';
}

/** Rows as a table with a header, columns separated by two spaces, no trailing blanks. */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => String(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => line[index]!.length)),
  );
  const render = (line: readonly string[]): string =>
    line
      .map((cell, index) =>
        columns[index]!.align === 'right'
          ? cell.padStart(widths[index]!)
          : cell.padEnd(widths[index]!),
      )
      .join('  ')
      .trimEnd();
  return [render(columns.map((column) => column.header)), ...cells.map(render)].join('\n');
}

export function printTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  empty: string,
): void {
  console.log(rows.length === 0 ? empty : formatTable(rows, columns));
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** The first 8 characters of a uuid, enough to tell deployments apart on one screen. */
export function shortId(id: string): string {
  return id.length > 9 ? `${id.slice(0, 8)}…` : id;
}

/** Cuts text to `length` characters, marking the cut. */
export function truncate(text: string, length: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > length ? `${oneLine.slice(0, length - 1)}…` : oneLine;
}

/** "3s ago", "5m ago", "2h ago", "4d ago" from an ISO timestamp; "-" when absent. */
export function age(timestamp: string | null | undefined, now = Date.now()): string {
  if (!timestamp) return '-';
  const seconds = Math.max(0, Math.round((now - Date.parse(timestamp)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

/** Fractional cpus without float noise: 0.30000000000000004 → "0.3". */
export function formatNumber(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "name   value" lines for one object's fields, names aligned. */
export function formatFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...fields.map(([name]) => name.length));
  return fields.map(([name, value]) => `${name.padEnd(width)}  ${value}`.trimEnd()).join('\n');
}
