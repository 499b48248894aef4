/**
 * The golden file format: blocks separated by blank lines.
 *   query <types> [rowsort] [duckdb-only] [mysql-only]
 *   <SQL on one or more lines>
 *   ----
 *   <expected rows, values separated by tabs, NULL as NULL, '' as (empty)>
 * `xfail-duckdb`/`xfail-sqlite` mark known deviations (run, reported as todo).
 * `<types>` has one letter per column: I integer, D decimal, F floating, T text, A date,
 * S datetime, M time. Lines starting with '#' are comments.
 */
export interface GoldenQuery {
  readonly line: number;
  readonly types: string;
  readonly flags: readonly string[];
  readonly sql: string;
  readonly expected: readonly string[];
  readonly comments: readonly string[];
}

export function parseGolden(text: string): GoldenQuery[] {
  const queries: GoldenQuery[] = [];
  const lines = text.split('\n');
  let comments: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line.startsWith('#')) {
      comments.push(line);
      continue;
    }
    if (!line.startsWith('query ')) continue;
    const start = i + 1;
    const [, types = '', ...flags] = line.trim().split(/\s+/);
    const sql: string[] = [];
    i += 1;
    while (i < lines.length && lines[i] !== '----' && (lines[i] ?? '') !== '') {
      sql.push(lines[i] ?? '');
      i += 1;
    }
    const expected: string[] = [];
    if (lines[i] === '----') {
      i += 1;
      while (i < lines.length && (lines[i] ?? '') !== '') {
        expected.push(lines[i] ?? '');
        i += 1;
      }
    }
    queries.push({ line: start, types, flags, sql: sql.join('\n'), expected, comments });
    comments = [];
  }
  return queries;
}

export function formatGolden(queries: readonly GoldenQuery[]): string {
  return queries
    .map((q) => {
      const head = [`query ${q.types}`, ...q.flags].join(' ');
      const body = [...q.comments, head, q.sql, '----', ...q.expected];
      return body.join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

export function cellText(value: string | null): string {
  if (value === null) return 'NULL';
  if (value === '') return '(empty)';
  return value.replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n');
}
